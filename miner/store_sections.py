"""Moved to ``miner.store.sections`` (re-exported by ``miner.store``); kept so older imports work."""

from miner.store.sections import (  # noqa: F401
    load_entry_sections, load_section_members, load_sections, save_section, save_section_run, set_entry_section,
)
