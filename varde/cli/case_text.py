"""`varde case show` as text: the case, each post with every fact extracted from it and the evidence for it (the
words the fact was read from), and the history; times in the shown zone, labelled. Post text is hostile: every
piece of it is printed as a Python literal (repr), so control and direction characters show as escapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from varde.cases.values import CaseDetail, CasePost
from varde.i18n import clock


def _quoted(value: object) -> str:
    return repr(str(value))


def _at(value: object, zone: ZoneInfo) -> str:
    return clock(datetime.fromisoformat(str(value)), zone) if value else "–"


def _amount(value: object) -> str:
    return f"{float(str(value)):,.0f}".replace(",", " ") if value is not None else ""


def fact_lines(record: dict[str, Any], zone: ZoneInfo) -> list[str]:
    """Every fact in a CONTRACT §2 record with its evidence, one line each."""
    lines = [
        f"score {record.get('score', 0):.2f}  order {'yes' if record.get('is_order') else 'no'}"
        f"  language {record.get('language') or '–'}  urgency {record.get('urgency', 0):.2f}",
        f"violence: {', '.join(record.get('violence_types') or []) or '–'}",
    ]
    when = record.get("when")
    lines.append(
        f"time: {_quoted(when['text'])} → {_at(when.get('start'), zone)} – {_at(when.get('end'), zone)}"
        if when
        else "time: not stated"
    )
    places = record.get("places") or []
    for place in places:
        where = " · ".join(str(place[k]) for k in ("municipality", "district", "country") if place.get(k))
        lines.append(f"place: {_quoted(place.get('text', ''))}" + (f" → {where}" if where else ""))
    if not places:
        lines.append("place: not stated")
    payment = record.get("payment")
    if payment:
        amount = f" → {_amount(payment.get('amount'))} {payment.get('currency') or ''}".rstrip()
        nok = f" (≈ {_amount(payment['amount_nok'])} NOK)" if payment.get("amount_nok") is not None else ""
        lines.append(f"pay: {_quoted(payment.get('text', ''))}{amount if payment.get('amount') else ''}{nok}")
    else:
        lines.append("pay: not stated")
    contacts = record.get("contacts") or []
    lines.append(
        "contacts: " + (", ".join(f"{c.get('kind')} {_quoted(c.get('value', ''))}" for c in contacts) or "none")
    )
    target = record.get("target")
    lines.append(f"target: {_quoted(target.get('text', ''))} ({target.get('kind')})" if target else "target: –")
    if record.get("minor_signals"):
        lines.append(f"minors: {', '.join(str(m) for m in record['minor_signals'])}")
    cues = record.get("cues") or []
    lines.append(
        "cues: "
        + (
            ", ".join(f"{c.get('kind')} {_quoted(c.get('text', ''))} [{c.get('start')}:{c.get('end')}]" for c in cues)
            or "none"
        )
    )
    return lines


def post_lines(post: CasePost, zone: ZoneInfo) -> list[str]:
    text = post.text if len(post.text) <= 300 else post.text[:300] + "…"
    lines = [f"  {clock(post.created_at, zone)}  {post.platform}  {post.id}", f"    {text!r}"]
    if post.record:
        lines.extend(f"    {line}" for line in fact_lines(post.record, zone))
    else:
        lines.append("    (not analysed)")
    return lines


def detail_lines(detail: CaseDetail, zone: ZoneInfo, now: datetime) -> list[str]:
    case = detail.case
    lines = [
        f"case {case.id}  [{case.state}]  version {case.version}  order {case.order_label}",
        f"district {case.district_label}  priority {case.priority}  assignee {case.assignee or '–'}",
        f"violence {', '.join(case.violence_types) or '–'}  posts {case.n_posts}"
        f"  first seen {clock(case.first_seen_at, zone)}",
    ]
    if case.urgency_band(now) == "time_passed":
        lines.append("time passed — check outcome")
    if case.merged_into:
        lines.append(f"merged into case {case.merged_into}")
    if case.notes:
        lines.append("notes:\n  " + case.notes.replace("\n", "\n  "))
    lines.append("posts:")
    for post in detail.posts:
        lines.extend(post_lines(post, zone))
    lines.append("history:")
    for event in detail.events:
        lines.append(f"  {clock(event.at, zone)}  {event.actor}  {event.change}: {event.reason}")
    return lines
