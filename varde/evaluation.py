"""Scoring the pipeline against labelled posts (the format of ../shared/eval/dev.jsonl; see its README).

`evaluate(pairs)` takes (label, Record) pairs — the gold `label` object of each input line and the record the
pipeline produced — and returns a plain dict report:

- detection: precision/recall/F1 overall, per language (gold `language`, else the detected one) and per bucket;
- `violence_types`: micro precision/recall/F1 over the gold positives;
- when every label is negative (the external sets): the false-positive rate, overall and on `violence >= 2`;
- extraction over gold positives: district accuracy, payment amount exact with the right currency, the local date
  of `when.start`, contacts precision/recall, minor-signal agreement;
- de-duplication over gold positives: pairwise precision/recall/F1 and B-cubed F1 of `order_id` against
  `order_group` (a post with no `order_id` is its own cluster);
- `errors`: every misclassified post (id, bucket, language, score, text, cues).

`format_report` renders the report as text. Pure functions: no files, no pipeline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any
from zoneinfo import ZoneInfo

from varde.records import Record

Label = Mapping[str, Any]
_ZONES = {"NO": "Europe/Oslo", "SE": "Europe/Stockholm", "DK": "Europe/Copenhagen"}
_LANGUAGE_COUNTRY = {"nb": "NO", "nn": "NO", "sv": "SE", "da": "DK"}
_TEXT_LIMIT = 280


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Counts with precision, recall and F1 (None where undefined)."""
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _is_positive(label: Label) -> bool:
    return bool(label.get("is_order"))


def _language(label: Label, record: Record) -> str:
    return str(label.get("language") or record.language or "unknown")


def detection_metrics(pairs: Sequence[tuple[Label, Record]]) -> dict[str, Any]:
    """Order precision/recall/F1 overall, per language and per bucket."""
    counts: dict[str, int] = defaultdict(int)
    by_language: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_bucket: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for label, record in pairs:
        gold, predicted = _is_positive(label), record.is_order
        outcome = "tp" if gold and predicted else "fp" if predicted else "fn" if gold else "tn"
        counts[outcome] += 1
        by_language[_language(label, record)][outcome] += 1
        bucket = by_bucket[str(label.get("bucket") or "unlabelled")]
        bucket["n"] += 1
        bucket["positive"] += int(gold)
        bucket["flagged"] += int(predicted)
        bucket["correct"] += int(gold == predicted)
    overall = prf(counts["tp"], counts["fp"], counts["fn"]) | {"tn": counts["tn"], "n": len(pairs)}
    languages = {
        lang: prf(c["tp"], c["fp"], c["fn"]) | {"tn": c["tn"], "n": sum(c.values())}
        for lang, c in sorted(by_language.items())
    }
    buckets = {
        name: {
            "n": c["n"],
            "gold_orders": c["positive"],
            "flagged": c["flagged"],
            "accuracy": _ratio(c["correct"], c["n"]),
        }
        for name, c in sorted(by_bucket.items())
    }
    return {"orders": overall, "by_language": languages, "by_bucket": buckets}


def violence_type_metrics(pairs: Sequence[tuple[Label, Record]]) -> dict[str, Any]:
    """Micro precision/recall/F1 of violence types over the gold positives."""
    tp = fp = fn = 0
    for label, record in pairs:
        if not _is_positive(label):
            continue
        gold = set(label.get("violence_types") or [])
        predicted = set(record.violence_types)
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return prf(tp, fp, fn)


def false_positive_rate(pairs: Sequence[tuple[Label, Record]], violence_floor: float = 2.0) -> dict[str, Any]:
    """Share of (all-negative) posts flagged, overall and among posts rated `violence >= violence_floor`."""
    flagged = sum(1 for _, record in pairs if record.is_order)
    violent = [(label, record) for label, record in pairs if float(label.get("violence") or 0) >= violence_floor]
    violent_flagged = sum(1 for _, record in violent if record.is_order)
    return {
        "n": len(pairs),
        "flagged": flagged,
        "rate": _ratio(flagged, len(pairs)),
        f"violence>={violence_floor:g}": {
            "n": len(violent),
            "flagged": violent_flagged,
            "rate": _ratio(violent_flagged, len(violent)),
        },
    }


def _zone(label: Label, record: Record) -> ZoneInfo:
    country = label.get("country") or _LANGUAGE_COUNTRY.get(_language(label, record)) or "NO"
    return ZoneInfo(_ZONES.get(str(country), "Europe/Oslo"))


def extraction_metrics(pairs: Sequence[tuple[Label, Record]]) -> dict[str, Any]:
    """District, payment, when-date, contacts and minor signals, scored on the gold positives."""
    district = {"n": 0, "correct": 0, "spurious": 0}
    payment = {"n": 0, "correct": 0, "amount_only": 0, "spurious": 0}
    when = {"n": 0, "correct": 0, "spurious": 0}
    contacts = {"tp": 0, "fp": 0, "fn": 0}
    minor = {"tp": 0, "fp": 0, "fn": 0}
    for label, record in pairs:
        if not _is_positive(label):
            continue
        gold_district = label.get("district")
        if gold_district:
            district["n"] += 1
            district["correct"] += int(record.district == gold_district)
        elif record.district:
            district["spurious"] += 1
        gold_amount = label.get("payment_amount")
        paid = record.payment
        if gold_amount is not None:
            payment["n"] += 1
            if paid and paid.amount == gold_amount:
                payment["amount_only"] += 1
                payment["correct"] += int(paid.currency == label.get("payment_currency"))
        elif paid and paid.amount is not None:
            payment["spurious"] += 1
        gold_date = label.get("when_date")
        predicted_date = record.when.start.astimezone(_zone(label, record)).date().isoformat() if record.when else None
        if gold_date:
            when["n"] += 1
            when["correct"] += int(predicted_date == gold_date)
        elif predicted_date:
            when["spurious"] += 1
        gold_contacts = {(c["kind"], c["value"]) for c in label.get("contacts") or []}
        found = {(c.kind, c.value) for c in record.contacts}
        contacts["tp"] += len(gold_contacts & found)
        contacts["fp"] += len(found - gold_contacts)
        contacts["fn"] += len(gold_contacts - found)
        gold_minor, found_minor = bool(label.get("minor")), bool(record.minor_signals)
        minor["tp"] += int(gold_minor and found_minor)
        minor["fp"] += int(found_minor and not gold_minor)
        minor["fn"] += int(gold_minor and not found_minor)
    return {
        "district": district | {"accuracy": _ratio(district["correct"], district["n"])},
        "payment": payment | {"accuracy": _ratio(payment["correct"], payment["n"])},
        "when_date": when | {"accuracy": _ratio(when["correct"], when["n"])},
        "contacts": prf(contacts["tp"], contacts["fp"], contacts["fn"]),
        "minor": prf(minor["tp"], minor["fp"], minor["fn"]),
    }


def clustering_metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Pairwise precision/recall/F1 and B-cubed precision/recall/F1 of a predicted clustering against gold."""
    same_gold = same_pred = same_both = 0
    for i, j in combinations(range(len(gold)), 2):
        in_gold, in_pred = gold[i] == gold[j], predicted[i] == predicted[j]
        same_gold += in_gold
        same_pred += in_pred
        same_both += in_gold and in_pred
    gold_members: dict[str, set[int]] = defaultdict(set)
    pred_members: dict[str, set[int]] = defaultdict(set)
    for index, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        gold_members[g].add(index)
        pred_members[p].add(index)
    b_precision = b_recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        overlap = len(gold_members[g] & pred_members[p])
        b_precision += overlap / len(pred_members[p])
        b_recall += overlap / len(gold_members[g])
    n = len(gold)
    bp, br = (b_precision / n, b_recall / n) if n else (0.0, 0.0)
    return {
        "items": n,
        "gold_clusters": len(gold_members),
        "predicted_clusters": len(pred_members),
        "pairwise_precision": _ratio(same_both, same_pred),
        "pairwise_recall": _ratio(same_both, same_gold),
        "pairwise_f1": _ratio(2 * same_both, same_pred + same_gold),
        "bcubed_precision": round(bp, 4) if n else None,
        "bcubed_recall": round(br, 4) if n else None,
        "bcubed_f1": round(2 * bp * br / (bp + br), 4) if bp + br else None,
    }


def dedupe_metrics(pairs: Sequence[tuple[Label, Record]]) -> dict[str, Any]:
    """`order_id` against `order_group` over the gold positives; unflagged posts are singletons."""
    gold: list[str] = []
    predicted: list[str] = []
    for label, record in pairs:
        group = label.get("order_group")
        if not _is_positive(label) or not group:
            continue
        gold.append(str(group))
        predicted.append(record.order_id or f"single:{record.id}")
    return clustering_metrics(gold, predicted)


def _error(kind: str, label: Label, record: Record) -> dict[str, Any]:
    text = record.post.text
    return {
        "id": record.id,
        "error": kind,
        "bucket": label.get("bucket"),
        "language": _language(label, record),
        "score": round(float(record.score), 4),
        "gold_types": list(label.get("violence_types") or []),
        "types": list(record.violence_types),
        "text": text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…",
        "cues": [f"{c.kind}:{c.text}" for c in record.cues if c.kind not in ("place", "contact", "when", "target")],
    }


def errors(pairs: Sequence[tuple[Label, Record]]) -> list[dict[str, Any]]:
    """Misclassified posts (false positives and negatives), then positives with wrong violence types."""
    out: list[dict[str, Any]] = []
    for label, record in pairs:
        gold = _is_positive(label)
        if gold != record.is_order:
            out.append(_error("false_negative" if gold else "false_positive", label, record))
    for label, record in pairs:
        wrong_types = set(label.get("violence_types") or []) != set(record.violence_types)
        if _is_positive(label) and record.is_order and wrong_types:
            out.append(_error("violence_types", label, record))
    return out


def evaluate(pairs: Sequence[tuple[Label, Record]]) -> dict[str, Any]:
    """The full report for labelled (label, record) pairs (see the module doc)."""
    report: dict[str, Any] = {"posts": len(pairs)}
    report |= detection_metrics(pairs)
    has_positives = any(_is_positive(label) for label, _ in pairs)
    if has_positives:
        report["violence_types"] = violence_type_metrics(pairs)
        report["extraction"] = extraction_metrics(pairs)
        report["dedupe"] = dedupe_metrics(pairs)
    else:
        report["false_positive_rate"] = false_positive_rate(pairs)
    report["errors"] = errors(pairs)
    return report


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def format_report(report: Mapping[str, Any], max_errors: int | None = None) -> str:
    """A plain-text rendering of `evaluate`'s report."""
    lines: list[str] = []
    orders = report["orders"]
    lines.append(f"posts: {report['posts']}")
    lines.append(
        f"orders: precision {_fmt(orders['precision'])}  recall {_fmt(orders['recall'])}  f1 {_fmt(orders['f1'])}  "
        f"(tp {orders['tp']}, fp {orders['fp']}, fn {orders['fn']}, tn {orders['tn']})"
    )
    lines.append("by language:")
    for lang, m in report["by_language"].items():
        lines.append(
            f"  {lang:8} n {m['n']:5}  precision {_fmt(m['precision'])}  recall {_fmt(m['recall'])}  f1 {_fmt(m['f1'])}"
        )
    lines.append("by bucket (accuracy; gold orders / flagged):")
    for name, m in report["by_bucket"].items():
        lines.append(f"  {name:16} n {m['n']:5}  accuracy {_fmt(m['accuracy'])}  ({m['gold_orders']} / {m['flagged']})")
    if "violence_types" in report:
        v = report["violence_types"]
        lines.append(
            f"violence types (micro): precision {_fmt(v['precision'])}  recall {_fmt(v['recall'])}  f1 {_fmt(v['f1'])}"
        )
    if "false_positive_rate" in report:
        fpr = report["false_positive_rate"]
        lines.append(f"false-positive rate: {_fmt(fpr['rate'])} ({fpr['flagged']} of {fpr['n']})")
        for key, sub in fpr.items():
            if isinstance(sub, dict):
                lines.append(f"  {key}: {_fmt(sub['rate'])} ({sub['flagged']} of {sub['n']})")
    if "extraction" in report:
        e = report["extraction"]
        lines.append("extraction (gold orders):")
        for key in ("district", "payment", "when_date"):
            m = e[key]
            counts = f"({m['correct']} of {m['n']}; spurious {m['spurious']})"
            lines.append(f"  {key:10} accuracy {_fmt(m['accuracy'])} {counts}")
        for key in ("contacts", "minor"):
            m = e[key]
            lines.append(f"  {key:10} precision {_fmt(m['precision'])}  recall {_fmt(m['recall'])}  f1 {_fmt(m['f1'])}")
    if "dedupe" in report:
        d = report["dedupe"]
        lines.append(
            f"dedupe: pairwise precision {_fmt(d['pairwise_precision'])}  recall {_fmt(d['pairwise_recall'])}  "
            f"f1 {_fmt(d['pairwise_f1'])}  B-cubed f1 {_fmt(d['bcubed_f1'])}  "
            f"({d['predicted_clusters']} predicted / {d['gold_clusters']} gold clusters)"
        )
    shown = report["errors"] if max_errors is None else report["errors"][:max_errors]
    lines.append(f"errors: {len(report['errors'])}")
    for err in shown:
        types = f" types {err['types']} vs gold {err['gold_types']}" if err["error"] == "violence_types" else ""
        text = err["text"].replace("\n", " / ")
        where = f"{err['bucket']}/{err['language']}"
        lines.append(f"  [{err['error']}] {err['id']} {where} score {err['score']:.3f}{types}")
        lines.append(f"      {text}")
    return "\n".join(lines)
