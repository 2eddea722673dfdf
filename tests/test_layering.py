"""Dependencies point one way: tui -> backoffice; the simulator imports neither,
and the client library never imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sonnys_tui"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules_of(subpackage: str) -> list[Path]:
    return sorted((PACKAGE / subpackage).rglob("*.py"))


@pytest.mark.parametrize(
    ("subpackage", "forbidden"),
    [
        ("backoffice", ("textual", "sonnys_tui.tui", "sonnys_tui.simulator", "sonnys_tui.cli")),
        ("simulator", ("textual", "sonnys_tui.tui", "sonnys_tui.backoffice", "sonnys_tui.cli")),
        ("tui", ("sonnys_tui.simulator",)),
    ],
)
def test_static_imports_point_one_way(subpackage: str, forbidden: tuple[str, ...]) -> None:
    modules = _modules_of(subpackage)
    assert modules, f"no modules found in {subpackage}"
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in modules
        for name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in forbidden)
    ]
    assert offenders == []


@pytest.mark.parametrize("module", ["sonnys_tui.backoffice", "sonnys_tui.simulator"])
def test_headless_packages_do_not_load_textual(module: str) -> None:
    code = (
        f"import sys, {module} as m\n"
        "[getattr(m, n) for n in getattr(m, '__all__', [])]\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_importing_backoffice_package_is_lazy() -> None:
    code = "import sys, sonnys_tui.backoffice\nprint('httpx' in sys.modules, 'lxml' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False False"
