"""Import every module that defines tables, so `metadata` holds the whole schema."""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from varde.store.tables import metadata

# One line per module that adds tables to `metadata`.
TABLE_MODULES = [
    "varde.store.tables",
    "varde.store.order_index",
    "varde.store.case_tables",
    "varde.store.network_tables",
    "varde.store.worker_tables",
    "varde.store.verdict_tables",
    "varde.store.model_tables",
    "varde.store.signal_tables",
    "varde.store.report_tables",
]


def load_all() -> MetaData:
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return metadata
