"""Benchmark of the network analysis on a generated stream: graph build, resolution, attribution, ranking.

    .venv/bin/python bench/bench_network.py                       # 1,000,000 posts by 200,000 accounts
    .venv/bin/python bench/bench_network.py --posts 100000 --accounts 20000

Prints wall and CPU times per step (CPU time is the fairer figure on a shared machine) and the peak resident
memory of the process (ru_maxrss), before and after building.
The stream comes from `bench.synthetic.network.scale` (about 5 % ads naming a contact, 20 % replies, 5 % forwards,
the rest chatter); no database is involved, so this measures the domain code alone."""

from __future__ import annotations

import argparse
import gc
import resource
import time

from bench.synthetic.network import scale
from varde.network.analysis import volunteer_pattern
from varde.network.attribution import attribute, load_watchlist
from varde.network.clusters import clusters
from varde.network.cooperation import load_cooperation
from varde.network.graph import add_same_as, build_graph
from varde.network.ranking import rank_backmen
from varde.network.resolve import resolve


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clusters", action="store_true", help="also time Leiden community detection")
    args = parser.parse_args()

    t = time.perf_counter()
    import igraph  # noqa: F401  (its first import takes seconds; kept out of the ranking time)
    import leidenalg  # noqa: F401

    print(f"import igraph/leidenalg {time.perf_counter() - t:.1f} s")
    start = time.perf_counter()
    posts = scale(args.posts, args.accounts, seed=args.seed)
    generated = time.perf_counter() - start
    gc.collect()
    base = rss_mib()
    print(f"posts {len(posts):,}  accounts {args.accounts:,}  generated in {generated:.1f} s  peak RSS {base:.0f} MiB")

    def step(name: str, work):  # type: ignore[no-untyped-def]
        t, cpu = time.perf_counter(), time.process_time()
        result = work()
        wall, used = time.perf_counter() - t, time.process_time() - cpu
        print(f"{name:<12} wall {wall:7.1f} s  cpu {used:7.1f} s   peak RSS {rss_mib():6.0f} MiB")
        return result

    graph = step("build", lambda: build_graph(posts, volunteer=volunteer_pattern()))
    kinds: dict[str, int] = {}
    for entity in graph.entities.values():
        kinds[entity.kind] = kinds.get(entity.kind, 0) + 1
    print(f"             entities {len(graph.entities):,} {kinds}  edges {len(graph.edges):,}")
    resolution = step("resolve", lambda: resolve(graph, posts))
    print(f"             links accepted {len(resolution.proposals):,}  actors {len(resolution.members):,}")
    for proposal in resolution.proposals:
        add_same_as(graph, proposal.a, proposal.b, proposal.probability)
    watchlist, table = load_watchlist(), load_cooperation()
    attribution = step("attribute", lambda: attribute(graph, watchlist, resolution))
    ranked = step("rank", lambda: rank_backmen(graph, resolution, attribution, watchlist, table, limit=100))
    print(f"             top backman: {ranked[0].label} score {ranked[0].score:.3f} orders {ranked[0].orders}")
    if args.clusters:
        found = step("clusters", lambda: clusters(graph, resolution, attribution))
        print(f"             clusters {len(found):,}")
    print(f"graph memory (peak RSS growth over the loaded posts): {rss_mib() - base:.0f} MiB")


if __name__ == "__main__":
    main()
