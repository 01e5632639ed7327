"""The workbench starts without the pipeline: scikit-learn and friends load on the first tip, not at start-up."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "scipy", "datasketch", "pandas")


def test_creating_the_app_loads_no_model_library() -> None:
    script = (
        "import sys\n"
        "from varde.web import create_app\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output.strip().splitlines()[-1] == "[]"
