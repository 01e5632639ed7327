"""The import rule of DESIGN.md: edges → pipeline → domain, imports only pointing down."""

from __future__ import annotations

import ast
from pathlib import Path

import varde

PACKAGE = Path(varde.__file__).parent
EDGES = {"cli", "web", "worker", "readers", "store", "settings", "media", "cases"}
PIPELINE = {"pipeline"}
FORBIDDEN = {
    # layer of the importing module → top-level varde modules it must not import
    "pipeline": EDGES,
    "domain": EDGES | PIPELINE,
}
DOMAIN_PACKAGES = {"detect", "extractors", "posts", "records", "vocab", "errors", "summary", "network", "report"}
# The edge modules inside domain packages: they load from or write to the store.
EDGE_MODULES = {"network/service.py", "report/load.py"}


def top_module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def layer(module: str, path: Path | None = None) -> str:
    if path is not None and path.relative_to(PACKAGE).as_posix() in EDGE_MODULES:
        return "edge"
    if module in PIPELINE:
        return "pipeline"
    if module in DOMAIN_PACKAGES:
        return "domain"
    return "edge"


def imported_varde_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("varde."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("varde."):
                    found.add(alias.name.split(".")[1])
    return found


def test_imports_point_down() -> None:
    violations = []
    for path in PACKAGE.rglob("*.py"):
        module = top_module(path)
        rule = FORBIDDEN.get(layer(module, path), set())
        for imported in imported_varde_modules(path) & rule:
            violations.append(f"{path.relative_to(PACKAGE)} ({layer(module, path)}) imports varde.{imported}")
    assert not violations, "\n".join(violations)


def test_rule_detects_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from varde.store import Store\n", encoding="utf-8")
    assert imported_varde_modules(bad) & FORBIDDEN["domain"] == {"store"}
