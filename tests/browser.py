"""Headless Chromium from the OS packages (Debian ``chromium``; ``.ci/run`` installs it when missing), for
the tests that look at pages the way an operator's browser does: the DOM after parsing and a screenshot.

No browser is downloaded. Where none can be had the tests skip and say so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
)


def chromium() -> str:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless Chromium on this machine (Debian: apt-get install chromium; .ci/run does it)")


def _run(url: str, *extra: str, headers_cookie: str | None = None) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="qunbot-chromium-") as profile:
        args = [chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, url]
        return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def dump_dom(url: str) -> str:
    """The page's DOM as the browser built it."""
    done = _run(url, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(url: str, out: Path, width: int = 1100, height: int = 1800) -> Path:
    done = _run(url, f"--screenshot={out}", f"--window-size={width},{height}")
    assert done.returncode == 0 and out.exists(), done.stderr[-2000:]
    return out


def pixels_of(png: Path, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
    """How many pixels of the screenshot have (about) this colour: drawn chart marks, not a blank page."""
    from PIL import Image

    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return sum(
        n for n, (r, g, b) in colours if abs(r - rgb[0]) + abs(g - rgb[1]) + abs(b - rgb[2]) <= tolerance
    )
