from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigInvalid, ConfigStore, deep_merge, load_rules, parse_rules

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigInvalid) as info:
        parse_rules(text, "rules.toml")
    return [str(e) for e in info.value.errors]


def test_empty_file_runs_on_defaults() -> None:
    rules = parse_rules("")
    assert rules.for_chat("tg:group:-1").timezone == "Asia/Shanghai"


def test_group_override_merges_over_defaults() -> None:
    rules = parse_rules(
        """
[defaults]
language = "zh"
purpose = "默认"
[groups."tg:group:-100"]
language = "en"
"""
    )
    group = rules.for_chat("tg:group:-100")
    assert group.language == "en"
    assert group.purpose == "默认"
    assert rules.for_chat("tg:group:-200").language == "zh"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[defaults]\nlanguage = 3\n", "rules.toml:2: defaults.language:"),
        (
            '[defaults]\ntimezone = "Mars/Base"\n',
            "rules.toml:2: defaults.timezone: Value error, unknown time zone",
        ),
        ('[defaults]\nlangauge = "zh"\n', "rules.toml:2: defaults.langauge: unknown key"),
        ('[defaults.welcome]\nenabled = "maybe"\n', "rules.toml:2: defaults.welcome.enabled:"),
        ('[groups."tg:group:-1"]\nmode = "loud"\n', 'rules.toml:2: groups."tg:group:-1".mode:'),
        (
            '[groups."telegram-1"]\nmode = "observe"\n',
            "rules.toml:1: groups.telegram-1: group keys look like",
        ),
        ("[surprise]\nx = 1\n", "rules.toml:1: surprise: unknown top-level key"),
        ("[defaults\nx = 1\n", "rules.toml:1: TOML syntax error"),
        ('[defaults]\nname = "a"\nname = "b"\n', "rules.toml:3: TOML syntax error"),
    ],
)
def test_errors_name_file_line_and_key(text: str, expected: str) -> None:
    assert any(e.startswith(expected) for e in errors_of(text)), errors_of(text)


def test_error_in_defaults_is_reported_once_not_per_group() -> None:
    errors = errors_of('[defaults]\nlanguage = "fr"\n[groups."tg:group:-1"]\nname = "x"\n')
    assert len(errors) == 1


def test_deep_merge_replaces_lists_and_merges_tables() -> None:
    merged = deep_merge({"a": {"b": 1, "c": [1, 2]}, "d": 1}, {"a": {"c": [3]}, "e": 2})
    assert merged == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}


def test_reload_keeps_last_good_config(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[defaults]\nlanguage = "en"\n', encoding="utf-8")
    store = ConfigStore.from_file(path)
    seen: list[str] = []
    store.on_change(lambda rules: seen.append(rules.defaults.language))

    path.write_text("[defaults]\nlanguage = 5\n", encoding="utf-8")
    errors = store.reload()
    assert errors and errors[0].line == 2 and "defaults.language" in str(errors[0])
    assert store.for_chat("tg:group:-1").language == "en"  # old config still in force
    assert seen == []

    path.write_text('[defaults]\nlanguage = "zh"\n', encoding="utf-8")
    assert store.reload() == []
    assert store.for_chat("tg:group:-1").language == "zh"
    assert seen == ["zh"]


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigInvalid, match="file not found"):
        load_rules(tmp_path / "nope.toml")


def test_example_config_is_valid() -> None:
    rules = load_rules(EXAMPLE)
    assert rules.defaults.language == "zh"


def test_log_chat_must_be_a_chat_key() -> None:
    assert any(
        "defaults.log_chat" in e and "expected a chat key" in e
        for e in errors_of('[defaults]\nlog_chat = "admins"\n')
    )
