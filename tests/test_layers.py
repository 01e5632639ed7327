"""The import rule of DESIGN.md: edges → pipeline → domain, imports only pointing down, and no cycles between edges.

Every module gets a layer from its path; an import is checked against the layer of the module it names (so a domain
module may use `varde.cases.lifecycle`, which is pure, but not `varde.cases.intake`, which writes to the store)."""

from __future__ import annotations

import ast
from pathlib import Path

import varde

PACKAGE = Path(varde.__file__).parent
EDGES = {"cli", "web", "worker", "readers", "store", "settings", "media", "cases", "evaluation"}
PIPELINE = {"pipeline"}
DOMAIN_PACKAGES = {
    "cache",
    "heap",
    "dedupe",
    "detect",
    "extractors",
    "posts",
    "records",
    "vocab",
    "errors",
    "summary",
    "network",
    "report",
    "signals",
}
# Edge modules inside domain packages: they load from or write to the store.
EDGE_MODULES = {"network/service.py", "report/load.py", "report/service.py", "signals/service.py"}
# Domain modules inside edge packages: pure rules, no I/O.
DOMAIN_MODULES = {"cases/lifecycle.py", "cases/access.py"}

LAYER_FORBIDS = {
    # layer of the importing module → layers it must not import
    "pipeline": {"edge"},
    "domain": {"edge", "pipeline"},
}
# Between edges: which edge packages an edge package must not import (the store is below cases, readers, the web…).
EDGE_FORBIDS = {
    "store": {"cases", "readers", "web", "cli", "worker", "media", "evaluation", "settings"},
    "readers": {"store", "cases", "web", "cli", "worker"},
    "media": {"store", "cases", "web", "cli", "worker", "readers"},
    # cases may read the media store (evidence bundles, tip screenshots); media never reaches up into cases
    "cases": {"web", "cli", "worker", "readers"},
    "web": {"cli", "worker"},
    "worker": {"cli", "web"},
    "settings": EDGES - {"settings"},
}


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def layer(rel: str) -> str:
    """The layer of the module at `rel` (a path inside the package, like `cases/intake.py`)."""
    top = rel.split("/")[0].removesuffix(".py")
    if rel in EDGE_MODULES:
        return "edge"
    if rel in DOMAIN_MODULES:
        return "domain"
    if top in PIPELINE:
        return "pipeline"
    if top in DOMAIN_PACKAGES:
        return "domain"
    return "edge"


def module_path(dotted: str) -> Path | None:
    """The file of `varde.x.y` (a module or a package's __init__), or None if there is none."""
    base = PACKAGE.joinpath(*dotted.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def imported_varde_modules(source: str) -> set[str]:
    """Dotted names of the varde modules `source` imports (`from varde.a import b` names `varde.a.b` if b is a
    module)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("varde."):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if module_path(submodule) is not None else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("varde.")}
    return found


def violations_of(rel: str, source: str) -> list[str]:
    found = []
    own_layer, own_top = layer(rel), rel.split("/")[0].removesuffix(".py")
    for dotted in sorted(imported_varde_modules(source)):
        target = module_path(dotted)
        if target is None:
            continue
        target_rel = relative(target)
        target_layer, target_top = layer(target_rel), target_rel.split("/")[0].removesuffix(".py")
        if target_layer in LAYER_FORBIDS.get(own_layer, set()):
            found.append(f"{rel} ({own_layer}) imports {dotted} ({target_layer})")
        elif own_layer == "edge" and target_layer == "edge" and target_top in EDGE_FORBIDS.get(own_top, set()):
            found.append(f"{rel} ({own_top}) imports {dotted} ({target_top})")
    return found


def test_imports_point_down() -> None:
    violations = [
        v for path in sorted(PACKAGE.rglob("*.py")) for v in violations_of(relative(path), path.read_text("utf-8"))
    ]
    assert not violations, "\n".join(violations)


def test_routes_know_no_tables() -> None:
    """Routes translate HTTP to service calls: no SQL, no table, no store in varde/web/routes."""
    found = []
    for path in sorted((PACKAGE / "web" / "routes").rglob("*.py")):
        source = path.read_text("utf-8")
        names = {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
        found += [f"{relative(path)} imports {m}" for m in sorted(names) if m.startswith(("sqlalchemy", "varde.store"))]
    assert not found, "\n".join(found)


def test_pure_case_rules_are_domain() -> None:
    assert layer("cases/lifecycle.py") == "domain"
    assert layer("cases/access.py") == "domain"
    assert layer("cases/intake.py") == "edge"


def test_rule_detects_a_domain_violation() -> None:
    source = "from varde.store import Store\nfrom varde.cases.lifecycle import DETECTED\n"
    assert violations_of("detect/probe.py", source) == ["detect/probe.py (domain) imports varde.store (edge)"]


def test_rule_detects_an_edge_cycle() -> None:
    source = "from varde.cases.intake import open_cases\nfrom varde.cases import access\n"
    assert violations_of("store/probe.py", source) == ["store/probe.py (store) imports varde.cases.intake (cases)"]


def test_rule_keeps_the_pipeline_off_the_store() -> None:
    source = "from varde.store.tables import posts\n"
    assert violations_of("pipeline/probe.py", source) == [
        "pipeline/probe.py (pipeline) imports varde.store.tables (edge)"
    ]
