"""What the declared layer contracts (`lint-imports`, in the test command) cannot see:
the headless packages load no Textual at run time, the client's package is lazy, and
nothing outside the tenant layer reaches the client through a tenant."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import sonnys_tui


@pytest.mark.parametrize(
    "module",
    [
        "sonnys_tui.backoffice",
        "sonnys_tui.simulator",
        "sonnys_tui.tenant",
        "sonnys_tui.bulk",
        "sonnys_tui.cli",
    ],
)
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


PACKAGE = Path(sonnys_tui.__file__).parent


def _tenant_client_reaches(source: str) -> list[int]:
    """Lines where ``.client`` is read off something named as a tenant (``tenant``,
    ``self.tenant``, ``self._tenant``, ``app.tenant``...)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Attribute) and node.attr == "client"):
            continue
        owner = node.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if name.lstrip("_").endswith("tenant"):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    ("source", "reaches"),
    [
        ("tenant.client.get_employee(1)", [1]),
        ("client = self.tenant.client", [1]),
        ("x = self._tenant.client", [1]),
        ("self.app.tenant.client.close()", [1]),
        ("tenant.read_employee(1)\nclient.get_employee(1)", []),
    ],
)
def test_the_tenant_client_check_sees_every_spelling(source: str, reaches: list[int]) -> None:
    assert _tenant_client_reaches(source) == reaches


def test_only_the_tenant_layer_reaches_the_client_through_a_tenant() -> None:
    """Screens, shell commands and bulk read and plan through ``Tenant``'s own methods:
    the tenant is the only door to the client."""
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tenant" not in path.relative_to(PACKAGE).parts[:1]
        for line in _tenant_client_reaches(path.read_text(encoding="utf-8"))
    ]
    assert found == []
