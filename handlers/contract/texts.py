"""Texts per language and how they are filled in: every feature keeps its own ``Texts`` in its package."""

from __future__ import annotations

from collections.abc import Mapping

from rules.templates import render_template

Texts = Mapping[str, str]


def render(texts: Texts, language: str, **values: object) -> str:
    """The text in ``language`` (falling back to Chinese, then to any), with ``values`` filled in."""
    template = texts.get(language) or texts.get("zh") or next(iter(texts.values()))
    return render_template(template, values)
