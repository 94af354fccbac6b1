"""Every log line, ours and the libraries', in one JSON format with secrets redacted."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from bot.logging import configure


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> object:
    configure("INFO", "json")
    yield capsys
    logging.getLogger().handlers = [
        h for h in logging.getLogger().handlers if not getattr(h, "qunbot", False)
    ]


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_library_lines_are_json_like_ours(json_logs: pytest.CaptureFixture[str]) -> None:
    token_url = "https://api.telegram.org/bot123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/getMe"
    logging.getLogger("httpx").warning("HTTP Request: POST %s 500", token_url)
    structlog.get_logger("bot.app").warning("ours", secret="hunter2")
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        logging.getLogger("apscheduler.executors").exception("job failed")

    library, ours, failure = lines(json_logs)
    assert set(library) >= {"event", "level", "timestamp", "logger"} and library["logger"] == "httpx"
    assert set(ours) >= {"event", "level", "timestamp"}
    assert "AAAAAAAA" not in str(library["event"])  # the bot token in a library's URL is redacted
    assert ours["secret"] == "***"
    assert failure["level"] == "error" and "ZeroDivisionError: boom" in str(failure["exception"])


def test_configuring_twice_keeps_one_handler(json_logs: pytest.CaptureFixture[str]) -> None:
    configure("INFO", "json")
    logging.getLogger("telegram.ext").warning("once")
    assert len(lines(json_logs)) == 1
