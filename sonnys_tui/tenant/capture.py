"""``sonnys-tui doctor --capture DIR``: the pages doctor read, scrubbed, saved for a
developer to replay (``sonnys-tui simulator --from-capture DIR``).

The folder is made private (0700) and every file in it 0600. ``manifest.json`` lists
the pages and how many values of each kind were replaced, never the values.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sonnys_tui.backoffice.scrub import Scrubbed

MANIFEST = "manifest.json"
FORMAT = 1


def _file_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_") + ".html"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its mode through O_CREAT


def save_capture(scrubbed: Scrubbed, directory: Path, *, counts: dict[str, int]) -> Path:
    """Write the scrubbed pages and the manifest into ``directory``; its manifest path."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    listed = []
    for page in scrubbed.pages:
        file = _file_name(page.name)
        _write_private(directory / file, page.html)
        listed.append({"name": page.name, "path": page.path, "file": file})
    manifest = {
        "format": FORMAT,
        "pages": listed,
        "replaced": scrubbed.counts,
        "tenant counts": counts,
    }
    _write_private(directory / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return directory / MANIFEST
