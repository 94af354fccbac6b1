"""The rules TOML: ``[defaults]`` plus ``[groups."<platform>:<kind>:<id>"]`` overrides merged over them.

Every section is a pydantic model that forbids unknown keys, so a typo is an error that names the file,
the line and the key path instead of a setting silently ignored. ``ConfigStore`` keeps the last good
config when a reload fails.
"""

from __future__ import annotations

import asyncio
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.config_locate import locate_key, syntax_error_line
from bot.platforms.wecom.join_way_rules import WecomRules
from handlers.config import GroupConfig
from handlers.contract.events import Chat


def _log() -> Any:
    """The logger, imported on first use: ``check-config`` never logs, and structlog (with rich's
    tracebacks behind it) was a fifth of its start time."""
    import structlog

    return structlog.get_logger(__name__)


_TOP_LEVEL = ("defaults", "groups", "wecom")


@dataclass(frozen=True, slots=True)
class ConfigError:
    """One problem, located: ``rules.toml:12: groups."tg:group:-1".welcome.delay: expected an integer``."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


ERRORS_SHOWN = 50


def error_lines(errors: list[ConfigError], limit: int = ERRORS_SHOWN) -> list[str]:
    """The first ``limit`` errors, then one line saying how many more there are: a file with thousands of
    errors (a pasted log, a wrong file) gives a readable answer, and the first errors are the ones to fix."""
    shown = [str(error) for error in errors[:limit]]
    if len(errors) > limit:
        shown.append(f"… and {len(errors) - limit} more error(s) in {errors[0].file}")
    return shown


class ConfigInvalid(Exception):
    def __init__(self, errors: list[ConfigError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Rules:
    """A validated rules file: the defaults and each named group's merged config."""

    defaults: GroupConfig
    groups: Mapping[str, GroupConfig] = field(default_factory=dict)
    source: str = "<defaults>"
    wecom: WecomRules = field(default_factory=WecomRules)  # [wecom]: 群活码 per community
    declared: bool = True  # the file had a [defaults] or a [groups] table (False: empty, comments only)

    def for_chat(self, chat_key: str) -> GroupConfig:
        return self.groups.get(chat_key, self.defaults)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) in ``override`` replaces the base."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _dotted(loc: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part.replace("_", "").replace("-", "").isalnum() and part.isascii():
            parts.append(("." if parts else "") + part)
        else:
            parts.append(("." if parts else "") + f'"{part}"')
    return "".join(parts)


def _describe(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see config.example.toml for the keys of this section)"
    message = str(error.get("msg", "invalid value"))
    if kind == "missing":
        return "required key is missing"
    given = error.get("input")
    if given is not None and not isinstance(given, dict | list):
        message += f" (got {given!r})"
    return message


def _validation_errors(
    exc: ValidationError,
    file: str,
    text: str,
    prefixes: list[tuple[str | int, ...]],
    skip_inherited: bool = False,
) -> list[ConfigError]:
    """Turn pydantic errors into located ones; the key is looked up under each prefix in turn
    (a group's own table first, then ``defaults``, which it was merged over). ``skip_inherited`` drops
    errors that come from ``defaults`` alone, when those were already reported."""
    out: list[ConfigError] = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        found = [(i, locate_key(text, prefix + loc, exact=True)) for i, prefix in enumerate(prefixes)]
        index, line = next(((i, n) for i, n in found if n), (0, None))
        if line and index > 0 and skip_inherited:
            continue
        if line is None:
            line = locate_key(text, prefixes[0] + loc, exact=False)
        out.append(ConfigError(file, line, _dotted(prefixes[0] + loc), _describe(err)))
    return out


def parse_rules(text: str, file: str = "<string>") -> Rules:
    """Validate a rules TOML text. Raises ``ConfigInvalid`` with every error found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigInvalid(
            [ConfigError(file, syntax_error_line(exc), "", f"TOML syntax error: {exc}")]
        ) from exc

    errors: list[ConfigError] = []
    for key in raw:
        if key not in _TOP_LEVEL:
            errors.append(
                ConfigError(
                    file,
                    locate_key(text, (key,)),
                    key,
                    'unknown top-level key (expected [defaults], [groups."…"] or [wecom])',
                )
            )
    defaults_raw = raw.get("defaults", {})
    groups_raw = raw.get("groups", {})
    if not isinstance(defaults_raw, dict):
        errors.append(ConfigError(file, locate_key(text, ("defaults",)), "defaults", "expected a table"))
        defaults_raw = {}
    if not isinstance(groups_raw, dict):
        errors.append(
            ConfigError(file, locate_key(text, ("groups",)), "groups", "expected a table of groups")
        )
        groups_raw = {}

    defaults: GroupConfig | None = None
    try:
        defaults = GroupConfig.model_validate(defaults_raw, strict=True)
    except ValidationError as exc:
        errors.extend(_validation_errors(exc, file, text, [("defaults",)]))

    groups: dict[str, GroupConfig] = {}
    for chat_key, group_raw in groups_raw.items():
        try:
            Chat.from_key(chat_key)
        except ValueError as exc:
            errors.append(
                ConfigError(
                    file, locate_key(text, ("groups", chat_key)), _dotted(("groups", chat_key)), str(exc)
                )
            )
            continue
        if not isinstance(group_raw, dict):
            errors.append(
                ConfigError(file, locate_key(text, ("groups", chat_key)), chat_key, "expected a table")
            )
            continue
        try:
            groups[chat_key] = GroupConfig.model_validate(deep_merge(defaults_raw, group_raw), strict=True)
        except ValidationError as exc:
            errors.extend(
                _validation_errors(
                    exc, file, text, [("groups", chat_key), ("defaults",)], skip_inherited=defaults is None
                )
            )

    wecom = WecomRules()
    try:
        wecom = WecomRules.model_validate(raw.get("wecom", {}), strict=True)
    except ValidationError as exc:
        errors.extend(_validation_errors(exc, file, text, [("wecom",)]))

    if errors:
        raise ConfigInvalid(errors)
    assert defaults is not None
    return Rules(
        defaults=defaults,
        groups=groups,
        source=file,
        declared=bool(raw.keys() & set(_TOP_LEVEL)),
        wecom=wecom,
    )


def read_rules_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigInvalid([ConfigError(str(path), None, "", "file not found")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigInvalid([ConfigError(str(path), None, "", f"cannot read: {exc}")]) from exc


def load_rules(path: Path) -> Rules:
    return parse_rules(read_rules_text(path), str(path))


# A reload reads the file again after this pause and goes on only when both reads agree: an editor or a
# deploy script that is still writing the file is waited out instead of loaded half-written.
SETTLE_SECONDS = 0.05
SETTLE_TRIES = 5


def load_settled_rules(path: Path) -> Rules:
    """The rules of a file that has stopped changing and declares something: an empty, comment-only or
    cut-short file (no ``[defaults]``, no ``[groups]``) is refused like a broken one, because on a reload it
    would silently replace every group's rules with the built-in defaults and drop their scheduled jobs."""
    text = read_rules_text(path)
    for _ in range(SETTLE_TRIES):
        time.sleep(SETTLE_SECONDS)
        again = read_rules_text(path)
        if again == text:
            break
        text = again
    else:
        raise ConfigInvalid(
            [ConfigError(str(path), None, "", "the file keeps changing (still being written?)")]
        )
    rules = parse_rules(text, str(path))
    if not rules.declared:
        raise ConfigInvalid(
            [
                ConfigError(
                    str(path),
                    None,
                    "",
                    "the file has no [defaults] and no [groups] (empty or cut short?); "
                    "refused so the groups keep their rules",
                )
            ]
        )
    return rules


class ConfigStore:
    """The config in force. A reload swaps it only when the new file is valid, settled and not empty;
    listeners hear of swaps. ``reload_async`` validates in a worker thread so that a large or broken file
    never holds up the event loop (health checks, deliveries)."""

    def __init__(self, rules: Rules, path: Path | None = None) -> None:
        self._rules = rules
        self.path = path
        self._listeners: list[Callable[[Rules], None]] = []
        self.last_errors: list[ConfigError] = []

    @classmethod
    def from_file(cls, path: Path) -> ConfigStore:
        return cls(load_rules(path), path)

    @property
    def rules(self) -> Rules:
        return self._rules

    def for_chat(self, chat_key: str) -> GroupConfig:
        return self._rules.for_chat(chat_key)

    def on_change(self, listener: Callable[[Rules], None]) -> None:
        self._listeners.append(listener)

    def reload(self) -> list[ConfigError]:
        """Re-read the file; on errors keep the current rules and return the errors."""
        if self.path is None:
            return []
        try:
            new = load_settled_rules(self.path)
        except ConfigInvalid as exc:
            return self._reject(exc.errors)
        return self._accept(new)

    async def reload_async(self) -> list[ConfigError]:
        """``reload`` with the reading and validation in a worker thread; the swap happens on the loop."""
        if self.path is None:
            return []
        try:
            new = await asyncio.to_thread(load_settled_rules, self.path)
        except ConfigInvalid as exc:
            return self._reject(exc.errors)
        return self._accept(new)

    def _reject(self, errors: list[ConfigError]) -> list[ConfigError]:
        self.last_errors = errors
        for line in error_lines(errors, limit=20):
            _log().error("config_reload_rejected", error=line, kept=self._rules.source)
        return errors

    def _accept(self, new: Rules) -> list[ConfigError]:
        self._rules = new
        self.last_errors = []
        _log().info("config_reloaded", file=str(self.path), groups=len(new.groups))
        for listener in self._listeners:
            listener(new)
        return []
