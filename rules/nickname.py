"""Nickname formats such as ``城市-行业-昵称``: a pure check with reasons, and a correct example built
from the member's current name.

Members type separators every way their keyboard allows (``-``, ``－``, ``—``, ``_``, ``·``, ``｜``, ``|``,
spaces), so any of them separates fields, whatever the format shows. Fields may themselves contain
separators (``上海-互联网-Jack Wang``): every way of cutting the name into the format's fields is tried and
the first one whose fields all pass wins. Field rules: an allowed list (a city list), length bounds, and a
regular expression as the escape hatch; a whole-name regular expression replaces the format altogether.

No I/O, no clock: ``NicknameFormat`` is compiled once per config and ``check`` / ``suggest`` are pure.
"""

from __future__ import annotations

import functools
import itertools
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from rules.verdict import CheckResult, Verdict

__all__ = [
    "SEPARATORS",
    "FieldSpec",
    "FormatError",
    "NicknameFormat",
    "check",
    "compile_format",
    "explain",
    "suggest",
]

# Accepted between fields whatever the format shows (plus the format's own separator characters).
SEPARATORS: Final = "-－—–_·・•｜|丨"
MAX_NAME_CHARS: Final = 64  # longer than any real group nickname; longer names fail fast
_MAX_TOKENS: Final = 12  # tokens beyond this join the last one (bounds the number of cuts tried)
_ADMIN_SUFFIXES: Final = ("市", "省", "区", "县")  # "上海市" passes a list that says "上海"
_CATEGORY: Final = "nickname"

_TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {
        "empty": "昵称为空，格式应为 {shape}",
        "too_long": "昵称太长（{n} 个字，最多 {max} 个字）",
        "segments": "应为 {shape}（{want} 段），「{name}」只有 {got} 段",
        "pattern": "「{name}」不符合本群规定的昵称格式",
        "field_short": "「{value}」太短（至少 {min} 个字）",
        "field_long": "「{value}」太长（最多 {max} 个字）",
        "field_allowed": "「{value}」不在允许的范围内（{choices}）",
        "field_pattern": "「{value}」格式不对",
        "ok": "符合格式 {shape}",
        "expected": "应为 {shape}",
        "more": "等",
    },
    "en": {
        "empty": "the name is empty; expected {shape}",
        "too_long": "the name is too long ({n} characters, at most {max})",
        "segments": "expected {shape} ({want} parts); '{name}' has {got}",
        "pattern": "'{name}' does not match the group's name format",
        "field_short": "'{value}' is too short (at least {min} characters)",
        "field_long": "'{value}' is too long (at most {max} characters)",
        "field_allowed": "'{value}' is not one of the allowed values ({choices})",
        "field_pattern": "'{value}' has the wrong form",
        "ok": "matches {shape}",
        "expected": "expected {shape}",
        "more": "…",
    },
}


class FormatError(ValueError):
    """A format or field rule that cannot work (config validation turns it into a located error)."""


@functools.lru_cache(maxsize=256)
def fold(text: str) -> str:
    """Compare names the way people read them: full-width and half-width alike, case ignored.

    Cached: flood control and the ad check fold the same message text one after the other."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """The rule of one field. ``allowed`` empty = anything; ``pattern`` must match the whole field."""

    name: str
    label: str
    allowed: tuple[str, ...] = ()
    min_len: int = 1
    max_len: int = 16
    pattern: re.Pattern[str] | None = None
    example: str = ""
    _folded: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def build(
        cls,
        name: str,
        label: str = "",
        allowed: Sequence[str] = (),
        min_len: int = 1,
        max_len: int = 16,
        pattern: str = "",
        example: str = "",
    ) -> FieldSpec:
        """Validate and compile one field rule; ``example`` defaults to the first allowed value or label."""
        if min_len < 0 or max_len < max(min_len, 1):
            raise FormatError(f"field {name!r}: need 0 <= min_len <= max_len and max_len >= 1")
        try:
            compiled = re.compile(pattern) if pattern else None
        except re.error as exc:
            raise FormatError(f"field {name!r}: bad regular expression {pattern!r}: {exc}") from exc
        allowed_clean = tuple(a.strip() for a in allowed if a.strip())
        spec = cls(
            name=name,
            label=label or name,
            allowed=allowed_clean,
            min_len=min_len,
            max_len=max_len,
            pattern=compiled,
            example=example or (allowed_clean[0] if allowed_clean else (label or name)),
            _folded=frozenset(fold(a) for a in allowed_clean),
        )
        if spec.problem(spec.example, "zh") is not None:
            raise FormatError(
                f"field {name!r}: the example {spec.example!r} breaks the field's own rule; set `example`"
            )
        return spec

    @property
    def free(self) -> bool:
        """Free text (a person's name): no list and no pattern to recognise it by."""
        return not self.allowed and self.pattern is None

    def is_allowed(self, value: str) -> bool:
        if not self.allowed:
            return True
        folded = fold(value)
        if folded in self._folded:
            return True
        return any(folded.endswith(s) and folded[: -len(s)] in self._folded for s in _ADMIN_SUFFIXES)

    def problem(self, value: str, language: str) -> str | None:
        """Why ``value`` breaks this field's rule, or None when it passes."""
        t = _TEXTS.get(language, _TEXTS["zh"])
        value = value.strip()
        if len(value) < self.min_len or not value:
            return t["field_short"].format(label=self.label, value=value, min=max(self.min_len, 1))
        if len(value) > self.max_len:
            return t["field_long"].format(label=self.label, value=value, max=self.max_len)
        if not self.is_allowed(value):
            shown = "、".join(self.allowed[:5]) + (t["more"] if len(self.allowed) > 5 else "")
            return t["field_allowed"].format(label=self.label, value=value, choices=shown)
        if self.pattern is not None and self.pattern.fullmatch(value) is None:
            return t["field_pattern"].format(label=self.label, value=value)
        return None


@dataclass(frozen=True, slots=True)
class NicknameFormat:
    """A compiled format: fields in order, the separators shown between them, and how to split names."""

    fields: tuple[FieldSpec, ...]
    joiners: tuple[str, ...]  # the format's literal text between field i and i+1
    splitter: re.Pattern[str]
    edges: re.Pattern[str]  # separators or blanks at either end of a name
    shape: str  # "城市-行业-昵称", for messages
    whole: re.Pattern[str] | None = None  # a whole-name regex that replaces the format
    whole_example: str = ""

    @property
    def name_field(self) -> int:
        """The index of the field that holds the person's own name (gets the leftovers in a suggestion)."""
        for i, spec in enumerate(self.fields):
            if spec.name in ("name", "nickname") and spec.free:
                return i
        free = [i for i, spec in enumerate(self.fields) if spec.free]
        return free[-1] if free else len(self.fields) - 1


def compile_format(
    template: str,
    fields: Mapping[str, FieldSpec],
    pattern: str = "",
    example: str = "",
) -> NicknameFormat:
    """``"{city}-{industry}-{name}"`` + field rules → ``NicknameFormat``; ``FormatError`` says why not."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise FormatError(f"format {template!r}: {exc}") from exc
    names: list[str] = []
    literals: list[str] = []
    for literal, name, spec, conversion in parts:
        literals.append(literal)
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise FormatError(f"format {template!r}: write fields as {{city}}, not {{{name}}}")
        if name in names:
            raise FormatError(f"format {template!r}: field {{{name}}} appears twice")
        names.append(name)
    if not names:
        raise FormatError(f"format {template!r}: needs at least one field such as {{name}}")
    # literals[0] is before the first field; literals[i] (1..n-1) between fields; a trailing one may follow.
    trailing = literals[len(names)] if len(literals) > len(names) else ""
    if literals[0].strip() or trailing.strip():
        raise FormatError(f"format {template!r}: must start and end with a field")
    joiners = tuple(literals[1 : len(names)])
    if any(j == "" for j in joiners):
        raise FormatError(f"format {template!r}: fields need a separator between them, e.g. -")
    missing = [n for n in names if n not in fields]
    if missing:
        raise FormatError(f"format {template!r}: no rule for field(s) {', '.join(missing)}")
    extra = sorted(set(fields) - set(names))
    if extra:
        raise FormatError(f"fields {', '.join(extra)} are not in format {template!r}")
    chars = set(SEPARATORS) | {c for j in joiners for c in j if not c.isspace()}
    sep_class = "[" + "".join(re.escape(c) for c in sorted(chars)) + r"\s]"
    splitter = re.compile(f"({sep_class}+)")
    edges = re.compile(f"^{sep_class}+|{sep_class}+$")
    specs = tuple(fields[n] for n in names)
    shape = specs[0].label + "".join(j + s.label for j, s in zip(joiners, specs[1:], strict=True))
    whole = None
    if pattern:
        try:
            whole = re.compile(pattern)
        except re.error as exc:
            raise FormatError(f"pattern {pattern!r}: {exc}") from exc
        if not example or whole.fullmatch(example) is None:
            raise FormatError("with a whole-name `pattern`, set an `example` that matches it")
    fmt = NicknameFormat(specs, joiners, splitter, edges, shape, whole, example)
    if not whole and check(fmt, _join(fmt, [s.example for s in specs])).hit:
        raise FormatError(
            f"format {template!r}: the examples joined do not pass the format; check each field's `example`"
        )
    return fmt


def _join(fmt: NicknameFormat, values: Sequence[str]) -> str:
    return values[0] + "".join(j + v for j, v in zip(fmt.joiners, values[1:], strict=True))


def _tokens(fmt: NicknameFormat, name: str) -> tuple[list[str], list[str]]:
    """Split into tokens and the separators between them (kept, so a field spanning tokens reads as typed)."""
    pieces = fmt.splitter.split(name)
    # re.split with a group alternates token, separator, token, …; stripped names start and end with tokens.
    tokens, seps = pieces[0::2], pieces[1::2]
    if len(tokens) > _MAX_TOKENS:
        tail = "".join(
            t + s for t, s in zip(tokens[_MAX_TOKENS - 1 : -1], seps[_MAX_TOKENS - 1 :], strict=True)
        )
        tokens = [*tokens[: _MAX_TOKENS - 1], tail + tokens[-1]]
        seps = seps[: _MAX_TOKENS - 1]
    return tokens, seps


def _strip(fmt: NicknameFormat, name: str) -> str:
    """The name without surrounding blanks or separators (``"-上海-小王 "`` → ``"上海-小王"``)."""
    return fmt.edges.sub("", name)


def _cuts(tokens: Sequence[str], seps: Sequence[str], n: int) -> list[list[str]]:
    """Every way to group the tokens into ``n`` consecutive fields, fewest-spanning first."""
    k = len(tokens)
    out: list[list[str]] = []
    for bounds in itertools.combinations(range(1, k), n - 1):
        edges = (0, *bounds, k)
        values = []
        for a, b in itertools.pairwise(edges):
            values.append("".join(t + (seps[i] if i < b - 1 else "") for i, t in enumerate(tokens[a:b], a)))
        out.append(values)
    return out


def check(fmt: NicknameFormat, name: str, language: str = "zh") -> Verdict:
    """``hit`` = the name breaks the format; the results say which field and why (never raises)."""
    t = _TEXTS.get(language, _TEXTS["zh"])
    shown = name.strip()
    if fmt.whole is not None:
        ok = fmt.whole.fullmatch(shown) is not None and 0 < len(shown) <= MAX_NAME_CHARS
        detail = t["ok"].format(shape=fmt.whole_example) if ok else t["pattern"].format(name=shown)
        return _verdict([CheckResult("昵称格式", not ok, detail, _CATEGORY if not ok else "")])
    stripped = _strip(fmt, shown)
    if not stripped:
        return _verdict([CheckResult("昵称格式", True, t["empty"].format(shape=fmt.shape), _CATEGORY)])
    if len(stripped) > MAX_NAME_CHARS:
        detail = t["too_long"].format(n=len(stripped), max=MAX_NAME_CHARS)
        return _verdict([CheckResult("昵称格式", True, detail, _CATEGORY)])
    tokens, seps = _tokens(fmt, stripped)
    n = len(fmt.fields)
    if len(tokens) < n:
        detail = t["segments"].format(shape=fmt.shape, want=n, name=shown, got=len(tokens))
        return _verdict([CheckResult("昵称格式", True, detail, _CATEGORY)])
    best, bad = _best(fmt, tokens, seps, language)
    # The overall line names the format; the field lines say which part is wrong and why.
    overall = t["expected" if bad else "ok"].format(shape=fmt.shape)
    results = [CheckResult("昵称格式", bad > 0, overall, _CATEGORY if bad else "")]
    results += [
        CheckResult(spec.label, problem is not None, problem or value, _CATEGORY if problem else "")
        for spec, value, problem in best
    ]
    return _verdict(results)


Judged = list[tuple[FieldSpec, str, str | None]]  # (field, the member's value, the problem or None)


def fields_of(fmt: NicknameFormat, name: str) -> dict[str, str]:
    """The fields of a name that passes the format (``上海-互联网-小王`` → city 上海, industry 互联网, name
    小王), or ``{}`` for a name that breaks it (or a whole-name pattern, which has no fields)."""
    if fmt.whole is not None:
        return {}
    stripped = _strip(fmt, name.strip())
    if not stripped or len(stripped) > MAX_NAME_CHARS:
        return {}
    tokens, seps = _tokens(fmt, stripped)
    if len(tokens) < len(fmt.fields):
        return {}
    best, bad = _best(fmt, tokens, seps, "zh")
    return {} if bad else {spec.name: value for spec, value, _ in best}


def peers(
    fmt: NicknameFormat, field_name: str, newcomer: str, others: Iterable[str]
) -> tuple[str, int] | None:
    """The newcomer's value of ``field_name`` (their industry) and how many of ``others`` share it, compared
    case- and width-insensitively; None when the newcomer's name says nothing about it."""
    value = fields_of(fmt, newcomer).get(field_name, "")
    if not value:
        return None
    key = fold(value)
    return value, sum(1 for other in others if fold(fields_of(fmt, other).get(field_name, "")) == key)


def _best(
    fmt: NicknameFormat, tokens: Sequence[str], seps: Sequence[str], language: str
) -> tuple[Judged, int]:
    """The cut with the fewest failing fields (the first that passes, if any) and its number of failures."""
    n = len(fmt.fields)
    best: Judged = []
    best_bad = n + 1
    for values in _cuts(tokens, seps, n):
        judged = [(spec, v, spec.problem(v, language)) for spec, v in zip(fmt.fields, values, strict=True)]
        bad = sum(1 for _, _, p in judged if p is not None)
        if bad < best_bad:
            best, best_bad = judged, bad
        if bad == 0:
            break
    return best, best_bad


def _verdict(results: list[CheckResult]) -> Verdict:
    hit = any(r.hit for r in results)
    return Verdict(hit=hit, results=tuple(results), category=_CATEGORY if hit else "")


def explain(verdict: Verdict) -> str:
    """The reasons of a failed check for a member to read: the field problems, else the overall one."""
    fields = [
        r.name + ("" if r.detail.startswith("「") else " ") + r.detail
        for r in verdict.hits
        if r.name != "昵称格式"
    ]
    if fields:
        return "；".join(fields)
    return "；".join(r.detail for r in verdict.hits)


def suggest(fmt: NicknameFormat, name: str) -> str:
    """A name that passes, built from the member's current one: parts in place are kept (a wrong part is
    replaced by the field's example), recognisable parts are picked out of a name typed another way (a
    city from the list, even glued to the name), the rest becomes the person's name."""
    if fmt.whole is not None:
        return fmt.whole_example
    stripped = _strip(fmt, name.strip())[: MAX_NAME_CHARS * 2]
    tokens, seps = _tokens(fmt, stripped) if stripped else ([], [])
    if len(tokens) >= len(fmt.fields):
        judged, _ = _best(fmt, tokens, seps, "zh")
        if not _misplaced(judged, tokens):
            return _finish(fmt, [value for _, value, _ in judged])
    return _finish(fmt, _recognise(fmt, tokens))


def _misplaced(judged: Judged, tokens: Sequence[str]) -> bool:
    """A failed listed field whose right value sits in another token: the parts are in the wrong order."""
    return any(
        problem is not None and not spec.free and any(spec.problem(t, "zh") is None for t in tokens)
        for spec, _, problem in judged
    )


def _recognise(fmt: NicknameFormat, tokens: Sequence[str]) -> list[str | None]:
    values: list[str | None] = [None] * len(fmt.fields)
    left = list(tokens)
    # 1. fields recognisable by their rule (a list or a pattern): a whole token, else a list value inside one.
    for i, spec in enumerate(fmt.fields):
        if spec.free:
            continue
        for j, token in enumerate(left):
            if spec.problem(token, "zh") is None:
                values[i] = token
                del left[j]
                break
        else:
            for j, token in enumerate(left):
                found = _find_allowed(spec, token)
                if found is not None:
                    values[i] = found
                    rest = token.replace(found, "", 1).strip()
                    if rest:
                        left[j] = rest
                    else:
                        del left[j]
                    break
    # 2. free fields other than the person's name take a leftover token each, keeping one for the name.
    main = fmt.name_field
    for i, spec in enumerate(fmt.fields):
        if values[i] is not None or i == main or not spec.free or len(left) < 2:
            continue
        if spec.problem(left[0], "zh") is None:
            values[i] = left.pop(0)
    if values[main] is None and left:
        values[main] = "".join(left)
    return values


def _finish(fmt: NicknameFormat, values: Sequence[str | None]) -> str:
    """Keep what passes, shorten a free field that is too long, use the example for the rest."""
    final: list[str] = []
    for spec, value in zip(fmt.fields, values, strict=True):
        value = (value or "").strip()
        if value and spec.free and len(value) > spec.max_len:
            value = value[: spec.max_len].strip()
        final.append(value if value and spec.problem(value, "zh") is None else spec.example)
    candidate = _join(fmt, final)
    if check(fmt, candidate).hit:  # a value that passes on its own but not once joined
        candidate = _join(fmt, [spec.example for spec in fmt.fields])
    return candidate


def _find_allowed(spec: FieldSpec, token: str) -> str | None:
    """An allowed value written inside a token (``"上海小王"`` → ``"上海"``), longest first."""
    folded = fold(token)
    for value in sorted(spec.allowed, key=len, reverse=True):
        if fold(value) and fold(value) in folded and value in token:
            return value
    return None
