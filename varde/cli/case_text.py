"""`varde case show` as text: the case, each post with every fact extracted from it and the evidence for it (the
words the fact was read from), and the history; times in the shown zone, labelled. Post text is hostile: every
piece of it is printed as a Python literal (repr), so control and direction characters show as escapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from varde.cases.values import CaseDetail, CasePost
from varde.cli.messages import _, term
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
        _("score %(score)s  order %(order)s  language %(language)s  urgency %(urgency)s")
        % {
            "score": f"{record.get('score', 0):.2f}",
            "order": _("yes") if record.get("is_order") else _("no"),
            "language": record.get("language") or "–",
            "urgency": f"{record.get('urgency', 0):.2f}",
        },
        _("violence:") + f" {', '.join(term(v) for v in record.get('violence_types') or []) or '–'}",
    ]
    not_stated = _("not stated")
    time_label, place_label, pay_label = _("time:"), _("place:"), _("pay:")
    contacts_label, target_label, minors_label, cues_label = _("contacts:"), _("target:"), _("minors:"), _("cues:")
    when = record.get("when")
    lines.append(
        _("time:") + f" {_quoted(when['text'])} → {_at(when.get('start'), zone)} – {_at(when.get('end'), zone)}"
        if when
        else f"{time_label} {not_stated}"
    )
    places = record.get("places") or []
    for place in places:
        where = " · ".join(str(place[k]) for k in ("municipality", "district", "country") if place.get(k))
        lines.append(f"{place_label} {_quoted(place.get('text', ''))}" + (f" → {where}" if where else ""))
    if not places:
        lines.append(f"{place_label} {not_stated}")
    payment = record.get("payment")
    if payment:
        amount = f" → {_amount(payment.get('amount'))} {payment.get('currency') or ''}".rstrip()
        nok = f" (≈ {_amount(payment['amount_nok'])} NOK)" if payment.get("amount_nok") is not None else ""
        lines.append(f"{pay_label} {_quoted(payment.get('text', ''))}{amount if payment.get('amount') else ''}{nok}")
    else:
        lines.append(f"{pay_label} {not_stated}")
    contacts = record.get("contacts") or []
    lines.append(
        f"{contacts_label} "
        + (", ".join(f"{c.get('kind')} {_quoted(c.get('value', ''))}" for c in contacts) or _("none"))
    )
    target = record.get("target")
    lines.append(
        f"{target_label} {_quoted(target.get('text', ''))} ({target.get('kind')})" if target else f"{target_label} –"
    )
    if record.get("minor_signals"):
        lines.append(f"{minors_label} {', '.join(str(m) for m in record['minor_signals'])}")
    cues = record.get("cues") or []
    lines.append(
        f"{cues_label} "
        + (
            ", ".join(
                f"{term(str(c.get('kind')))} {_quoted(c.get('text', ''))} [{c.get('start')}:{c.get('end')}]"
                for c in cues
            )
            or _("none")
        )
    )
    return lines


def post_lines(post: CasePost, zone: ZoneInfo) -> list[str]:
    text = post.text if len(post.text) <= 300 else post.text[:300] + "…"
    lines = [f"  {clock(post.created_at, zone)}  {post.platform}  {post.id}", f"    {text!r}"]
    if post.record:
        lines.extend(f"    {line}" for line in fact_lines(post.record, zone))
    else:
        lines.append("    (" + _("not analysed") + ")")
    return lines


def detail_lines(detail: CaseDetail, zone: ZoneInfo, now: datetime) -> list[str]:
    case = detail.case
    lines = [
        _("case %(id)s  [%(state)s]  version %(version)s  order %(order)s")
        % {"id": case.id, "state": term(case.state), "version": case.version, "order": case.order_label},
        _("district %(district)s  priority %(priority)s  assignee %(assignee)s")
        % {"district": case.district_label, "priority": case.priority, "assignee": case.assignee or "–"},
        _("violence %(violence)s  posts %(posts)s  first seen %(first_seen)s")
        % {
            "violence": ", ".join(term(v) for v in case.violence_types) or "–",
            "posts": case.n_posts,
            "first_seen": clock(case.first_seen_at, zone),
        },
    ]
    if case.urgency_band(now) == "time_passed":
        lines.append(_("time passed — check outcome"))
    if case.merged_into:
        lines.append(_("merged into case %(case)s") % {"case": case.merged_into})
    if case.notes:
        lines.append(_("notes:") + "\n  " + case.notes.replace("\n", "\n  "))
    lines.append(_("posts:"))
    for post in detail.posts:
        lines.extend(post_lines(post, zone))
    lines.append(_("history:"))
    for event in detail.events:
        lines.append(f"  {clock(event.at, zone)}  {event.actor}  {event.change}: {event.reason}")
    return lines
