"""Tables of the network issue: the entity graph as last built, and analysts' same/not-same judgements.

They live on the shared `metadata` (see `varde.store.tables`); migration 0004 creates them with explicit
`op.create_table` calls that must match these definitions (tests/network/test_store.py compares the two).

    entities (id)                     accounts, phones, wallets, e-mails, channels, orders, networks, persons
    entity_edges (source, target, type)   weight, first/last seen, evidencing post ids
    entity_links                      judgements: `same` / `not_same`, who, when, why (append-only; latest wins)

`entities` and `entity_edges` are a materialised copy of what `varde.network.graph.build_graph` computes from
posts and records (rebuilt by `varde network build`), for SQL users and other tools; `entity_links` is the
analysts' own record and is never rebuilt."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Index, Integer, String, Table, Text

from varde.store.tables import UTCDateTime, metadata

entities = Table(
    "entities",
    metadata,
    Column("id", String(512), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("label", Text, nullable=False),
    Column("platform", String(32)),
    Column("attrs", JSON, nullable=False),
    Column("first_seen", UTCDateTime()),
    Column("last_seen", UTCDateTime()),
    Column("built_at", UTCDateTime(), nullable=False),
)
Index("ix_entities_kind", entities.c.kind)

entity_edges = Table(
    "entity_edges",
    metadata,
    Column("source", String(512), primary_key=True),
    Column("target", String(512), primary_key=True),
    Column("type", String(32), primary_key=True),
    Column("weight", Float, nullable=False),
    Column("first_seen", UTCDateTime()),
    Column("last_seen", UTCDateTime()),
    Column("post_ids", JSON, nullable=False),
)
Index("ix_entity_edges_target", entity_edges.c.target)

entity_links = Table(
    "entity_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a", String(512), nullable=False),  # the smaller id of the pair
    Column("b", String(512), nullable=False),
    Column("judgement", String(16), nullable=False),  # same | not_same
    Column("reason", Text, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)
Index("ix_entity_links_a_b", entity_links.c.a, entity_links.c.b)
