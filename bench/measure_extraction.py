"""Measure the extractors on the gold-positive posts of a labelled JSONL file (default: ../shared/eval/dev.jsonl).

Prints district/region accuracy, payment exact (amount and currency), when-date accuracy, contacts precision and
recall and, where the file states one, target accuracy. Measurement only: never tune the extractors to this file.
Also reads the held-out extraction examples (corpus/extraction/heldout.jsonl: rows with `expect` and `language`
instead of `label`).

    .venv/bin/python bench/measure_extraction.py [path] [--show] [--detect-language]

`--detect-language` takes the language from `varde.detect.detect_language` instead of the label, as the pipeline does.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from varde.detect import clean, detect_language
from varde.extractors import extract_contacts, extract_payment, extract_places, extract_target, extract_when

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def main(argv: list[str]) -> int:
    show = "--show" in argv
    detect = "--detect-language" in argv
    paths = [a for a in argv if not a.startswith("--")]
    path = Path(paths[0]) if paths else DEFAULT
    rows: list[dict[str, Any]] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        if "expect" in row:  # held-out extraction examples: every row is an order
            row["label"] = {**row["expect"], "is_order": True, "language": row["language"]}
    positives = [r for r in rows if r["label"]["is_order"]]
    district = [0, 0]
    payment = [0, 0]
    when = [0, 0]
    target = [0, 0]
    tp = fp = fn = 0
    for row in positives:
        label = row["label"]
        text = clean(row["text"]).text
        lang = detect_language(text) if detect else label.get("language")
        created = datetime.fromisoformat(row["created_at"])
        places = extract_places(text, lang)
        got_district = next((p.district for p in places if p.district), None)
        if label["district"] is not None:
            district[1] += 1
            district[0] += got_district == label["district"]
            if show and got_district != label["district"]:
                print("DISTRICT", row["id"], label["district"], "got", got_district, [p.text for p in places])
        country = next((p.country for p in places if p.country), None)
        pay = extract_payment(text, lang, country)
        if label["payment_amount"] is not None:
            payment[1] += 1
            ok = pay is not None and pay.amount == label["payment_amount"] and pay.currency == label["payment_currency"]
            payment[0] += ok
            if show and not ok:
                print("PAYMENT", row["id"], label["payment_amount"], label["payment_currency"], "got", pay)
        got_when = extract_when(text, created, lang)
        got_date = got_when.start.date().isoformat() if got_when else None
        if label["when_date"] is not None:
            when[1] += 1
            when[0] += got_date == label["when_date"]
            if show and got_date != label["when_date"]:
                print("WHEN", row["id"], label["when_date"], "got", got_when and (got_when.text, got_date))
        gold = {(c["kind"], c["value"]) for c in label["contacts"]}
        got = {(c.kind, c.value) for c in extract_contacts(text, lang)}
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        if show and gold != got:
            print("CONTACTS", row["id"], "missed", sorted(gold - got), "extra", sorted(got - gold))
        if label.get("target"):
            found = extract_target(text, lang)
            ok = found is not None and label["target"].casefold() in found.text.casefold()
            target[1] += 1
            target[0] += ok
            if show and not ok:
                print("TARGET", row["id"], label["target"], "got", found and found.text)

    def ratio(pair: list[int]) -> str:
        return f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})" if pair[1] else "n/a"

    print(f"posts (gold positives): {len(positives)}")
    print(f"district/region accuracy: {ratio(district)}")
    print(f"payment exact (amount+currency): {ratio(payment)}")
    print(f"when date right: {ratio(when)}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    if target[1]:
        print(f"target right: {ratio(target)}")
    print(f"contacts precision: {precision:.3f}  recall: {recall:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
