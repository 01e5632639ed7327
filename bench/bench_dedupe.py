"""Benchmark de-duplication at scale: time and peak memory to assign order ids over generated posts.

Generates N posts (about 1.5 % orders, in repost clusters of 1–50 with exact re-posts, light edits, other emoji
and formatting, another handle, obfuscated and translated variants; different orders reuse templates, places,
prices and brokers' handles), builds `Record`s directly with the slots filled in (so the index is measured, not the
detector or extractors), and assigns order ids in batches of 10,000 posts the way the pipeline's dedupe stage does:
posts not flagged as orders pass straight through, the orders go to `MemoryOrderIndex.assign_many` (or, with
`--database`, `DatabaseOrderIndex.assign_many`, one transaction per batch). Each size runs in its own process so
peak memory (max RSS) is its own. It also prints how well the generated clusters were recovered (pairwise and B-cubed).

    .venv/bin/python bench/bench_dedupe.py --sizes 100000,300000,1000000
    .venv/bin/python bench/bench_dedupe.py --sizes 100000 --database sqlite
    .venv/bin/python bench/bench_dedupe.py --sizes 100000 --database postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta

from varde.dedupe import MemoryOrderIndex, OrderIndex
from varde.posts import Post
from varde.records import Contact, Payment, Place, Record

T0 = datetime.fromisoformat("2025-04-01T12:00:00+02:00")
SPAN_DAYS = 180.0
ORDER_SHARE = 0.015
BATCH = 10_000
LANGS = ("nb", "sv", "da", "en")
CURRENCY = {"nb": "NOK", "sv": "SEK", "da": "DKK", "en": "EUR"}
TO_NOK = {"NOK": 1.0, "SEK": 1.0, "DKK": 1.5, "EUR": 11.5}
TYPES = ("shooting", "arson", "explosion", "stabbing", "assault", "threat", "kidnapping", "robbery")
EMOJI = {"shooting": "🔫", "arson": "🔥", "explosion": "💣", "stabbing": "🔪", "assault": "👊", "threat": "⚠️"}
EXTRA_EMOJI = ("💰", "💸", "‼️", "🚗", "📍", "⏰", "🤫", "✅", "👀", "💯")

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "nb": {
        "open": ("Trenger en som kan", "Søker folk som tør å", "Noen som vil", "Ser etter en kar som kan", "Hvem kan"),
        "job": (
            "ta en jobb",
            "fikse et oppdrag",
            "gjøre en greie",
            "ordne noe for meg",
            "ta seg av en sak",
            "skremme en kar",
        ),
        "where": ("i {p}", "på {p}", "ved {p}", "rundt {p}"),
        "when": ("i kveld", "i natt", "i morgen", "innen fredag", "i helga", "asap", "snarest"),
        "pay": ("{k}k cash", "betaler {k}k", "{k} lapper", "{k}k etter utført jobb", "lønn {k}k"),
        "close": ("Kun seriøse", "Ingen tull", "Diskret", "Rask betaling", "Alder spiller ingen rolle"),
        "contact": ("skriv til {c}", "dm {c}", "kontakt {c}", "snap {c}", "tg {c}"),
    },
    "sv": {
        "open": ("Behöver någon som kan", "Söker folk som vågar", "Vem kan", "Letar efter en kille som kan"),
        "job": ("ta ett jobb", "fixa ett uppdrag", "göra en grej", "lösa en sak åt mig", "skrämma en snubbe"),
        "where": ("i {p}", "på {p}", "vid {p}", "runt {p}"),
        "when": ("ikväll", "inatt", "imorgon", "innan fredag", "i helgen", "asap", "snarast"),
        "pay": ("{k}k kontant", "betalar {k}k", "{k} lax", "{k} ton efter utfört jobb", "lön {k}k"),
        "close": ("Bara seriösa", "Inget trams", "Diskret", "Snabb betalning", "Ålder spelar ingen roll"),
        "contact": ("skriv till {c}", "dm {c}", "kontakta {c}", "snap {c}", "tg {c}"),
    },
    "da": {
        "open": ("Mangler en der kan", "Søger folk der tør", "Hvem kan", "Leder efter en fyr der kan"),
        "job": ("tage et job", "klare en opgave", "ordne noget for mig", "skræmme en fyr"),
        "where": ("i {p}", "på {p}", "ved {p}"),
        "when": ("i aften", "i nat", "i morgen", "inden fredag", "i weekenden", "hurtigst muligt"),
        "pay": ("{k}k kontant", "betaler {k}k", "{k} tusind", "løn {k}k"),
        "close": ("Kun seriøse", "Intet pjat", "Diskret", "Hurtig betaling"),
        "contact": ("skriv til {c}", "dm {c}", "kontakt {c}", "snap {c}"),
    },
    "en": {
        "open": ("Need someone who can", "Looking for people who dare to", "Who can", "Looking for a guy to"),
        "job": ("do a job", "handle a task", "sort something out for me", "scare a guy"),
        "where": ("in {p}", "at {p}", "near {p}", "around {p}"),
        "when": ("tonight", "tomorrow", "before friday", "this weekend", "asap"),
        "pay": ("{k}k cash", "paying {k}k", "{k}k when done", "pay {k}k"),
        "close": ("Serious only", "No time wasters", "Discreet", "Fast payment", "Age doesn't matter"),
        "contact": ("write to {c}", "dm {c}", "contact {c}", "snap {c}", "tg {c}"),
    },
}
PARTS = ("open", "job", "where", "when", "pay", "close", "contact")
HOMOGLYPHS = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с"})
FILLER = (
    "selger sofa billig",
    "noen som vil spille fotball i kveld",
    "säljer cykel 500 kr",
    "hvem skal på festival",
    "nice weather today",
    "tips om gode restauranter",
    "lånar ut släpvagn",
    "ny video ute nå",
    "kommer du på møtet",
    "check out my new track",
)


def _syllable_names(rng: random.Random, n: int) -> list[str]:
    first = ("Hol", "Fur", "Ski", "Lind", "Berg", "Ros", "Tor", "Vik", "Sol", "Elv", "Nor", "Øst", "Kvar", "Hag")
    last = ("mlia", "uset", "vika", "heim", "dal", "stad", "by", "rud", "haugen", "sund", "berga", "lunda", "köping")
    names = sorted({a + b for a in first for b in last})
    rng.shuffle(names)
    return names[:n]


@dataclasses.dataclass(frozen=True)
class Order:
    number: int
    language: str
    choice: tuple[int, ...]
    place: Place
    price: int
    handle: str
    kind: str
    emoji: tuple[str, ...]


class Generator:
    """Deterministic post generator (seeded)."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        names = _syllable_names(self.rng, 180)
        self.places = [
            Place(name, "NO", f"Kommune{i // 3}", f"{1000 + i // 3}", f"Distrikt{i // 15}")
            for i, name in enumerate(names)
        ]
        self.brokers = [f"@broker_{i:04d}" for i in range(800)]
        self.prices = (10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250, 300, 500)

    def order(self, number: int) -> Order:
        rng = self.rng
        lang = rng.choices(LANGS, weights=(40, 35, 12, 13))[0]
        kind = rng.choice(TYPES)
        return Order(
            number=number,
            language=lang,
            choice=tuple(rng.randrange(1000) for _ in PARTS),
            place=rng.choice(self.places),
            price=rng.choice(self.prices),
            handle=rng.choice(self.brokers),
            kind=kind,
            emoji=tuple(rng.sample(EXTRA_EMOJI, 2)),
        )

    def text(self, order: Order, variant: str) -> tuple[str, str, str]:
        """The text of one post of `order`, its language and the contact it names."""
        rng = self.rng
        lang, choice, handle = order.language, list(order.choice), order.handle
        if variant == "translated":
            lang = rng.choice([x for x in LANGS if x != order.language])
            choice = [rng.randrange(1000) for _ in PARTS]
        if variant == "edited":
            for i in rng.sample(range(len(PARTS)), 2):
                choice[i] = rng.randrange(1000)
        if variant == "handle":
            handle = rng.choice(self.brokers)
        pool = PHRASES[lang]
        words = [pool[part][c % len(pool[part])] for part, c in zip(PARTS, choice, strict=True)]
        fill = {"p": order.place.text, "k": str(order.price), "c": handle}
        sentence = f"{words[0]} {words[1]} {words[2]} {words[3]}. {words[4]}. {words[5]}, {words[6]}"
        text = sentence.format(**fill)
        mark = EMOJI.get(order.kind, "")
        text = f"{mark} {text} {order.emoji[0]}"
        if variant == "emoji":
            text = text.replace(order.emoji[0], rng.choice(EXTRA_EMOJI) * 2).upper()
        elif variant == "obfuscated":
            text = text.translate(HOMOGLYPHS).replace(order.place.text, " ".join(order.place.text))
        elif variant == "edited" and rng.random() < 0.5:
            text = text.replace(". ", "!\n\n")
        return text, lang, handle


def schedule(n_posts: int, rng: random.Random) -> dict[int, tuple[int, str]]:
    """Position → (order number, variant) for the order posts among `n_posts`."""
    target = int(n_posts * ORDER_SHARE)
    slots: dict[int, tuple[int, str]] = {}
    day = n_posts / SPAN_DAYS  # positions per day
    number = 0
    while len(slots) < target:
        size = min(50, max(1, int(rng.paretovariate(1.3))))
        start = rng.randrange(n_posts)
        for k in range(size):
            offset = 0 if k == 0 else int(rng.expovariate(1 / 3.0) * day)
            position = min(n_posts - 1, start + offset)
            while position in slots and position < n_posts - 1:
                position += 1
            if position in slots:
                continue
            variant = (
                "first"
                if k == 0
                else rng.choices(
                    ("exact", "edited", "emoji", "handle", "obfuscated", "translated"), weights=(40, 25, 10, 10, 8, 7)
                )[0]
            )
            slots[position] = (number, variant)
        number += 1
    return slots


def records(n_posts: int, seed: int = 7) -> Iterator[tuple[Record, int | None]]:
    """(record, true order number or None) for every post, in time order."""
    gen = Generator(seed)
    plan = schedule(n_posts, gen.rng)
    orders: dict[int, Order] = {}
    per_day = n_posts / SPAN_DAYS
    for position in range(n_posts):
        created = T0 + timedelta(days=position / per_day)
        if position not in plan:
            post = Post(f"p{position}", "telegram", gen.rng.choice(FILLER), created)
            yield Record(post=post, normalised=post.text), None
            continue
        number, variant = plan[position]
        # A first post can come after a repost in the stream (the schedule spreads clusters); build on first use.
        order = orders.setdefault(number, gen.order(number))
        text, lang, handle = gen.text(order, variant)
        post = Post(f"p{position}", "telegram", text, created, author=handle)
        missed = gen.rng.random()  # simulate extractors missing a slot now and then
        currency = CURRENCY[lang]
        amount = order.price * 1000
        yield (
            Record(
                post=post,
                normalised=" ".join(text.lower().split()),
                language=lang,
                is_order=True,
                violence_types=(order.kind,),
                places=() if missed < 0.08 else (order.place,),
                payment=None
                if 0.08 <= missed < 0.14
                else Payment(f"{order.price}k", amount, currency, int(amount * TO_NOK[currency])),
                contacts=(Contact("telegram", handle),),
            ),
            number,
        )


def quality(truth: list[int], found: list[str]) -> str:
    cells = Counter(zip(truth, found, strict=True))
    gold, pred = Counter(truth), Counter(found)
    n = len(truth)

    def pairs(c: int) -> int:
        return c * (c - 1) // 2

    tp = sum(pairs(c) for c in cells.values())
    p = tp / max(1, sum(pairs(c) for c in pred.values()))
    r = tp / max(1, sum(pairs(c) for c in gold.values()))
    bp = sum(c * c / pred[f] for (_, f), c in cells.items()) / n
    br = sum(c * c / gold[g] for (g, _), c in cells.items()) / n
    return (
        f"orders {len(gold)} found {len(pred)}  pairwise P {p:.3f} R {r:.3f}  "
        f"B-cubed P {bp:.3f} R {br:.3f} F1 {2 * bp * br / (bp + br):.3f}"
    )


@contextmanager
def database_index(where: str) -> Iterator[OrderIndex]:
    """A `DatabaseOrderIndex` on a throw-away database: a temporary SQLite file, or a fresh schema on PostgreSQL."""
    from sqlalchemy import create_engine, text

    from varde.store.database import create_store_engine
    from varde.store.order_index import TABLES, DatabaseOrderIndex
    from varde.store.tables import metadata

    if where == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            engine = create_store_engine(f"sqlite:///{folder}/bench.db")
            metadata.create_all(engine, tables=list(TABLES))
            yield DatabaseOrderIndex(engine)
            engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(where, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        engine = create_store_engine(f"{where}?options=-csearch_path%3D{schema}")
        metadata.create_all(engine, tables=list(TABLES))
        yield DatabaseOrderIndex(engine)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(n_posts: int, database: str | None = None) -> None:
    with ExitStack() as stack:
        index = stack.enter_context(database_index(database)) if database else MemoryOrderIndex()
        measure(n_posts, index, "database" if database else "memory")


def measure(n_posts: int, index: OrderIndex, label: str) -> None:
    truth: list[int] = []
    found: list[str] = []
    batch: list[Record] = []
    numbers: list[int | None] = []
    started, started_cpu = time.perf_counter(), time.process_time()
    index_seconds = index_cpu = 0.0

    def flush() -> tuple[float, float]:
        t, t_cpu = time.perf_counter(), time.process_time()
        # As the pipeline's dedupe stage does: posts not flagged as orders are skipped, the rest go as one batch.
        order_ids = iter(index.assign_many([r for r in batch if r.is_order]))
        out = [dataclasses.replace(r, order_id=next(order_ids)) if r.is_order else r for r in batch]
        spent = (time.perf_counter() - t, time.process_time() - t_cpu)
        for rec, number in zip(out, numbers, strict=True):
            if number is not None:
                truth.append(number)
                found.append(str(rec.order_id))
        batch.clear()
        numbers.clear()
        return spent

    for rec, number in records(n_posts):
        batch.append(rec)
        numbers.append(number)
        if len(batch) >= BATCH:
            wall, cpu = flush()
            index_seconds, index_cpu = index_seconds + wall, index_cpu + cpu
    wall, cpu = flush()
    index_seconds, index_cpu = index_seconds + wall, index_cpu + cpu
    total, total_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:>8} {n_posts:>9} posts  {len(truth):>6} order posts  "
        f"total {total:6.1f} s (cpu {total_cpu:6.1f})  dedupe {index_seconds:6.1f} s (cpu {index_cpu:6.1f})  "
        f"peak RSS {peak_mib:7.0f} MiB  | {quality(truth, found)}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,300000,1000000", help="comma-separated numbers of posts")
    parser.add_argument(
        "--database",
        help="measure DatabaseOrderIndex instead: 'sqlite' (a temporary file) or a PostgreSQL URL (a fresh schema)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # run one size in this process
    args = parser.parse_args()
    if args.one:
        run(args.one, args.database)
        return
    for size in (int(s) for s in args.sizes.split(",")):
        extra = ["--database", args.database] if args.database else []
        subprocess.run([sys.executable, __file__, "--one", str(size), *extra], check=True)


if __name__ == "__main__":
    main()
