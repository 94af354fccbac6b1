"""Referral texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

LINK: Texts = {
    "zh": "🔗 你的专属邀请链接：{link}\n"
    "每邀请 {every} 位朋友入群，奖励 {points} 积分{extra}。发送 /invites 查看战绩。",
    "en": "🔗 Your personal invite link: {link}\n"
    "Every {every} friends who join earn you {points} points{extra}. Send /invites for your score.",
}
NO_LINKS: Texts = {
    "zh": "本群所在平台不支持专属邀请链接，请联系管理员获取入群二维码或活码。",
    "en": "Personal invite links are not available on this platform; ask an admin for the group's invite.",
}
CREDITED: Texts = {
    "zh": "🎉 {name} 通过你的邀请链接加入了「{group}」！你已邀请 {n} 人。",
    "en": "🎉 {name} joined {group} through your invite link! You have invited {n}.",
}
REWARD: Texts = {
    "zh": "🏅 感谢 {mention} 邀请了 {n} 位新朋友入群，奖励 {points} 积分{extra}！",
    "en": "🏅 Thanks {mention} for inviting {n} new members: {points} points{extra}!",
}
EXTRA: Texts = {"zh": "和{text}", "en": " and {text}"}
MINE: Texts = {"zh": "📨 你已邀请 {n} 人入群。", "en": "📨 You have invited {n} member(s)."}
BOARD_HEAD: Texts = {"zh": "🏆 团长排行榜：", "en": "🏆 Top inviters:"}
BOARD_LINE: Texts = {"zh": "{medal} {name} — {n} 人", "en": "{medal} {name} — {n}"}
BOARD_EMPTY: Texts = {
    "zh": "还没有人通过邀请链接入群，发送 /invite 获取你的专属链接。",
    "en": "Nobody has joined through an invite link yet; send /invite for yours.",
}
