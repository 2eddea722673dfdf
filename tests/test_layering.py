"""What the declared layer contracts (`lint-imports`, in the test command) cannot see:
the headless packages load no Textual at run time, and the client's package is lazy."""

from __future__ import annotations

import subprocess
import sys

import pytest


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
