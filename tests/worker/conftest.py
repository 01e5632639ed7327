"""Fixtures of the worker tests: a JetStream stream and a PostgreSQL schema of their own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest

from varde.settings import Settings
from varde.worker import connect


@pytest.fixture
def settings(postgres_url: str) -> Iterator[Settings]:
    """A stream of its own (deleted afterwards) and a PostgreSQL schema of its own."""
    stream = f"T{uuid.uuid4().hex[:10].upper()}"
    yield Settings(database_url=postgres_url, stream=stream)

    async def delete() -> None:
        nc = await connect(Settings(stream=stream))
        try:
            await nc.jetstream().delete_stream(stream)
        finally:
            await nc.close()

    asyncio.run(delete())
