"""The demo tenant served from a process of its own (``sonnys-tui --demo``).

    python -m sonnys_tui.simulator.process FD

The app's process then neither imports the simulator nor spends its time rendering
the simulator's pages: another core does that while the app starts. The parent binds
the listening socket and passes it down as ``FD``, so the URL is known at once and a
request sent before this process serves waits in the socket's backlog. The process
ends when its stdin closes: the parent closes it, or the parent is gone.
"""

from __future__ import annotations

import os
import socket
import sys
import threading


def _end_with_parent() -> None:
    """Read stdin until it closes, then end at once (nothing here is worth keeping)."""
    with open(sys.stdin.fileno(), "rb", buffering=0, closefd=False) as stdin:
        while stdin.read(1024):
            pass
    os._exit(0)


def main(argv: list[str]) -> None:
    listening = socket.socket(fileno=int(argv[0]))
    # Below the app: where both want the CPU, the app's start goes first, and this
    # process starts, and warms up, on what the app leaves (a second core, if free).
    os.nice(10)
    threading.Thread(target=_end_with_parent, name="parent-watch", daemon=True).start()
    from .app import compile_templates
    from .server import serve_socket
    from .simulator import Simulator

    sim = Simulator.demo()
    # The pages' templates compile while the app is still starting, not on its first
    # requests.
    threading.Thread(target=compile_templates, name="templates", daemon=True).start()
    serve_socket(sim.wsgi_app, sim.faults, listening)


if __name__ == "__main__":
    main(sys.argv[1:])
