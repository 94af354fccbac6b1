"""Template rendering for operator-written texts: ``{name}`` placeholders, unknown ones left visible.

Operators write templates in the TOML; a typo must show up as ``{nmae}`` in the message, not crash
the bot or silently vanish.
"""

from __future__ import annotations

import string
from collections.abc import Mapping


class _Keep(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def placeholders(template: str) -> set[str]:
    """The placeholder names a template uses (for config validation)."""
    try:
        return {field for _, field, _, _ in _FORMATTER.parse(template) if field}
    except ValueError:
        return set()


def render_template(template: str, values: Mapping[str, object]) -> str:
    """Fill ``{key}`` placeholders; unknown keys stay as written; broken braces render literally."""
    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template
