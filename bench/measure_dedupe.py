"""Measure de-duplication on the development set's gold orders (measurement only: never tune on it).

Every gold-positive post is run through normalise → language → extract → urgency with `is_order` forced on (so the
figures do not depend on the detector), then through `MemoryOrderIndex` in file order. The grouping is compared
with `label.order_group`: pairwise precision/recall/F1 over same-order pairs, and B-cubed precision/recall/F1.

    .venv/bin/python bench/measure_dedupe.py [--dev PATH] [--show]
    .venv/bin/python bench/measure_dedupe.py --dev corpus/demo/posts.jsonl --labels corpus/demo/labels.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from varde.dedupe import MemoryOrderIndex
from varde.pipeline.stages import DedupeStage, ExtractStage, LanguageStage, NormaliseStage, UrgencyStage
from varde.posts import post_from_mapping
from varde.records import Record

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def pairwise(gold: Sequence[str], found: Sequence[str]) -> tuple[float, float, float]:
    same_gold = {(i, j) for i, j in combinations(range(len(gold)), 2) if gold[i] == gold[j]}
    same_found = {(i, j) for i, j in combinations(range(len(found)), 2) if found[i] == found[j]}
    both = len(same_gold & same_found)
    precision = both / len(same_found) if same_found else 1.0
    recall = both / len(same_gold) if same_gold else 1.0
    return precision, recall, _f1(precision, recall)


def bcubed(gold: Sequence[str], found: Sequence[str]) -> tuple[float, float, float]:
    n = len(gold)
    precision = recall = 0.0
    for i in range(n):
        in_found = {j for j in range(n) if found[j] == found[i]}
        in_gold = {j for j in range(n) if gold[j] == gold[i]}
        overlap = len(in_found & in_gold)
        precision += overlap / len(in_found)
        recall += overlap / len(in_gold)
    precision, recall = precision / n, recall / n
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def gold_orders(path: Path, labels: Path | None = None) -> tuple[list[Record], list[str]]:
    """Gold-positive posts and their groups; labels inline (`label`) or in a separate file of {id, label}."""
    separate = {}
    if labels is not None:
        for line in labels.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            item = json.loads(line)
            separate[item["id"]] = item["label"]
    records, groups = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        data = json.loads(line)
        label = data.pop("label") if labels is None else separate[data["id"]]
        if label.get("is_order"):
            records.append(Record(post=post_from_mapping(data)))
            groups.append(str(label["order_group"]))
    return records, groups


def analyse(records: Sequence[Record]) -> list[Record]:
    batch = NormaliseStage()(records)
    batch = LanguageStage()(batch)
    batch = [dataclasses.replace(r, is_order=True) for r in batch]
    batch = ExtractStage()(batch)
    batch = UrgencyStage()(batch)
    return DedupeStage(MemoryOrderIndex())(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, default=DEV, help="posts (JSONL) with inline labels, or see --labels")
    parser.add_argument("--labels", type=Path, help="labels in a separate JSONL file of {id, label}")
    parser.add_argument("--show", action="store_true", help="list the gold groups that were split or merged")
    args = parser.parse_args()
    records, gold = gold_orders(args.dev, args.labels)
    found = [str(r.order_id) for r in analyse(records)]
    p, r, f = pairwise(gold, found)
    bp, br, bf = bcubed(gold, found)
    print(f"posts {len(gold)}  gold orders {len(set(gold))}  found orders {len(set(found))}")
    print(f"pairwise  precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    print(f"B-cubed   precision {bp:.3f}  recall {br:.3f}  F1 {bf:.3f}")
    if args.show:
        ids = [rec.id for rec in records]
        for group in sorted(set(gold)):
            members = [i for i, g in enumerate(gold) if g == group]
            found_ids = {found[i] for i in members}
            merged = {ids[j] for j in range(len(gold)) if found[j] in found_ids and gold[j] != group}
            if len(found_ids) > 1 or merged:
                print(
                    f"{group}: posts {[ids[i] for i in members]} -> {len(found_ids)} ids; merged with {sorted(merged)}"
                )


if __name__ == "__main__":
    main()
