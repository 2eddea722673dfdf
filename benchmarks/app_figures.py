"""App figures: start-up, filter keystroke, memory.

Start-up and memory run the app in a fresh headless process (so imports and
peak RSS are the app's own) against a bare Textual app (Header, Static,
Footer) run the same way, in the same benchmark run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import Figure, ms, registry

from sonnys_tui.simulator import Simulator

BENCHMARKS, benchmark = registry()

# Runs in a child process: builds one app, runs it headless, prints figures.
DRIVER = r"""
import contextlib, json, resource, sys, time
kind = sys.argv[1]
stack = contextlib.ExitStack()  # what the app runs on (the demo's server), closed after it


def peak_rss_kib():
    # VmHWM is this process image's own peak; ru_maxrss would also count the
    # benchmark parent's memory, which a forked child inherits before exec.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

if kind == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Connect to a Back Office tenant")
            yield Footer()

    app = Bare()
else:
    from sonnys_tui.tui.app import make_app

    if kind == "connect":
        app = make_app()
    elif kind == "demo":  # `sonnys-tui --demo`: the demo tenant served on loopback
        from sonnys_tui.cli.common import demo_tenant

        profile, password = stack.enter_context(demo_tenant())
        app = make_app(profile=profile, password=password)
    else:  # "loaded": log in, load the roster, filter it
        from sonnys_tui.config import Profile

        base_url, password = sys.argv[2], sys.argv[3]
        profile = Profile(name="bench", subdomain="bench", username="bot", base_url=base_url)
        app = make_app(profile=profile, password=password)

async def auto(pilot):
    await pilot.pause()
    if kind in ("loaded", "demo"):
        while not any(p.roster_loaded for p in pilot.app.screen.query("#employees-pane")):
            await pilot.pause(0.01)
        await pilot.pause()  # the roster drawn
    if kind == "loaded":
        pilot.app.screen.query_one("#filter").focus()
        await pilot.press(*"jor")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # a cache save counts too
        await pilot.pause()
    print(json.dumps({
        "ready": time.perf_counter(),
        "screen": type(pilot.app.screen).__name__,
        "maxrss_kib": peak_rss_kib(),
    }), flush=True)
    pilot.app.exit()

with stack:
    app.run(headless=True, auto_pilot=auto, size=(120, 40))
"""


def _run_driver(*args: str) -> tuple[float, dict[str, object]]:
    env = dict(os.environ)
    env["SONNYS_TUI_CONFIG_DIR"] = tempfile.mkdtemp()  # never the user's profiles
    env["SONNYS_TUI_CACHE_DIR"] = tempfile.mkdtemp()
    env["TEXTUAL_ANIMATIONS"] = "none"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"driver {args[0]} failed:\n{done.stderr[-2000:]}")
    last = [line for line in done.stdout.splitlines() if line.startswith("{")][-1]
    return elapsed, json.loads(last)


def _start_ups(args: argparse.Namespace) -> int:
    # A quick run only proves the figure works (CI, in the test suite): one start each.
    return 1 if args.quick else max(3, args.repeat // 2)


def _versus_bare(
    args: argparse.Namespace, kind: str, screen: str, name: str, target: float
) -> Figure:
    """The app started as ``kind`` until ``screen`` is up, against a bare Textual app
    started alternately with it (the median of each)."""
    app_times, bare_times = [], []
    for _ in range(_start_ups(args)):
        bare_times.append(_run_driver("bare")[0])
        elapsed, info = _run_driver(kind)
        assert info["screen"] == screen, info
        app_times.append(elapsed)
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    return Figure(
        name,
        ms(app),
        f"{ms(bare)} bare Textual app",
        f"{app / bare:.2f}",
        f"≤ {target}",
        app / bare <= target,
    )


@benchmark("startup")
def startup(args: argparse.Namespace) -> list[Figure]:
    return [
        _versus_bare(
            args, "connect", "ConnectScreen", "start-up to first frame (Connect screen)", 1.25
        )
    ]


@benchmark("startup_demo")
def startup_demo(args: argparse.Namespace) -> list[Figure]:
    """`sonnys-tui --demo` until the roster is on screen: the simulator's start, the
    login and the roster's download included, as a user waits for them."""
    return [
        _versus_bare(args, "demo", "HomeScreen", "start-up to the roster on screen (--demo)", 2.5)
    ]


@benchmark("memory")
def memory(args: argparse.Namespace) -> list[Figure]:
    sim = Simulator.large(args.employees, seed=1)
    with sim.serve() as base_url:
        _, loaded = _run_driver("loaded", base_url, sim.password)
    _, bare = _run_driver("bare")
    app_kib, bare_kib = int(loaded["maxrss_kib"]), int(bare["maxrss_kib"])  # type: ignore[call-overload]
    return [
        Figure(
            f"peak RSS, {args.employees} employees loaded + filtered",
            f"{app_kib / 1024:.0f} MiB",
            f"{bare_kib / 1024:.0f} MiB bare Textual app",
            f"{app_kib / bare_kib:.2f}",
            "≤ 2.5",
            app_kib / bare_kib <= 2.5,
        )
    ]


async def _keystroke_times(sim: Simulator, presses: int) -> list[float]:
    from sonnys_tui.backoffice import SonnysBackofficeClient
    from sonnys_tui.config import Profile
    from sonnys_tui.tui.app import make_app

    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        return SonnysBackofficeClient(**sim.client_kwargs(password=password))

    profile = Profile(name="bench", subdomain="bench", username=sim.username)
    app = make_app(profile=profile, password=sim.password, client_factory=factory)
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not any(p.roster_loaded for p in app.screen.query("#employees-pane")):
            await pilot.pause(0.05)
        app.screen.query_one("#filter").focus()
        await pilot.press("j")
        await pilot.pause()
        for _ in range(presses):
            for key in ("o", "backspace"):
                started = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                times.append(time.perf_counter() - started)
    return times


@benchmark("filter_keystroke")
def filter_keystroke(args: argparse.Namespace) -> list[Figure]:
    presses = args.repeat
    saved = {k: os.environ.get(k) for k in ("SONNYS_TUI_CONFIG_DIR", "SONNYS_TUI_CACHE_DIR")}
    try:
        for key in saved:  # never the user's profiles or roster cache
            os.environ[key] = tempfile.mkdtemp()
        loaded = asyncio.run(_keystroke_times(Simulator.large(args.employees, seed=1), presses))
        for key in saved:  # and no cache carried from the loaded run to the empty one
            os.environ[key] = tempfile.mkdtemp()
        empty = asyncio.run(_keystroke_times(Simulator.large(0, seed=1), presses))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    extra = statistics.median(loaded) - statistics.median(empty)
    return [
        Figure(
            f"filter keystroke, {args.employees} rows (median extra)",
            ms(extra),
            f"{ms(statistics.median(empty))} same keystroke, empty table",
            "-",
            "≤ 16 ms",
            extra <= 0.016,
        )
    ]
