"""Exports for the tools investigators already use, each with a validator built on the official library.

- FollowTheMoney (JSON lines; Aleph / OpenAleph): actor → Person (phones, e-mails); account and channel →
  UserAccount (owner); wallet → CryptoWallet (holder); order → Event; network → Organization; attribution →
  Membership; graph edges → UnknownLink.
- STIX 2.1 bundle (OpenCTI / MISP): actor and network → threat-actor; account, phone, wallet → user-account;
  e-mail → email-addr; order → report; edges → relationship (attribution with confidence).
- GraphML / GEXF (Gephi, i2, Maltego): the entity graph itself, with kind, label, actor, network and backman score
  on each node.

Identifiers are derived from entity ids (FtM ids are their SHA-1, STIX ids UUIDv5), so exports of the same graph
are identical and re-imports update rather than duplicate. These functions build values; the CLI writes files."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from varde.network.analysis import Analysis
from varde.network.graph import ACCOUNT, CHANNEL, EMAIL, ORDER, PHONE, WALLET, Entity

NAMESPACE = uuid.UUID("5b6f1a43-6c0e-4c47-9d5f-0a3c2f2b7e11")  # Varde's own namespace for UUIDv5 ids


def _ftm_id(entity_id: str) -> str:
    return hashlib.sha1(entity_id.encode("utf-8")).hexdigest()


def _date(value: datetime | None) -> str | None:
    return value.astimezone(UTC).date().isoformat() if value else None


# ------------------------------------------------------------------------------------------------- FollowTheMoney


def ftm_entities(analysis: Analysis) -> list[dict[str, Any]]:
    """FollowTheMoney entities (dicts with id, schema, properties) for the graph, actors and attributions."""
    from followthemoney import model

    out: dict[str, dict[str, Any]] = {}

    def add(key: str, schema: str, **props: Any) -> str:
        proxy = model.make_entity(schema)
        proxy.id = _ftm_id(key)
        for name, value in props.items():
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    proxy.add(name, item)
        out[proxy.id] = proxy.to_dict()
        return proxy.id

    graph, resolution = analysis.graph, analysis.resolution
    persons: dict[str, str] = {}
    for actor, members in resolution.members.items():
        known = [graph.entities[m] for m in members if m in graph.entities]
        if not known:
            continue
        phones = [e.label for e in known if e.kind == PHONE]
        emails = [e.label for e in known if e.kind == EMAIL]
        if len(known) == 1 and not phones and not emails and known[0].kind != WALLET:
            continue  # a lone account needs no person behind it
        backman = analysis.backman_of(members[0])
        persons[actor] = add(
            actor,
            "Person",
            name=f"Actor {', '.join(e.label for e in known[:3])}",
            phone=phones,
            email=emails,
            country=backman.country.lower() if backman and backman.country else None,
            notes=f"Varde actor {actor}; backman score {backman.score:.3f}" if backman else f"Varde actor {actor}",
        )
    ids: dict[str, str] = {}
    for entity in graph.entities.values():
        owner = persons.get(resolution.actor(entity.id))
        if entity.kind in (ACCOUNT, CHANNEL):
            ids[entity.id] = add(
                entity.id,
                "UserAccount",
                username=entity.label,
                service=entity.platform,
                owner=owner if entity.kind == ACCOUNT else None,
                notes="channel or group" if entity.kind == CHANNEL else None,
            )
        elif entity.kind == WALLET:
            # FtM identifiers hold at most 64 characters; a Monero address has 95, so it goes in the name only.
            ids[entity.id] = add(
                entity.id,
                "CryptoWallet",
                name=entity.label,
                publicKey=entity.label if len(entity.label) <= 64 else None,
                currency=(entity.platform or "").upper(),
                holder=owner,
            )
        elif entity.kind == ORDER:
            ids[entity.id] = add(
                entity.id,
                "Event",
                name=f"Order {entity.label}",
                date=_date(entity.first_seen),
                endDate=_date(entity.last_seen),
                summary=str(entity.attrs.get("text", ""))[:1000],
            )
        elif entity.kind in (PHONE, EMAIL) and owner is not None:
            ids[entity.id] = owner
    networks: dict[str, str] = {}
    for found in list(analysis.attribution.actors.values()) + list(analysis.attribution.orders.values()):
        for attributed in found:
            if attributed.network not in networks:
                networks[attributed.network] = add(
                    f"network:{attributed.network}", "Organization", name=attributed.network
                )
    for actor, found in analysis.attribution.actors.items():
        if actor in persons:
            for attributed in found:
                add(
                    f"{actor}|{attributed.network}",
                    "Membership",
                    member=persons[actor],
                    organization=networks[attributed.network],
                    role=f"attributed by Varde (confidence {attributed.confidence:.2f})",
                    summary="; ".join(s.detail for s in attributed.evidence[:5]),
                )
    for (source, target, type_), edge in graph.edges.items():
        a, b = ids.get(source), ids.get(target)
        if a is None or b is None or a == b:
            continue
        add(
            f"{source}|{target}|{type_}",
            "UnknownLink",
            subject=a,
            object=b,
            role=type_,
            startDate=_date(edge.first_seen),
            endDate=_date(edge.last_seen),
            description=f"weight {edge.weight:g}; posts: {' '.join(edge.post_ids)}"[:2000],
        )
    return list(out.values())


def validate_ftm(entities: Iterable[dict[str, Any]]) -> list[str]:
    """Problems found by the followthemoney model (empty when valid): unknown schema, invalid or missing required
    properties, references to entities not in the export."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    items = list(entities)
    known = {e["id"] for e in items}
    problems = []
    for data in items:
        schema = model.get(data.get("schema", ""))
        if schema is None:
            problems.append(f"{data.get('id')}: unknown schema {data.get('schema')!r}")
            continue
        try:
            schema.validate(data)  # type: ignore[arg-type]
        except InvalidData as error:
            problems.append(f"{data['id']}: {error}")
        properties = data.get("properties", {})
        for name in schema.required:
            if not properties.get(name):
                problems.append(f"{data['id']}: {schema.name} lacks required {name}")
        for name, values in properties.items():
            prop = schema.properties.get(name)
            if prop is not None and prop.type.name == "entity":
                problems += [f"{data['id']}: {name} points to missing {v}" for v in values if v not in known]
        proxy = model.get_proxy(data)
        if proxy.id != data["id"]:
            problems.append(f"{data['id']}: id changed on load")
    return problems


def ftm_lines(entities: Iterable[dict[str, Any]]) -> Iterator[str]:
    for entity in entities:
        yield json.dumps(entity, ensure_ascii=False, sort_keys=True)


# ------------------------------------------------------------------------------------------------- STIX 2.1


def _sdo_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def stix_bundle(analysis: Analysis, *, now: datetime | None = None) -> str:
    """A STIX 2.1 bundle (JSON text) of actors, networks, identities, orders and their relationships."""
    import stix2

    now = now or datetime(2000, 1, 1, tzinfo=UTC)
    graph, _resolution = analysis.graph, analysis.resolution
    objects: dict[str, Any] = {}
    ids: dict[str, str] = {}

    def keep(obj: Any) -> str:
        objects[obj.id] = obj
        return str(obj.id)

    def stamp(entity: Entity | None) -> datetime:
        return entity.first_seen if entity is not None and entity.first_seen is not None else now

    for entity in graph.entities.values():
        if entity.kind in (ACCOUNT, CHANNEL):
            extra = {"display_name": f"channel {entity.label}"} if entity.kind == CHANNEL else {}
            ids[entity.id] = keep(
                stix2.UserAccount(
                    account_login=entity.label, account_type=(entity.platform or "other").lower(), **extra
                )
            )
        elif entity.kind == PHONE:
            ids[entity.id] = keep(stix2.UserAccount(account_login=entity.label, account_type="phone-number"))
        elif entity.kind == WALLET:
            ids[entity.id] = keep(
                stix2.UserAccount(account_login=entity.label, account_type=f"{entity.platform or 'crypto'}-wallet")
            )
        elif entity.kind == EMAIL:
            ids[entity.id] = keep(stix2.EmailAddress(value=entity.label))
    actors: dict[str, str] = {}
    for backman in analysis.backmen:
        first = graph.entities.get(backman.members[0])
        actors[backman.actor] = keep(
            stix2.ThreatActor(
                id=_sdo_id("threat-actor", backman.actor),
                created=stamp(first),
                modified=stamp(first),
                name=f"Actor {backman.label}",
                threat_actor_types=["criminal"],
                roles=["sponsor" if "client" in backman.role else "agent"],
                description=f"Backman score {backman.score:.3f}: {backman.orders} orders, {backman.recruits} recruits, "
                f"reach {backman.reach}. Country: {backman.country or 'unknown'} ({backman.country_basis}); "
                f"legal route from Norway: {backman.route.route}.",
            )
        )
        for member in backman.members:
            if member in ids:
                keep(
                    stix2.Relationship(
                        id=_sdo_id("relationship", f"{backman.actor}|{member}"),
                        created=stamp(first),
                        modified=stamp(first),
                        relationship_type="related-to",
                        source_ref=actors[backman.actor],
                        target_ref=ids[member],
                        description="identity used by this actor",
                    )
                )
    networks: dict[str, str] = {}
    for found in list(analysis.attribution.actors.values()) + list(analysis.attribution.orders.values()):
        for attributed in found:
            if attributed.network not in networks:
                networks[attributed.network] = keep(
                    stix2.ThreatActor(
                        id=_sdo_id("threat-actor", f"network:{attributed.network}"),
                        created=now,
                        modified=now,
                        name=attributed.network,
                        threat_actor_types=["crime-syndicate"],
                    )
                )
    for entity in graph.of_kind(ORDER):
        refs = [ids[e.source] for e in graph.in_edges(entity.id) if e.source in ids]
        refs += [ids[e.target] for e in graph.out_edges(entity.id) if e.target in ids]
        refs = sorted(set(refs))
        if not refs:
            continue
        ids[entity.id] = keep(
            stix2.Report(
                id=_sdo_id("report", entity.id),
                created=stamp(entity),
                modified=stamp(entity),
                published=stamp(entity),
                name=f"Order {entity.label}",
                report_types=["threat-actor"],
                description=str(entity.attrs.get("text", ""))[:2000] or None,
                object_refs=refs,
            )
        )
    for subject, found in list(analysis.attribution.actors.items()) + list(analysis.attribution.orders.items()):
        source = actors.get(subject) or ids.get(subject)
        if source is None:
            continue
        for attributed in found:
            keep(
                stix2.Relationship(
                    id=_sdo_id("relationship", f"{subject}|attributed|{attributed.network}"),
                    created=now,
                    modified=now,
                    relationship_type="attributed-to",
                    source_ref=source,
                    target_ref=networks[attributed.network],
                    confidence=max(0, min(100, round(attributed.confidence * 100))),
                    description="; ".join(s.detail for s in attributed.evidence[:5]),
                )
            )
    bundle = stix2.Bundle(
        objects=sorted(objects.values(), key=lambda o: str(o.id)),
        allow_custom=False,
        id=_sdo_id("bundle", "varde-network"),
    )
    return str(bundle.serialize(sort_keys=True, indent=1))


def validate_stix(text: str) -> list[str]:
    """Problems found when the stix2 library parses the bundle strictly (empty when valid)."""
    import stix2
    from stix2.exceptions import STIXError

    try:
        bundle = stix2.parse(text, allow_custom=False, version="2.1")
    except (STIXError, ValueError) as error:
        return [str(error)]
    known = {o.id for o in bundle.objects}
    problems = []
    for obj in bundle.objects:
        for ref in [
            getattr(obj, "source_ref", None),
            getattr(obj, "target_ref", None),
            *getattr(obj, "object_refs", []),
        ]:
            if ref is not None and ref not in known:
                problems.append(f"{obj.id}: refers to {ref}, not in the bundle")
    return problems


# ------------------------------------------------------------------------------------------------- GraphML / GEXF


def to_networkx(analysis: Analysis) -> Any:
    """The entity graph as a networkx MultiDiGraph with flat (string/number) attributes."""
    import networkx as nx

    g = nx.MultiDiGraph()
    scores = {b.actor: b.score for b in analysis.backmen}
    for entity in analysis.graph.entities.values():
        actor = analysis.resolution.actor(entity.id)
        best = analysis.attribution.best(entity.id) or analysis.attribution.best(actor)
        g.add_node(
            entity.id,
            kind=entity.kind,
            label=entity.label,
            platform=entity.platform or "",
            first_seen=entity.first_seen.isoformat() if entity.first_seen else "",
            last_seen=entity.last_seen.isoformat() if entity.last_seen else "",
            district=str(entity.attrs.get("district", "")),
            actor=actor if entity.id in analysis.resolution.actor_of else "",
            network=best.network if best else "",
            network_confidence=float(best.confidence) if best else 0.0,
            backman_score=float(scores.get(actor, 0.0)),
        )
    for (source, target, type_), edge in analysis.graph.edges.items():
        g.add_edge(
            source,
            target,
            key=type_,
            type=type_,
            weight=float(edge.weight),
            first_seen=edge.first_seen.isoformat() if edge.first_seen else "",
            last_seen=edge.last_seen.isoformat() if edge.last_seen else "",
            posts=" ".join(edge.post_ids),
        )
    return g


def write_graphml(analysis: Analysis, path: str) -> None:
    import networkx as nx

    nx.write_graphml(to_networkx(analysis), path)


def write_gexf(analysis: Analysis, path: str) -> None:
    import networkx as nx

    nx.write_gexf(to_networkx(analysis), path)
