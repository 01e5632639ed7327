"""De-duplication: which posts advertise the same order (the matching rule, `rule.py`), and the in-memory index
that applies it to a run (`index.py`). Pure: the pipeline's dedupe stage and the store's database index use it."""

from varde.dedupe.index import MemoryOrderIndex, OrderIndex, assign_all

__all__ = ["MemoryOrderIndex", "OrderIndex", "assign_all"]
