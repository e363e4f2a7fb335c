"""Where miner's data lives: the SQLite schema and the data access of each feature.

- ``schema``: tables, indexes, full-text search, views, migrations (the one place a table is defined)
- ``connection``: opening a database, timestamps, a full disk as a clear error
- ``rows``: chunked look-ups by a list of values and the one upsert
- one module per feature: ``crawl`` (scraper), ``questions`` (questions step), ``faqs`` (FAQ step,
  editors, matcher), ``moderation`` (thread links, queue), ``erasure`` (forget), ``embeddings``,
  ``sections`` (FAQ sections), ``settings`` (stored settings), ``export`` (what `miner export` reads)

Every query on miner's tables lives here, with these exceptions:

- the Datasette plugin's read queries (``miner.page_queries``), run on Datasette's own connections,
  and the canned queries (``miner/queries/*.sql``, metadata.yml);
- the checks on a file before it is opened as a miner database (``miner.access``,
  ``publish.check_database``: which tables exist, row counts);
- PRAGMAs that make erased text leave the file (``miner.app.forget``, ``miner.file_traces``).

Everything is re-exported, so callers write ``from miner import store; store.save_rows(...)``.
Ids are forum-qualified text so that several forums can share one database: forum
``ask.linuxmuster.net``, thread ``ask.linuxmuster.net:1234``, post ``ask.linuxmuster.net:98765``.
"""

from miner.store.connection import (  # noqa: F401
    Database, checkpoint, database, database_path, disk_full_as_error, is_disk_full, now, open_db, qualify,
    require_file,
)
from miner.store.crawl import (  # noqa: F401
    close_stale_runs, finish_scrape_run, forum_ids, load_crawl_states, load_failed_topics, load_first_post_text,
    data_version, load_forum, load_forums, load_high_water, page_engine_forums, load_post_ids, load_thread, mark_thread_deleted, save_categories,
    save_crawl_state, save_forum, save_thread_crawl, start_scrape_run,
)
from miner.store.embeddings import EmbeddingCache, clear_embeddings, save_embeddings  # noqa: F401
from miner.store.erasure import (  # noqa: F401
    compact, erased_people, find_residue, iter_posts_with_text, load_by_author, save_erasure, term_in_corpus,
    was_erased,
)
from miner.store.faqs import (  # noqa: F401
    active_faq_count, clear_faq_model, has_active_faqs, load_active_members_with_topic, faq_model_path, faq_question_stats, last_correction_id,
    last_mining_options, list_faqs, load_answer_ids_by_faq, load_published_faq_ids, load_corrections, load_current_answer,
    load_corrections_after, load_faq, load_faq_members, load_faq_model, load_faq_question_texts, load_faq_questions, load_faqs,
    load_faqs_by_id, load_latest_published_answer, load_linked_question_ids, load_live_faq_members, load_question, next_faq_id, next_faq_run,
    record_mining_run, save_answer, save_correction, save_faq, save_faq_history,
    save_faq_loose, save_faq_model, save_faq_run, set_question_faq,
)
from miner.store.moderation import (  # noqa: F401
    QUERIES_DIR, clear_reply_attempt, find_thread_link, load_sql, load_thread_link, moderator_queue, save_thread_link,
)
from miner.store.questions import (  # noqa: F401
    MINING_POST_COLUMNS, iter_posts_for_mining, load_mining_state, load_questions_by_thread,
    load_thread_contexts, load_thread_questions, load_threads_for_mining, save_relevance, save_thread_questions,
)
from miner.store.rows import (  # noqa: F401
    chunks, count_rows, delete_rows, first_row, insert_row, load_rows, save_rows, update_row, upsert,
)
from miner.store.export import (  # noqa: F401
    has_sections, load_example_questions, load_published_entries, load_sections_in_order, load_source_threads,
)
from miner.store.sections import (  # noqa: F401
    load_entry_sections, load_section_members, load_sections, save_section, save_section_run, set_entry_section,
)
from miner.store.settings import delete_setting, load_settings, save_setting  # noqa: F401
from miner.store.schema import (  # noqa: F401
    FTS, FTS_TOKENIZE, INDEXES, MIGRATIONS, TABLES, VIEWS, add_declared_foreign_keys, ensure_schema,
)
from miner.urls import forum_id_for  # noqa: F401  (the scraper calls store.forum_id_for)
