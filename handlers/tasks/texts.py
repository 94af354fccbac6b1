"""New-member task texts (zh / en)."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

TITLES: Mapping[str, Texts] = {
    "nickname": {"zh": "把群昵称改为「{shape}」格式", "en": "Set your group nickname as {shape}"},
    "rules": {
        "zh": "阅读并确认群规（点「查看群规」或发送 /rules）",
        "en": "Read and confirm the rules (press 'Rules' or send /rules)",
    },
    "questionnaire": {
        "zh": "回答入群问卷（{n} 个问题：点「私聊我完成问卷」，或在群里发送 /answer 你的回答）",
        "en": "Answer the entry questionnaire ({n} questions: press 'Questionnaire in private', or send "
        "/answer <your answer> here)",
    },
    "intro": {
        "zh": "发自我介绍：/intro 行业-岗位-入群期待",
        "en": "Introduce yourself: /intro industry-role-expectation",
    },
    "first_post": {
        "zh": "发一条与本群主题相关的分享（至少 {min} 个字{tags}）",
        "en": "Share one on-topic post (at least {min} characters{tags})",
    },
}
SHORT: Mapping[str, Texts] = {  # in reminders and notices, where the full titles are too long
    "nickname": {"zh": "改群昵称", "en": "nickname"},
    "rules": {"zh": "确认群规", "en": "rules"},
    "questionnaire": {"zh": "入群问卷", "en": "questionnaire"},
    "intro": {"zh": "自我介绍", "en": "introduction"},
    "first_post": {"zh": "首条分享", "en": "first post"},
}
TAGS: Texts = {"zh": "，或带上 {tags}", "en": ", or tagged {tags}"}
QUESTIONS: Mapping[str, Texts] = {
    "problem": {"zh": "你最想在群里解决的问题是什么？", "en": "What do you most want to solve here?"},
    "skill": {"zh": "你有哪些可以分享的技能或经验？", "en": "What skills or experience could you share?"},
    "referrer": {"zh": "是谁推荐你入群的？", "en": "Who invited you to the group?"},
    "expectation": {"zh": "你对本群有什么期待？", "en": "What do you expect from this group?"},
}

CHECKLIST_HEAD: Texts = {
    "zh": "📋 {name} 的新人任务：基础 {done}/{total}，{deadline}完成",
    "en": "📋 {name}'s newcomer tasks: basic {done}/{total}, {deadline}",
}
CHECKLIST_OVERDUE_HEAD: Texts = {
    "zh": "📋 {name} 的新人任务：基础 {done}/{total}，已过截止时间（{deadline}），完成后仍可领取奖励",
    "en": "📋 {name}'s newcomer tasks: basic {done}/{total}, overdue since {deadline}; still worth finishing",
}
CHECKLIST_DONE_HEAD: Texts = {
    "zh": "📋 {name} 的新人任务：基础任务已全部完成 🎉",
    "en": "📋 {name}'s newcomer tasks: all basic tasks done 🎉",
}
ADVANCED_HEAD: Texts = {"zh": "进阶：", "en": "Advanced:"}
TITLE_QUESTIONNAIRE_PRIVATE: Texts = {
    "zh": "回答入群问卷（{n} 个问题，在这里直接回复即可）",
    "en": "Answer the entry questionnaire ({n} questions: just reply here)",
}
CURRENT_QUESTION: Texts = {
    "zh": "   当前问题（{i}/{n}）：{question}\n   回答：/answer 你的回答",
    "en": "   Question {i}/{n}: {question}\n   Answer: /answer <your answer>",
}
CURRENT_QUESTION_PRIVATE: Texts = {
    "zh": "   当前问题（{i}/{n}）：{question}\n   直接回复即可",
    "en": "   Question {i}/{n}: {question}\n   Just reply",
}
QUESTION_IN_PRIVATE: Texts = {
    "zh": "📝「{group}」入群问卷（{i}/{n}），直接回复即可：\n{question}",
    "en": "📝 {group} entry questionnaire ({i}/{n}), just reply:\n{question}",
}
START_HELLO: Texts = {
    "zh": "你好 {name}！之后给你的私信都会发到这里。发送 /tasks 查看新人任务。",
    "en": "Hello {name}! Private messages from me will come here now. Send /tasks for your newcomer tasks.",
}
BUTTON_QUESTIONNAIRE: Texts = {"zh": "私聊我完成问卷", "en": "Questionnaire in private"}
BUTTON_MY_TASKS: Texts = {"zh": "私聊查看我的任务", "en": "My tasks in private"}
REWARD_HINT: Texts = {
    "zh": "🎁 完成基础任务可得 {points} 积分和新人礼包",
    "en": "🎁 Finish the basic tasks for {points} points and the newcomer gift",
}
NO_TASKS: Texts = {
    "zh": "{name}，你没有待完成的新人任务。",
    "en": "{name}, you have no newcomer tasks.",
}
RULES: Texts = {"zh": "📜 「{group}」群规：\n{rules}", "en": "📜 Rules of {group}:\n{rules}"}
NO_RULES: Texts = {"zh": "本群还没有设置群规。", "en": "This group has no written rules yet."}
RULES_ACKED: Texts = {
    "zh": "✅ 已确认群规，新人任务进度 {done}/{total}",
    "en": "✅ Rules confirmed; newcomer tasks {done}/{total}",
}
FIRST_QUESTION: Texts = {
    "zh": "👋 欢迎加入「{group}」！请回答入群问卷（共 {n} 题，直接回复即可）：\n{question}",
    "en": "👋 Welcome to {group}! Please answer the entry questionnaire ({n} questions, just reply):\n"
    "{question}",
}
NEXT_QUESTION: Texts = {
    "zh": "收到 ✅ 下一题（{i}/{n}）：\n{question}",
    "en": "Got it ✅ Next ({i}/{n}):\n{question}",
}
QUESTIONNAIRE_DONE: Texts = {
    "zh": "问卷已完成，谢谢！新人任务进度 {done}/{total}",
    "en": "Questionnaire complete, thank you! Newcomer tasks {done}/{total}",
}
NOTHING_TO_ANSWER: Texts = {
    "zh": "你没有待回答的入群问卷。",
    "en": "You have no questionnaire to answer.",
}
ANSWER_USAGE: Texts = {"zh": "用法：/answer 你的回答", "en": "Usage: /answer <your answer>"}
INTRO_OK: Texts = {
    "zh": "✅ 自我介绍已记录：{industry} · {role} · {expectation}。新人任务进度 {done}/{total}",
    "en": "✅ Introduction saved: {industry} · {role} · {expectation}. Newcomer tasks {done}/{total}",
}
INTRO_SAVED: Texts = {"zh": "✅ 自我介绍已更新。", "en": "✅ Introduction updated."}
INTRO_WRONG: Texts = {
    "zh": "自我介绍格式不对：{reason}\n格式：行业-岗位-入群期待，例如：/intro {example}",
    "en": "That introduction has the wrong form: {reason}\n"
    "Form: industry-role-expectation, e.g. /intro {example}",
}
ADVANCED_DONE: Texts = {
    "zh": "🌟 进阶任务完成：{title}，+{points} 积分",
    "en": "🌟 Advanced task done: {title}, +{points} points",
}
COMPLETED: Texts = {
    "zh": "🎉 恭喜完成新人任务！已为你加 {points} 积分。",
    "en": "🎉 Newcomer tasks complete! {points} points added.",
}
COMPLETED_NO_POINTS: Texts = {"zh": "🎉 恭喜完成新人任务！", "en": "🎉 Newcomer tasks complete!"}
GIFT: Texts = {"zh": "🎁 新人礼包：{gift}", "en": "🎁 Newcomer gift: {gift}"}
ANNOUNCE: Texts = {
    "zh": "🎉 {mention} 完成了新人任务，正式加入「{group}」！大家欢迎～",
    "en": "🎉 {mention} finished the newcomer tasks: welcome aboard {group}!",
}
REMINDER: Texts = {
    "zh": "⏰ 新人任务提醒：还差 {left} 项（{items}），请在 {deadline}完成，发送 /tasks 查看清单。",
    "en": "⏰ Newcomer tasks: {left} left ({items}); please finish {deadline}. Send /tasks for the list.",
}
MISSED_REMIND: Texts = {
    "zh": "⌛ 新人任务已过截止时间，还差：{items}。完成后仍可领取新人礼包，发送 /tasks 查看。",
    "en": "⌛ The newcomer tasks are overdue; left: {items}. You can still finish them: send /tasks.",
}
MISSED_MUTE: Texts = {
    "zh": "🔇 {mention} 未在截止时间前完成新人任务（还差：{items}），禁言 {hours} 小时；完成任务后自动解除。",
    "en": "🔇 {mention} did not finish the newcomer tasks in time (left: {items}): muted for {hours} h, "
    "lifted once they are done.",
}
MISSED_REMOVE_ASKED: Texts = {
    "zh": "🚪 {mention} 入群后未在截止时间前完成新人任务（还差：{items}），已通知群主处理。",
    "en": "🚪 {mention} did not finish the newcomer tasks in time (left: {items}); the group owner has been "
    "asked to remove them.",
}
MISSED_REMOVE: Texts = {
    "zh": "🚪 {mention} 入群后未在截止时间前完成新人任务（还差：{items}），已移出群聊。",
    "en": "🚪 {mention} did not finish the newcomer tasks in time (left: {items}) and was removed.",
}
