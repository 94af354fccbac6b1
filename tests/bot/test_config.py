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
            "rules.toml:1: groups.telegram-1: not a chat key: 'telegram-1', unknown platform",
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
        "defaults.log_chat" in e and "not a chat key: 'tg:grp:1', 'grp' is neither group nor private" in e
        for e in errors_of('[defaults]\nlog_chat = "tg:grp:1"\n')
    )


@pytest.mark.parametrize("value", ['"yes"', '"true"', "1", '"1"'])
def test_switches_are_strict_booleans(value: str) -> None:
    """TOML has real booleans; "yes" or 1 for a privacy switch is a typo to report, never a silent true."""
    errors = errors_of(f"[defaults.privacy]\nstore_message_text = {value}\n")
    assert any(e.startswith("rules.toml:2: defaults.privacy.store_message_text:") for e in errors), errors


def test_numbers_are_not_read_from_strings() -> None:
    errors = errors_of('[defaults.privacy]\nretention_days = "30"\n')
    assert any("defaults.privacy.retention_days" in e for e in errors), errors


@pytest.mark.parametrize(
    "broken",
    ["", "\n\n", "# rules for our groups\n", "[defaults.privacy\nstore_message_text = f"],
    ids=["empty", "blank", "comments-only", "cut-short"],
)
def test_reload_refuses_an_empty_or_cut_short_file(tmp_path: Path, broken: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[defaults]\nlanguage = "en"\n[groups."tg:group:-1"]\nname = "Ops"\n', encoding="utf-8")
    store = ConfigStore.from_file(path)
    swaps: list[object] = []
    store.on_change(swaps.append)

    path.write_text(broken, encoding="utf-8")
    assert store.reload()  # refused, with a reason
    assert store.last_errors
    assert swaps == []
    assert store.for_chat("tg:group:-1").name == "Ops"  # the groups keep their rules


def test_a_file_that_keeps_changing_is_not_loaded_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[defaults]\nlanguage = "en"\n', encoding="utf-8")
    store = ConfigStore.from_file(path)
    writes = iter(range(1000))

    def still_writing(file: Path) -> str:
        return f'[defaults]\nname = "part {next(writes)}"\n'  # another write landed between two reads

    monkeypatch.setattr("bot.config.read_rules_text", still_writing)
    monkeypatch.setattr("bot.config.SETTLE_SECONDS", 0)
    errors = store.reload()
    assert errors and "keeps changing" in str(errors[0])
    assert store.rules.defaults.name == ""


async def test_reload_validates_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large or broken file is validated in a worker thread: /healthz and deliveries keep being served."""
    import threading

    import bot.config as config_module

    path = tmp_path / "rules.toml"
    path.write_text('[defaults]\nlanguage = "en"\n', encoding="utf-8")
    store = ConfigStore.from_file(path)
    threads: list[str] = []
    real_parse = config_module.parse_rules

    def parse_and_note(text: str, file: str = "<string>") -> object:
        threads.append(threading.current_thread().name)
        return real_parse(text, file)

    monkeypatch.setattr(config_module, "parse_rules", parse_and_note)
    path.write_text('[defaults]\nlanguage = "zh"\n', encoding="utf-8")
    assert await store.reload_async() == []
    assert store.rules.defaults.language == "zh"
    assert threads and threading.main_thread().name not in threads


def test_thousands_of_errors_are_capped(tmp_path: Path) -> None:
    from bot.config import ERRORS_SHOWN, error_lines

    text = "[defaults]\n" + "".join(f"unknown_{i} = 1\n" for i in range(3000))
    with pytest.raises(ConfigInvalid) as info:
        parse_rules(text, "rules.toml")
    errors = info.value.errors
    assert len(errors) == 3000
    assert errors[-1].line == 3001  # each one still located
    lines = error_lines(errors)
    assert len(lines) == ERRORS_SHOWN + 1
    assert lines[-1] == f"… and {3000 - ERRORS_SHOWN} more error(s) in rules.toml"
    assert error_lines(errors[:3]) == [str(e) for e in errors[:3]]
