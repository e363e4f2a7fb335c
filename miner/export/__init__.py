"""``miner export``: the published FAQ as static files (Markdown, HTML, JSON) a school or forum can host.

Data flows one way: ``collect`` reads the published FAQ from the database into plain dicts,
``formats`` turns them into text, ``write`` puts the text on disk. Drafts never leave ``collect``.
"""

from miner.export.collect import NothingPublished, published_faq
from miner.export.write import FORMATS, export_faq

__all__ = ["FORMATS", "NothingPublished", "export_faq", "published_faq"]
