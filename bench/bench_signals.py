"""How fast posts are matched against large signal banks, and the memory the indexes take.

Banks: `--signals` (default 1,000,000) text signals (an MD5 and a TLSH each) and as many PDQ image signals. The
PDQ codes and TLSH bodies are random: TLSH codes each of its 128 buckets by quartile, so bucket values are close to
uniform, and random PDQ codes are the worst case for the multi-index (no clustering to exploit is assumed).
Posts: `--posts` (default 10,000) generated texts of ~150 characters and one image hash each (every post with an
image: the worst case). 100 posts carry a near copy of a banked image (20 bits flipped) and 100 a text whose TLSH is
banked with 10 buckets changed; the run checks that all 200 are found.

Per post the matcher normalises and hashes the text (MD5, TLSH), looks up the MD5, searches TLSH and PDQ in their
multi-indexes (`varde.signals.index`), and checks TLSH candidates with the full TLSH distance. Timed: wall and CPU
time of the whole batch, radius 1 (finds every PDQ match within 31 bits) and radius 0 (exact chunk look-ups only).
Memory: the indexes' arrays (`nbytes`) and the growth of the process's resident set while building them.

    python bench/bench_signals.py [--signals 1000000] [--posts 10000] [--matcher]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from varde.signals.index import ChunkIndex, ExactIndex, tlsh_codes
from varde.signals.matcher import BankMatcher, BankSignal
from varde.signals.text import TLSH_DISTANCE, text_signals, tlsh_distance

VOCABULARY = (
    "oppdrag jobb kveld skyte dør blokk cash kontant rett etter seriøse dm telegram snap grønland holmlia "
    "stovner tøyen furuset 50k 80k 100k lapp jobben i dag i morgen helga bil sjåfør kjøre hente levere "
    "uppdrag ikväll skjuta smälla dörr pengar direkt seriösa rinkeby husby tensta job tonight shoot door"
)
WORDS = tuple(VOCABULARY.split())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_texts(rng: np.random.Generator, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS, int(rng.integers(18, 30)))) + f" @h{i}" for i in range(n)]


def flip_bits(code: np.ndarray, rng: np.random.Generator, k: int) -> np.ndarray:
    out = code.copy()
    for b in rng.choice(256, k, replace=False):
        out[b // 8] ^= np.uint8(1 << (b % 8))
    return out


def change_buckets(code: np.ndarray, rng: np.random.Generator, k: int) -> np.ndarray:
    out = code.copy()
    for b in rng.choice(128, k, replace=False):
        out[b // 4] ^= np.uint8(1 << (2 * (b % 4)))  # a bucket moves by one quartile
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--matcher", action="store_true", help="also run BankMatcher end to end (~1 GB more)")
    args = parser.parse_args()
    rng = np.random.default_rng(22)
    n, q = args.signals, args.posts

    texts = make_texts(rng, q)
    start_rss = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    pdq_bank = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    tlsh_bank = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    md5_bank = [f"{v:032x}" for v in rng.integers(0, 2**63, n, dtype=np.int64) * 3]
    # Plant: 100 banked images near the posts' images, 100 banked TLSH near the posts' texts.
    images = rng.integers(0, 256, (q, 32), dtype=np.uint8)
    planted_images = rng.choice(q, 100, replace=False)
    for j, i in enumerate(planted_images):
        pdq_bank[j] = flip_bits(images[i], rng, 20)
    post_tlsh: list[str | None] = []
    for t in texts:
        s = text_signals(t)
        post_tlsh.append(s.tlsh if s else None)
    with_tlsh = [i for i, h in enumerate(post_tlsh) if h is not None]
    planted_texts = rng.choice(with_tlsh, 100, replace=False)
    tlsh_full: dict[int, str] = {}
    for j, i in enumerate(planted_texts):
        value = post_tlsh[i]
        assert value is not None
        body = change_buckets(tlsh_codes([value])[0], rng, 10)
        tlsh_bank[j] = body
        tlsh_full[j] = value[:8] + bytes(body).hex().upper()
    generated = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    md5_index = ExactIndex(md5_bank)
    indexes = {
        r: (ChunkIndex(pdq_bank, metric="hamming", radius=r), ChunkIndex(tlsh_bank, metric="buckets", radius=r))
        for r in (1, 0)
    }
    built = time.perf_counter() - t0, time.process_time() - c0
    pdq1, tlsh1 = indexes[1]
    index_mb = (md5_index.nbytes + pdq1.nbytes + tlsh1.nbytes) / 1e6
    print(f"banks: {n:,} MD5 + {n:,} TLSH text signals, {n:,} PDQ image signals; {q:,} posts, each with an image")
    print(f"generated in {generated[0]:.1f} s wall / {generated[1]:.1f} s CPU")
    print(f"indexes (radius 0 and 1) built in {built[0]:.1f} s wall / {built[1]:.1f} s CPU")
    print(
        f"index memory (one radius): MD5 {md5_index.nbytes / 1e6:.0f} MB, PDQ {pdq1.nbytes / 1e6:.0f} MB, "
        f"TLSH {tlsh1.nbytes / 1e6:.0f} MB; total {index_mb:.0f} MB"
    )
    print(f"process peak RSS grew by {rss_mb() - start_rss:.0f} MB (banks, both radii and the generator's lists)")

    for radius in (1, 0):
        pdq_index, tlsh_index = indexes[radius]
        t0, c0 = time.perf_counter(), time.process_time()
        hashed = [text_signals(t) for t in texts]
        t_hash = time.process_time() - c0
        md5_hits = md5_index.search([s.md5 for s in hashed if s is not None])
        tq = [(i, s.tlsh) for i, s in enumerate(hashed) if s is not None and s.tlsh is not None]
        tlsh_hits = tlsh_index.search(tlsh_codes([v for _, v in tq]), TLSH_DISTANCE)
        confirmed = []
        for h in tlsh_hits:
            banked = tlsh_full.get(h.row)
            if banked is not None and tlsh_distance(tq[h.query][1], banked) <= TLSH_DISTANCE:
                confirmed.append((tq[h.query][0], h.row))
        pdq_hits = pdq_index.search(images, 31)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        found_images = {h.query for h in pdq_hits if h.row < 100}
        found_texts = {i for i, _ in confirmed}
        print(
            f"radius {radius}: {q:,} posts in {wall:.2f} s wall / {cpu:.2f} s CPU = {q / wall:,.0f} posts/s wall, "
            f"{q / cpu:,.0f} posts/s CPU (text hashing {t_hash:.2f} s CPU); planted found: "
            f"images {len(found_images & set(planted_images.tolist()))}/100, "
            f"texts {len(found_texts & set(planted_texts.tolist()))}/100; "
            f"other hits: MD5 {len(md5_hits)}, TLSH candidates {len(tlsh_hits) - len(confirmed)}, "
            f"PDQ {len([h for h in pdq_hits if h.row >= 100])}"
        )
    if args.matcher:
        planted = len(set(planted_images.tolist()) | set(planted_texts.tolist()))
        end_to_end(pdq_bank, tlsh_bank, tlsh_full, md5_bank, texts, images, planted)
    recall_by_distance(rng)


def end_to_end(
    pdq_bank: np.ndarray,
    tlsh_bank: np.ndarray,
    tlsh_full: dict[int, str],
    md5_bank: list[str],
    texts: list[str],
    images: np.ndarray,
    planted: int,
) -> None:
    """The same banks and posts through `BankMatcher` itself (what ingest runs), its memory included."""
    start_rss = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    signals = [
        BankSignal(i, "bank", False, "pdq", bytes(c).hex(), f"c-{i}", ("shooting",)) for i, c in enumerate(pdq_bank)
    ]
    n = len(signals)
    signals += [
        BankSignal(
            n + i,
            "bank",
            False,
            "text_tlsh",
            tlsh_full.get(i, "T1ABCDEF" + bytes(c).hex().upper()),
            f"t-{i}",
            ("shooting",),
        )
        for i, c in enumerate(tlsh_bank)
    ]
    n = len(signals)
    signals += [
        BankSignal(n + i, "bank", False, "md5_text", v, f"m-{i}", ("shooting",)) for i, v in enumerate(md5_bank)
    ]
    matcher = BankMatcher(signals)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"BankMatcher over {len(signals):,} signals (radius {matcher.pdq_index.masks.shape[0] > 1:d}): built in "
        f"{wall:.1f} s wall / {cpu:.1f} s CPU; peak RSS grew by another {rss_mb() - start_rss:.0f} MB"
    )
    hexes = [[bytes(c).hex()] for c in images]
    t0, c0 = time.perf_counter(), time.process_time()
    found = matcher.match(texts, hexes)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"BankMatcher.match: {len(texts):,} posts in {wall:.2f} s wall / {cpu:.2f} s CPU = {len(texts) / wall:,.0f} "
        f"posts/s wall, {len(texts) / cpu:,.0f} posts/s CPU; posts with a match: {sum(bool(m) for m in found)} "
        f"of {planted} planted"
    )


def recall_by_distance(rng: np.random.Generator) -> None:
    """Share of PDQ near copies each radius finds, by distance (independent of the bank's size)."""
    codes = rng.integers(0, 256, (5000, 32), dtype=np.uint8)
    print("PDQ near copies found (1,000 per distance):")
    for d in (8, 16, 20, 24, 28, 31):
        queries = np.stack([flip_bits(codes[i], rng, d) for i in range(1000)])
        found = {
            r: len({h.query for h in ChunkIndex(codes, radius=r).search(queries, 31) if h.query == h.row})
            for r in (1, 0)
        }
        print(f"  distance {d:2}: radius 1 {found[1] / 10:.1f} %, radius 0 {found[0] / 10:.1f} %")


if __name__ == "__main__":
    main()
