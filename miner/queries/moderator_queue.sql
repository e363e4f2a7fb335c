-- Moderator queue: recent threads whose questions match an FAQ entry that has a published
-- answer but no link to that thread yet, best matches first.
-- Used by `miner queue` and as the Datasette canned query `moderator_queue`.
-- Parameter :since (optional, ISO date like 2024-01-31; empty = all threads).
select
  t.url as thread_url,
  t.title as thread_title,
  t.created_at as thread_created_at,
  f.id as faq_id,
  f.title as faq_title,
  round(max(coalesce(q.faq_similarity, 0)), 3) as score,
  q.text as best_question,
  count(*) as matching_questions
from questions q
join threads t on t.id = q.thread
join faqs f on f.id = q.faq_id
where coalesce(f.status, 'active') = 'active'
  and exists (select 1 from answers a where a.faq_id = f.id and a.status = 'published')
  and not exists (
    select 1 from thread_links l
    where l.faq_id = f.id and (l.thread = t.id or l.thread_url = t.url)
  )
  and (coalesce(:since, '') = '' or t.created_at >= :since)
group by t.id, f.id
order by score desc, matching_questions desc, t.created_at desc
limit 500
