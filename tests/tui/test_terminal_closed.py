"""The terminal closing during an Import run, on a real terminal (a pty whose controlling
process is a shell, as tmux or an SSH session has): the row in flight is finished and
recorded, then the process ends. The trial found it finished the row and then stayed
running for ever with no terminal: the hang-up's SIGCONT made Textual set the closed
terminal up again and its exit waited on a dead output thread."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pty (POSIX)")

APP = textwrap.dedent(
    """
    import os
    import sys
    from pathlib import Path

    Path(sys.argv[2]).write_text(str(os.getpid()))

    from sonnys_tui.backoffice import SonnysBackofficeClient
    from sonnys_tui.config import Profile
    from sonnys_tui.simulator import Simulator
    from sonnys_tui.tui.app import make_app
    from sonnys_tui.tui.screens.bulk_import import BulkImportScreen

    sim = Simulator.demo()
    sim.faults.latency_ms = 500  # a row takes a while: the terminal closes mid-row
    profile = Profile(name="demo", subdomain="demo", username="bot", base_url="http://sim.test")


    def factory(p, password):
        return SonnysBackofficeClient(
            subdomain=p.subdomain, username=p.username, password=password,
            base_url="http://sim.test", transport=sim.transport(),
        )


    app = make_app(profile=profile, password=sim.password, client_factory=factory)
    state = {}


    def step():  # open Import on the file, plan it, apply it (as Ctrl+O, Enter, Ctrl+S, y)
        screen = state.get("screen")
        if screen is None and app.tenant is not None:
            state["screen"] = screen = BulkImportScreen(app.tenant, path=sys.argv[1])
            app.push_screen(screen)
            app.call_later(screen.action_plan)
        elif screen is not None and screen.plan and not state.get("started"):
            state["started"] = True
            screen._start_apply(screen.plan)


    app.call_later(lambda: app.set_interval(0.05, step))
    app.run()
    """
)


def _wait(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_closing_the_terminal_mid_run_finishes_the_row_then_the_process_ends(
    tmp_path: Path,
) -> None:
    import fcntl
    import struct
    import termios

    script = tmp_path / "app.py"
    script.write_text(APP, encoding="utf-8")
    csv = tmp_path / "wages.csv"
    ids = (4101, 4102, 4111, 4112, 4133, 4135)
    rows = [f"wage,{pos_id},16.25,2027-01-15" for pos_id in ids]
    csv.write_text("action,pos_user_id,wage_rate,effective_date\n" + "\n".join(rows) + "\n")
    journal = tmp_path / "wages.journal.jsonl"
    pid_file = tmp_path / "pid"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(
        os.environ,
        TERM="xterm-256color",
        SONNYS_TUI_CONFIG_DIR=str(tmp_path / "config"),
        SONNYS_TUI_CACHE_DIR=str(tmp_path / "cache"),
        SONNYS_TUI_DATA_DIR=str(tmp_path / "data"),
    )

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    # The shell is the terminal's controlling process: when the terminal goes, it goes,
    # and the app gets SIGHUP and SIGCONT, as under tmux or SSH.
    shell = subprocess.Popen(
        ["sh", "-c", f'"{sys.executable}" "{script}" "{csv}" "{pid_file}"; sleep 60'],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        preexec_fn=controlling_terminal,
    )
    os.close(slave)

    def drain() -> None:  # the terminal's reader: the app never blocks on a full pty
        with __import__("contextlib").suppress(OSError):
            while os.read(master, 65536):
                pass

    threading.Thread(target=drain, daemon=True).start()
    app_pid = 0
    try:
        assert _wait(lambda: pid_file.exists() and pid_file.read_text().strip(), 30)
        app_pid = int(pid_file.read_text())
        # Into the second row: a while of drawing the run's progress on the terminal.
        assert _wait(lambda: journal.exists() and journal.read_text().count("started") > 1, 60)
        os.close(master)  # the terminal closes mid-row
        master = -1

        def gone() -> bool:
            try:
                os.kill(app_pid, 0)
            except ProcessLookupError:
                return True
            # A zombie (exited, not yet reaped by init) counts as gone.
            with open(f"/proc/{app_pid}/stat") as stat:
                return stat.read().split(")")[1].split()[0] == "Z"

        assert _wait(gone, 30), "the app kept running after the terminal closed"
    finally:
        if master >= 0:
            os.close(master)
        if app_pid:
            with __import__("contextlib").suppress(ProcessLookupError):
                os.kill(app_pid, signal.SIGKILL)
        shell.kill()
        shell.wait(10)
    events = [json.loads(line)["event"] for line in journal.read_text().splitlines()]
    assert events and events[-1] == "done", events  # the row in flight: finished, recorded
    assert events.count("started") < len(ids)  # and the run stopped there
