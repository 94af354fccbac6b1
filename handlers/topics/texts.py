"""Topic texts (zh / en). Topic messages themselves are operator templates in the TOML."""

from __future__ import annotations

from handlers.contract.texts import Texts

TODAY: Texts = {"zh": "📌 今日话题：{topic}", "en": "📌 Today's topic: {topic}"}
NONE_YET: Texts = {
    "zh": "今天还没有发布话题，{when} 见～",
    "en": "No topic posted yet today; see you at {when}.",
}
NONE: Texts = {"zh": "今天没有安排话题", "en": "No topic is planned today"}
DAILY_NAME: Texts = {"zh": "早安话题", "en": "Morning topic"}
