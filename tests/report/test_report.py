"""``qunbot report``: a self-contained HTML page whose six charts a real browser draws, with data in them."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.report import svg
from storage import migrate
from storage.db import Database
from tests.bot.test_cli import run
from tests.browser import BLUE_PIXELS, dump_dom, pixels_of, screenshot
from tests.storage.test_metrics import G, seed

BLUE = BLUE_PIXELS
RED_GOAL = (0xDC, 0x26, 0x26)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    db_file = tmp / "history.db"

    async def build() -> None:
        db = Database(str(db_file))
        await migrate.upgrade(db)
        await seed(db)
        await db.close()

    asyncio.run(build())
    code, out, err = run(
        "report", "--db", str(db_file), "--group", G, "--period", "week", "--until", "2026-03-08",
        "--out", str(tmp / "out"),
    )  # fmt: skip
    assert code == 0, err
    path = Path(out.strip())
    assert path.parent == tmp / "out" and path.name == "report-tg_group_-100-week-2026-03-08.html"
    return path


def test_the_page_fetches_nothing(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "src=" not in html and "url(" not in html
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg")


def test_the_browser_draws_six_charts_with_data(report: Path, tmp_path: Path) -> None:
    dom = dump_dom(report.as_uri())
    charts = re.findall(r'<svg class="chart".*?</svg>', dom, flags=re.S)
    assert len(charts) == 6
    titles = [re.search(r"<title>(.*?)</title>", chart).group(1) for chart in charts]  # type: ignore[union-attr]
    assert titles[0] == "日发言率与 20% 目标线" and titles[3].startswith("各时段消息数")
    for title, chart in zip(titles, charts, strict=True):
        assert chart.count('class="mark"') >= 1, f"{title}: no data drawn"
    assert 'class="goal"' in charts[0]
    assert charts[0].count('class="mark"') == 7  # a point a day
    assert charts[3].count('class="mark"') == 24  # an hour each
    assert ">ad<" in charts[5] and ">flood<" in charts[5]
    shot = screenshot(report.as_uri(), tmp_path / "report.png")
    assert pixels_of(shot, BLUE) > 5_000  # lines, dots and bars were painted
    assert pixels_of(shot, RED_GOAL) > 100  # the 20 % line and the figures below their goal


def test_charts_say_when_there_is_nothing_to_draw() -> None:
    for chart in (
        svg.line_chart(["a", "b"], [None, None], "rate"),
        svg.column_chart(["00", "01"], [0, 0], "hours"),
        svg.bar_chart([], [], "top"),
        svg.curves([1, 7], [("w", [None, None])], "cohorts"),
    ):
        assert "暂无数据" in chart and 'class="mark"' not in chart


def test_labels_are_escaped() -> None:
    chart = svg.bar_chart(["<b>成员</b>"], [3], "top <3")
    assert "<b>" not in chart and "&lt;b&gt;成员&lt;/b&gt;" in chart and "top &lt;3" in chart


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "year"], "--period: expected week or month"),
        (["--group", "tg:group:-1"], "unknown group 'tg:group:-1'"),
    ],
)
def test_bad_input(report: Path, args: list[str], message: str) -> None:
    db = report.parent.parent / "history.db"
    code, _, err = run("report", "--db", str(db), "--group", G, "--out", str(report.parent), *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
