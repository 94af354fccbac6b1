"""The lock files pin every dependency that pyproject.toml declares (`make lock` after changing them)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pinned(lock: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _declared(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in extras:
        names |= {_name(r) for r in project["optional-dependencies"][extra] if not r.startswith("qunbot")}
    return names


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("requirements.lock", ("postgres",)), ("requirements-dev.lock", ("postgres", "train", "dev"))],
)
def test_every_declared_dependency_is_pinned(lock: str, extras: tuple[str, ...]) -> None:
    missing = _declared(*extras) - set(_pinned(ROOT / lock))
    assert not missing, f"{lock} lacks {sorted(missing)}: run `make lock`"


def test_the_image_and_make_install_through_the_locks() -> None:
    assert "-c requirements.lock" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "-c $(LOCK)" in (ROOT / "Makefile").read_text(encoding="utf-8")
