"""Expert matching's pure rule: who matches, in what order, on normalised text."""

from __future__ import annotations

from rules.finder import Profile, find, query_words, summary

WANG = Profile("w", "上海-财务-小王", skill="Excel 数据透视表、财务建模", role="财务经理", industry="制造")
LI = Profile("l", "北京-互联网-小李", skill="Python 自动化", role="数据分析", industry="互联网 财务")
ZHAO = Profile("z", "深圳-设计-阿赵", skill="", role="", industry="设计")


def names(query: str, limit: int = 5) -> list[str]:
    return [f.profile.user_id for f in find(query, [ZHAO, LI, WANG], limit)]


def test_skill_outranks_industry_and_more_words_outrank_fewer() -> None:
    assert names("财务") == ["w", "l"]  # 小王 can share it (skill); 小李 only works in it (industry)
    assert names("python 财务") == ["l", "w"]  # 小李 matches both words
    assert names("设计") == ["z"]


def test_matching_is_on_normalised_text() -> None:
    assert names("ＥＸＣＥＬ") == ["w"]  # full-width, upper case
    assert names("數據") == ["w", "l"]  # traditional → simplified
    assert names("excel、python") == ["w", "l"]  # one word each, a tie: by name
    assert query_words("Excel，Excel / 建模") == ["excel", "建模"]


def test_nothing_to_match_and_limits() -> None:
    assert names("") == [] and names("   ") == []
    assert names("区块链") == []
    assert names("财务", limit=1) == ["w"]


def test_summary_prefers_what_they_share_and_is_clipped() -> None:
    assert summary(ZHAO) == "设计"
    assert summary(WANG).startswith("Excel 数据透视表")
    long = Profile("x", "x", skill="很长的技能" * 20)
    assert len(summary(long)) == 40 and summary(long).endswith("…")


def test_what_one_can_share_beats_where_one_works_whatever_the_names() -> None:
    works_there = Profile("a", "A 在财务部", industry="财务")
    can_share = Profile("b", "B 会财务", skill="财务建模")
    in_role = Profile("c", "C", role="财务主管")
    assert [f.profile.user_id for f in find("财务", [works_there, can_share, in_role], 5)] == ["b", "c", "a"]
