"""The store edge: district scope, stored and audited judgements respected by later runs, exports, the tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from varde.cases import audit
from varde.cases.access import ADMIN, Actor
from varde.cases.accounts import AccountService
from varde.cases.ingest import ingest
from varde.cases.service import CaseFilter, CaseService
from varde.errors import AccessDenied, InputError
from varde.network.service import NetworkService
from varde.posts import Post
from varde.records import Contact, Place, Record
from varde.store import Store
from varde.store.network_tables import entities, entity_edges, entity_links
from varde.store.schema import load_all

T0 = datetime(2025, 9, 14, 18, 0, tzinfo=UTC)
OPERATOR = Actor("operator", ADMIN, frozenset(), "test")


def record(
    post_id: str,
    *,
    author: str,
    platform: str = "telegram",
    order_id: str | None = None,
    district: str | None = None,
    contacts: tuple[tuple[str, str], ...] = (),
    reply_to: str | None = None,
    text: str = "jobb 50k",
    minutes: int = 0,
) -> Record:
    post = Post(
        id=post_id,
        platform=platform,
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        author=author,
        channel="kanal",
        reply_to=reply_to,
        raw=text.encode(),
    )
    return Record(
        post=post,
        is_order=order_id is not None,
        score=0.9 if order_id else 0.1,
        order_id=order_id,
        places=(Place(district, "NO", district=district),) if district else (),
        contacts=tuple(Contact(k, v) for k, v in contacts),
        violence_types=("shooting",) if order_id else (),
    )


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """On SQLite and on PostgreSQL (the `database_url` fixture of tests/conftest.py)."""
    opened = Store.open(database_url)
    ingest(
        opened,
        [
            record(
                "x:1",
                author="@kro_jobb",
                platform="x",
                order_id="o-oslo",
                district="Oslo",
                contacts=(("telegram", "@krojobb"), ("phone", "+46701740611")),
            ),
            record(
                "instagram:2",
                author="@kro.jobb",
                platform="instagram",
                order_id="o-oslo2",
                district="Oslo",
                contacts=(("phone", "+46701740611"),),
                minutes=60,
            ),
            record(
                "telegram:3",
                author="@vest_boss",
                order_id="o-vest",
                district="Vest",
                contacts=(("telegram", "@vestjobb"),),
                minutes=90,
            ),
            record("telegram:4", author="@ung1", reply_to="x:1", text="dm sendt", minutes=5),
            record("telegram:5", author="@ung2", reply_to="telegram:3", text="dm sendt", minutes=95),
            record("telegram:6", author="@prat", text="hei alle", minutes=7),
        ],
    )
    cases = AccountService(opened)
    cases.add_user(OPERATOR, "ana", "analyst")
    cases.add_user(OPERATOR, "inv", "investigator", districts=["Oslo"])
    cases.add_user(OPERATOR, "aud", "auditor")
    yield opened
    opened.close()


def actor(store: Store, name: str) -> Actor:
    return AccountService(store).actor(name, source="test")


def test_backmen_are_ranked_and_audited(store: Store) -> None:
    service = NetworkService(store)
    ranked = service.backmen(actor(store, "ana"))
    top = ranked[0]
    assert "acct:x:kro_jobb" in top.members and "phone:+46701740611" in top.members and top.orders == 2
    with store.engine.connect() as conn:
        events = audit.recent(conn, action="network.backmen")
    assert events and events[0].actor == "ana"


def test_investigator_sees_only_own_district(store: Store) -> None:
    service = NetworkService(store)
    labels = {m for b in service.backmen(actor(store, "inv")) for m in b.members}
    assert "acct:x:kro_jobb" in labels and "acct:telegram:vest_boss" not in labels
    view = service.show(actor(store, "inv"), "acct:telegram:ung1")
    assert view["entity"]["id"] == "acct:telegram:ung1"
    with pytest.raises(Exception, match="no entity"):
        service.show(actor(store, "inv"), "acct:telegram:ung2")  # replied to a Vest order only
    with pytest.raises(AccessDenied):
        service.backmen(actor(store, "aud"))
    with store.engine.connect() as conn:
        assert audit.recent(conn, action="access.denied", actor="aud")


def test_judgement_is_stored_audited_and_respected(store: Store) -> None:
    service = NetworkService(store)
    ana = actor(store, "ana")
    x, insta = "acct:x:kro_jobb", "acct:instagram:kro.jobb"
    assert service.show(ana, x)["actor"] == service.show(ana, insta)["actor"]
    stored = service.link(ana, x, insta, same=False, reason="two people share the phone")
    assert stored.judgement == "not_same"
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(entity_links)).scalar_one() == 1
        event = audit.recent(conn, action="network.link")[0]
        assert json.loads(event.details)["judgement"] == "not_same"
        assert audit.verify(conn).ok
    view = service.show(ana, x)
    assert view["actor"] != service.show(ana, insta)["actor"]
    assert view["judgements"] and all({p["a"], p["b"]} != {x, insta} for p in view["links"])
    with pytest.raises(AccessDenied):
        service.link(actor(store, "aud"), x, insta, same=True, reason="x")
    with pytest.raises(InputError):
        service.link(ana, x, "order:o-oslo", same=True, reason="orders are not identities")
    with pytest.raises(InputError):
        service.link(ana, x, insta, same=True, reason="  ")


def test_exports_respect_the_district(store: Store, tmp_path: Path) -> None:
    service = NetworkService(store)
    out = tmp_path / "inv.graphml"
    service.export(actor(store, "inv"), "graphml", out)
    text = out.read_text(encoding="utf-8")
    assert "kro_jobb" in text and "vest_boss" not in text
    result = service.export(actor(store, "ana"), "stix", tmp_path / "all.json")
    assert result["objects"] > 0 and "vest" in (tmp_path / "all.json").read_text(encoding="utf-8")
    service.export(actor(store, "ana"), "ftm", tmp_path / "all.ftm.json")
    with store.engine.connect() as conn:
        assert len(audit.recent(conn, action="network.export")) == 3


def test_build_materialises_the_graph(store: Store) -> None:
    service = NetworkService(store)
    counts = service.build(actor(store, "ana"))
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(entities)).scalar_one() == counts["entities"]
        assert conn.execute(sa.select(sa.func.count()).select_from(entity_edges)).scalar_one() == counts["edges"]
    with pytest.raises(AccessDenied):
        service.build(actor(store, "inv"))


def test_migration_matches_the_tables(store: Store) -> None:
    metadata = load_all()
    inspector = sa.inspect(store.engine)
    for table in (entities, entity_edges, entity_links):
        columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(columns) == {c.name for c in metadata.tables[table.name].columns}
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable or column.primary_key, column
        assert {i["name"] for i in inspector.get_indexes(table.name)} == {i.name for i in table.indexes}
        assert set(inspector.get_pk_constraint(table.name)["constrained_columns"]) == {
            c.name for c in table.primary_key.columns
        }


def test_cli_commands(store: Store, tmp_path: Path) -> None:
    import click

    from varde.cli import export_network, network

    group = click.Group("varde")
    network.register(group)
    export_network.register(group)
    url = store.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    result = runner.invoke(group, ["network", "backmen", "--json", "--as", "ana", "--db", url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["orders"] == 2
    result = runner.invoke(group, ["network", "show", "@kro_jobb", "--as", "ana", "--db", url])
    assert result.exit_code == 0 and "announced_in_ad" in result.output, result.output
    result = runner.invoke(
        group,
        [
            "network",
            "link",
            "acct:x:kro_jobb",
            "acct:telegram:krojobb",
            "--not-same",
            "--reason",
            "checked",
            "--as",
            "ana",
            "--db",
            url,
        ],
    )
    assert result.exit_code == 0 and "not same as" in result.output, result.output
    out = tmp_path / "n.graphml"
    result = runner.invoke(group, ["export", "graphml", "-o", str(out), "--as", "ana", "--db", url])
    assert result.exit_code == 0 and out.exists(), result.output


def test_show_a_case_by_its_id(store: Store) -> None:
    service = NetworkService(store)
    ana = actor(store, "ana")
    case_id = CaseService(store).list_cases(ana).items[0].id
    view = service.show(ana, f"case:{case_id}")
    assert view["entity"]["kind"] == "order" and view["entity"]["attrs"]["case_id"] == case_id


def test_analysis_is_reused_until_something_changes(store: Store) -> None:
    service = NetworkService(store)
    ana = actor(store, "ana")
    with store.begin() as conn:
        first = service._analysis(conn, ana)
    with store.begin() as conn:
        assert service._analysis(conn, ana) is first
        assert service._analysis(conn, actor(store, "inv")) is not first  # another scope
    service.link(ana, "acct:x:kro_jobb", "acct:telegram:krojobb", same=False, reason="checked")
    with store.begin() as conn:
        assert service._analysis(conn, ana) is not first


def test_build_tags_cases_with_their_networks_for_the_queue_filter(store: Store) -> None:
    ingest(
        store,
        [
            record(
                "telegram:7",
                author="@ny_jobb",
                order_id="o-fox",
                district="Oslo",
                contacts=(("phone", "+46701740605"),),  # Foxtrot's (invented) phone in the watchlist
                text="jobb 80k, räven betalar alltid",
                minutes=120,
            )
        ],
    )
    service = NetworkService(store)
    ana = actor(store, "ana")
    cases = CaseService(store)
    assert cases.list_cases(ana, CaseFilter(networks=("foxtrot",))).total == 0  # before any build
    counts = service.build(ana)
    assert counts["cases_tagged"] >= 1
    listed = cases.list_cases(ana, CaseFilter(networks=("foxtrot",))).items
    assert [c.order_id for c in listed] == ["o-fox"]
    assert cases.list_cases(ana, CaseFilter(networks=("rumba",))).total == 0
    # A rebuild replaces the tags rather than adding to them; district scope still applies to the filter.
    service.build(ana)
    assert cases.list_cases(ana, CaseFilter(networks=("foxtrot",))).total == 1
    assert cases.list_cases(actor(store, "inv"), CaseFilter(networks=("foxtrot",))).total == 1
