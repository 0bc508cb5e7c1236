"""Reads: they never write. Every case read starts from ``permissions.access``.

- ``cases``: lists, one case, its records, the facts its machine reads, timeline, readers, clocks;
- ``identity``: the masked form of a child and who may see more (the read itself is logged by
  ``casework.access_log``);
- ``offers``: what a user may do on a case now — the one offer model pages and the API render;
- ``clocks``: clocks as people read them;
- ``worklists``: the queries behind the work lists.
"""

from .cases import (
    case_chain_status,
    case_clocks_for,
    case_facts,
    case_flow,
    case_for_user,
    case_list_for_user,
    case_readers,
    case_records,
    case_timeline,
    fact_records,
)
from .clocks import CLOCK_LABELS, clock_view
from .identity import identity_of, identity_visible, masked_child

__all__ = [
    "CLOCK_LABELS",
    "case_chain_status",
    "case_clocks_for",
    "case_facts",
    "case_flow",
    "case_for_user",
    "case_list_for_user",
    "case_readers",
    "case_records",
    "case_timeline",
    "clock_view",
    "fact_records",
    "identity_of",
    "identity_visible",
    "masked_child",
]
