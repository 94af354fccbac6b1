"""Headless Chromium from the OS packages (Debian ``chromium``; ``.ci/run`` installs it when missing), for
the tests that look at pages the way an operator's browser does: the DOM after parsing and a screenshot.

No browser is downloaded. Where none can be had the tests skip and say so.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import aiohttp
import pytest

BLUE_PIXELS = (0x25, 0x63, 0xEB)  # the charts' first series colour
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


class Browser:
    """Headless Chromium driven over the DevTools protocol (a websocket, aiohttp's client): for pages
    that need a click or a form, such as the dashboard's login. ``async with Browser() as b: …``"""

    def __init__(self) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="qunbot-chromium-")
        self._process: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)

    async def __aenter__(self) -> Browser:
        binary = chromium()
        self._process = await asyncio.create_subprocess_exec(
            binary, *FLAGS, f"--user-data-dir={self._profile.name}", "--remote-debugging-port=0",
            "--window-size=1100,1800", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert self._process.stderr is not None
        endpoint = ""
        while not endpoint:
            line = (await asyncio.wait_for(self._process.stderr.readline(), 60)).decode()
            if not line:
                raise RuntimeError("chromium exited before it listened")
            if "DevTools listening on " in line:
                endpoint = line.split("DevTools listening on ", 1)[1].strip()
        base = endpoint.split("/devtools/", 1)[0].replace("ws://", "http://")
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"{base}/json/list") as response:
            pages = [t for t in await response.json() if t["type"] == "page"]
        self._ws = await self._session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()
        self._profile.cleanup()

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        assert self._ws is not None
        ident = next(self._ids)
        await self._ws.send_json({"id": ident, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self._ws.receive_json(), 60)
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    async def _loaded(self) -> None:
        for _ in range(200):
            if await self.evaluate("document.readyState") == "complete":
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("the page did not finish loading")

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)
        await asyncio.sleep(0.1)
        await self._loaded()

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def submit(self, selector: str, values: dict[str, str]) -> None:
        """Fill a form's fields by name and submit it, as a person would, then wait for the next page."""
        fills = "".join(f"f.elements[{json.dumps(k)}].value = {json.dumps(v)};" for k, v in values.items())
        before = await self.evaluate("location.href + performance.timeOrigin")
        await self.evaluate(
            f"(() => {{ const f = document.querySelector({json.dumps(selector)}); {fills} f.submit(); }})()"
        )
        for _ in range(200):
            await asyncio.sleep(0.05)
            if await self.evaluate("location.href + performance.timeOrigin") != before:
                break
        await self._loaded()

    async def screenshot(self, out: Path) -> Path:
        shot = await self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        await asyncio.to_thread(out.write_bytes, base64.b64decode(shot["data"]))
        return out
