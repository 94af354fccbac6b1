"""Ad signals: small checks that each say what they matched, built once per group config (tg-spam style).

Every factory returns ``Callable[[MessageFacts], CheckResult]``. A check reads a ``Prepared`` view of the
message (normalised text, compact text, links, mentions) that is computed once per message and shared by all
checks. ``hard=True`` means the signal decides on its own (a WeChat ID, a phone number, an invite link, a QR
code); soft signals carry a ``score`` that the detector adds to the model's opinion.

Categories: "contact", "link", "invite", "qr", "mini_program", "card", "forward", "repeat", and the keyword
categories in ``KEYWORD_CATEGORIES``. "porn", "violence" and "gambling" are remove-at-once categories
downstream.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Final, NamedTuple

import ahocorasick_rs

from rules.ads.facts import MessageFacts
from rules.normalize import compact, normalize
from rules.verdict import CheckResult

__all__ = [
    "BUILTIN_ALLOWED_DOMAINS",
    "DEFAULT_KEYWORDS",
    "KEYWORD_CATEGORIES",
    "REMOVE_AT_ONCE",
    "SHORT_LINK_DOMAINS",
    "AdCheck",
    "KeywordIndex",
    "Prepared",
    "channel_forward_check",
    "contact_lure_check",
    "context_markers",
    "domain_allowed",
    "invite_links_check",
    "keyword_results",
    "keywords_check",
    "links_check",
    "lure_check",
    "media_check",
    "mentions_check",
    "phone_check",
    "prepare",
    "qq_check",
    "qr_check",
    "repeat_check",
    "short_links_check",
    "spelled_digits",
    "wechat_check",
]


REMOVE_AT_ONCE: Final = frozenset({"porn", "violence", "gambling"})

# Well-known sites a member may share with a comment (a suffix match: zhuanlan.zhihu.com is allowed via
# zhihu.com).
BUILTIN_ALLOWED_DOMAINS: Final = frozenset(
    {
        "mp.weixin.qq.com", "docs.qq.com", "v.qq.com", "cloud.tencent.com", "meeting.tencent.com",
        "zhihu.com", "bilibili.com", "b23.tv", "github.com", "github.io", "gitee.com", "gitlab.com",
        "python.org", "pypi.org", "readthedocs.io", "readthedocs.org", "rust-lang.org", "go.dev",
        "golang.org", "nodejs.org", "developer.mozilla.org", "kubernetes.io", "docker.com",
        "postgresql.org", "mysql.com", "redis.io", "microsoft.com", "learn.microsoft.com", "apple.com",
        "developer.huawei.com", "huawei.com", "aliyun.com", "alibabacloud.com", "feishu.cn",
        "larksuite.com", "yuque.com", "notion.so", "notion.site", "juejin.cn", "csdn.net", "cnblogs.com",
        "segmentfault.com", "oschina.net", "jianshu.com", "douban.com", "weibo.com", "xiaohongshu.com",
        "douyin.com", "ixigua.com", "toutiao.com", "36kr.com", "huxiu.com", "geekbang.org", "infoq.cn",
        "sspai.com", "wikipedia.org", "baike.baidu.com", "google.com", "youtube.com", "youtu.be",
        "stackoverflow.com", "medium.com", "arxiv.org", "w3.org", "gov.cn", "edu.cn", "openai.com",
        "huggingface.co", "npmjs.com", "dingtalk.com", "work.weixin.qq.com", "developers.weixin.qq.com",
    }
)  # fmt: skip

SHORT_LINK_DOMAINS: Final = frozenset(
    {
        "t.cn", "bit.ly", "dwz.cn", "dwz.date", "url.cn", "w.url.cn", "suo.im", "suo.nz", "tinyurl.com",
        "goo.gl", "is.gd", "ow.ly", "t.co", "6du.in", "reurl.cc", "cutt.ly", "rebrand.ly", "s.id", "v.gd",
        "rb.gy", "shorturl.at", "tiny.cc", "u.nu", "dlj.bz", "mrw.so", "985.so", "sohu.gg", "kks.me",
        "ft12.com", "xhslink.com", "u.wechat.com", "qr.alipay.com", "j.mp", "buff.ly", "lnkd.in", "tb.cn",
        "m.tb.cn",
    }
)  # fmt: skip

# Top-level domains we accept in a bare "name.tld" without a scheme: "vue.js" or "报告.pdf" is not a link.
_BARE_TLDS = (
    "com|cn|net|org|top|vip|xyz|life|cc|me|io|co|info|app|site|club|shop|online|live|tv|ly|gl|im|in|ink|link|pro|"
    "fun|icu|work|wang|ltd|store|tech|asia|biz|hk|tw|mo|us|uk|ru|jp|kr|sg|so|gg|bet|win|casino|games|xxx|porn|"
    "today|world|space|website|cloud|run|cyou|buzz|monster|rest|bar|click|pw|ws|la|tk|ml|ga|cf|gq|su|sbs|bz|be|"
    "to|nu|cx|date|vin|beer|love|red|kim|men|loan|mobi|one|plus|pub|run|team|tips|vc|ai|dev|page|zone"
)
_URL_RE = re.compile(
    r"(?:(?:https?|ftp)://|tg://)[^\s<>\"'，。！？、）】》]+"
    r"|(?<![a-z0-9@._-])(?:www[.。])?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?[.。])+(?:" + _BARE_TLDS + r")\b"
    r"(?::\d{2,5})?(?:/[^\s<>\"'，。！？、）】》]*)?"
)
_HOST_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\s]*@)?([^/:?#\s]+)")
_INVITE_RE = re.compile(
    r"(?:t\.me|telegram\.me|telegram\.dog)/(?:\+|joinchat/)[\w-]+|tg://join\?invite=[\w-]+"
    r"|discord\.gg/[\w-]+|discord(?:app)?\.com/invite/[\w-]+|weixin\.qq\.com/g/[\w-]+|chat\.whatsapp\.com/[\w-]+"
)
_TME_CHANNEL_RE = re.compile(r"(?:t\.me|telegram\.me)/(?!\+|joinchat)([a-z][\w]{3,31})")
_MENTION_RE = re.compile(r"(?<![a-z0-9_.])@([a-z][a-z0-9_]{3,31})")

# Before compacting: emoji and symbols that stand for a contact word ("🐧 1690 47089", "➕V", "🛰️：id").
_EMOJI_WORDS: Final = str.maketrans(
    {"🐧": "企鹅", "➕": "加", "🛰": "卫星", "📞": "电话", "☎": "电话", "📱": "手机", "✈": "飞机", "🛩": "飞机"}
)
_CN_DIGITS: Final = str.maketrans(
    {"〇": "0", "零": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5",
     "六": "6", "七": "7", "八": "8", "九": "9", "o": "0", "l": "1",
     "壹": "1", "贰": "2", "叁": "3", "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9"}
)  # fmt: skip
# Chinese numerals, plain and financial (壹贰叁, the ones cheques use): a run of five or more is a number
# spelled out to dodge digit patterns (一三八…, 贰捌叁肆…); short runs are words (一二年级, 三五个, 二十四).
_CN_NUMERAL_RUN = re.compile("[〇零一幺二两三四五六七八九壹贰叁肆伍陆柒捌玖]{5,}")
_CN_NUMERAL = re.compile("[〇零幺壹贰叁肆伍陆柒捌玖一二三四五六七八九]")


def spelled_digits(comp: str) -> str:
    """``comp`` with every run of five or more Chinese numerals written in ASCII digits,
    so the QQ / phone / WeChat patterns see "贰捌叁肆伍陆柒捌玖" as 283456789."""
    # Most text has no run of five (一 alone is everywhere); a run of 两 alone was never spelled out.
    if _CN_NUMERAL_RUN.search(comp) is None or _CN_NUMERAL.search(comp) is None:
        return comp
    return _CN_NUMERAL_RUN.sub(lambda m: m.group(0).translate(_CN_DIGITS), comp)


_FIRST = itemgetter(0)
# BMP and supplementary characters apart: ``re`` compares a mixed class item by item at every position.
_EMOJI_WORD_RE = re.compile("[➕☎✈]|[🐧🛰📞📱🛩]")
_DOT_LETTER = re.compile(r"[.。][a-z]")  # no link without one (or a "/"): skips the URL pattern on most chat


class Prepared(NamedTuple):
    """A message in the forms the checks match on; built once per message by ``prepare`` (a ``NamedTuple``:
    immutable and cheap to build)."""

    facts: MessageFacts
    norm: str  # normalize(text)
    compact: str  # letters and digits only, contact emoji spelled out, spelled-out numbers in digits
    plain_compact: str  # compact(norm): what the model sees
    links: tuple[str, ...]  # from entities and text, normalised, without duplicates
    hosts: tuple[str, ...]  # host of each link, lower-case, no "www."
    mentions: tuple[str, ...]  # @usernames (entities and text)


_AT_NUMBER = re.compile(r"@\s?\d{5,12}")


def prepare(facts: MessageFacts) -> Prepared:
    """The shared view of a message, computed once per message by the detector and handed to every check.
    A known member's numeric @-mentions (QQ-style "@2837465912") name members, not contacts: they are left
    out of the contact patterns; a stranger's are read as written."""
    norm = normalize(facts.text)
    if facts.sender_known and "@" in norm:
        norm = _AT_NUMBER.sub("@", norm)
    plain = compact(norm, normalized=True)
    comp = compact(norm.translate(_EMOJI_WORDS), normalized=True) if _EMOJI_WORD_RE.search(norm) else plain
    comp = spelled_digits(comp)
    found: list[str] = []
    if "/" in norm or _DOT_LETTER.search(norm):
        found = [m.group(0).replace("。", ".") for m in _URL_RE.finditer(norm)]
    links: list[str] = []
    if found or facts.urls:
        for url in (*(normalize(u) for u in facts.urls), *found):
            url = url.rstrip(".,;:!?)")
            if url and url not in links:
                links.append(url)
    hosts = tuple(_host(u) for u in links) if links else ()
    mentions: tuple[str, ...] = ()
    if facts.mentions or "@" in norm:
        names = (*(m.lower().lstrip("@") for m in facts.mentions), *_MENTION_RE.findall(norm))
        mentions = tuple(dict.fromkeys(names))
    return Prepared(facts, norm, comp, plain, tuple(links), hosts, mentions)


@dataclass(frozen=True, slots=True)
class AdCheck:
    """A named check. Call it with ``MessageFacts`` (tg-spam style); the detector calls ``run`` on a
    ``Prepared``."""

    name: str
    run: Callable[[Prepared], CheckResult]

    def __call__(self, facts: MessageFacts) -> CheckResult:
        return self.run(prepare(facts))


def _host(url: str) -> str:
    m = _HOST_RE.match(url)
    host = m.group(1) if m else url
    return host.removeprefix("www.").rstrip(".")


def domain_allowed(host: str, allowed: frozenset[str]) -> bool:
    """True when ``host`` is one of ``allowed`` or a subdomain of one (``zhuanlan.zhihu.com`` under
    ``zhihu.com``)."""
    while host:
        if host in allowed:
            return True
        _, _, host = host.partition(".")
    return False


def _miss(name: str) -> CheckResult:
    """Misses carry no detail, so each check builds its miss once and returns it for most messages."""
    return CheckResult(name=name, hit=False)


_KEYWORDS_MISS = (_miss("keywords"),)


# ---------------------------------------------------------------------------------------------------- links


def links_check(allowed_domains: Iterable[str] = (), *, builtin: bool = True, score: float = 0.5) -> AdCheck:
    """Links to sites outside the group's allow list (plus the built-in list of well-known sites)."""
    allowed = frozenset(d.lower().removeprefix("www.") for d in allowed_domains)
    if builtin:
        allowed |= BUILTIN_ALLOWED_DOMAINS

    miss = _miss("links")

    def run(p: Prepared) -> CheckResult:
        if not p.hosts:
            return miss
        foreign = [h for h in p.hosts if not domain_allowed(h, allowed)]
        if not foreign:
            return miss
        return CheckResult(
            "links", True, f"外部链接 {', '.join(dict.fromkeys(foreign))}", category="link", score=score
        )

    return AdCheck("links", run)


def short_links_check(extra_domains: Iterable[str] = ()) -> AdCheck:
    """Short links hide where they lead: a member sharing an article posts the real address."""
    domains = SHORT_LINK_DOMAINS | frozenset(extra_domains)

    miss = _miss("short_links")

    def run(p: Prepared) -> CheckResult:
        if not p.hosts:
            return miss
        for link, host in zip(p.links, p.hosts, strict=True):
            if host in domains:
                return CheckResult(
                    "short_links", True, f"短链接 {link}", category="link", hard=True, score=1.0
                )
        return miss

    return AdCheck("short_links", run)


def invite_links_check() -> AdCheck:
    """Invitations to other groups (t.me/+…, t.me/joinchat, WeChat group links) and t.me channel links."""

    miss = _miss("invite_links")

    def run(p: Prepared) -> CheckResult:
        if "/" not in p.norm and not p.links:
            return miss
        text = " ".join((p.norm, *p.links))
        m = _INVITE_RE.search(text)
        if m:
            return CheckResult(
                "invite_links", True, f"邀请链接 {m.group(0)}", category="invite", hard=True, score=1.0
            )
        m = _TME_CHANNEL_RE.search(text)
        if m:
            return CheckResult("invite_links", True, f"频道链接 {m.group(0)}", category="invite", score=0.8)
        return miss

    return AdCheck("invite_links", run)


_MENTION_CONTACT_RE = re.compile(
    r"(?:联系|飞机|纸飞机|电报|tg|telegram|找|私聊|咨询|关注频道|频道|客服|投放)$"
)


def mentions_check() -> AdCheck:
    """@usernames: "联系 @xx" or "飞机 @xx" is a contact; a bare channel mention is a weak signal."""

    miss = _miss("mentions")

    def run(p: Prepared) -> CheckResult:
        if not p.mentions:
            return miss
        for name in p.mentions:
            at = p.norm.find("@" + name)
            before = compact(p.norm[max(0, at - 12) : at], normalized=True) if at >= 0 else ""
            if _MENTION_CONTACT_RE.search(before):
                return CheckResult(
                    "mentions", True, f"联系账号 @{name}", category="contact", hard=True, score=1.0
                )
        return CheckResult("mentions", True, f"提到账号 @{p.mentions[0]}", category="contact", score=0.4)

    return AdCheck("mentions", run)


# ----------------------------------------------------------------------------------------------------
# contacts


def _starting_with(first: str, pattern: str) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead for the characters a match can start with. Patterns that open with a
    look-behind or an optional word give the regex engine no prefix to scan for, so it tries them at every
    position; with the look-ahead it skips to candidate characters (~4x faster on ordinary chat). A test
    holds each to its plain form."""
    return re.compile(f"(?=[{re.escape(first)}])(?:{pattern})")


_ADD_WORDS = "加|添加|联系|私加|找"
_D = "0-9〇零一幺二两三四五六七八九ol"  # digits as written in disguised numbers: 一三八, 幺三九, o for 0
# Only ASCII digits bound a number: "186 2345 6789 二十四小时" ends before 二.
_PHONE = f"(?<![0-9])(?:0?86)?([1一幺l][3-9三四五六七八九][{_D}]{{9}})(?![0-9])"

# Words for WeChat, including homophones and shapes: 薇信 威信 徽信 威芯 卫星 绿泡泡 "v❤x" (compacts to "vx").
_WX_LONG = (
    "微信|微芯|薇信|薇芯|威信|威芯|徽信|徽芯|维信|魏信|卫星|胃信|围信|嶶信|巍信|微新|v信|v芯|v心|vchat|wechat|"
    "weixin|weixing|绿泡泡|绿色泡泡"
)
_WX_SHORT = "vx|wx|微|薇|威|v"
_WX = (
    r"(?<![a-z0-9])(?P<add>" + _ADD_WORDS + r")?(?:(?P<long>" + _WX_LONG + r")|(?P<short>" + _WX_SHORT + r"))"
    r"(?:号|号码|id|账号|同号|搜索|搜)?(?P<id>[a-z][a-z0-9]{4,19}|[1-9]\d{5,10})(?![a-z0-9])"
)
# The same on the normalised text, where a WeChat ID keeps its "_" / "-" and the word before it keeps its
# boundary ("便宜 30%，v：hk_gou888" compacts to "30vhkgou888", which the pattern above cannot split).
_WX_NORM = (
    r"(?<![a-z0-9_])(?P<add>"
    + _ADD_WORDS
    + r")?(?:(?P<long>"
    + _WX_LONG
    + r")|(?P<short>"
    + _WX_SHORT
    + r"))"
    r"\s*(?P<sep>[:：=＝~～-])?\s*(?:号|号码|id|账号)?\s*[:：=＝]?\s*(?P<id>[a-z][a-z0-9_-]{5,19})(?![a-z0-9_])"
)
_WX_LURE = r"(?:" + _ADD_WORDS + r")我?(?:" + _WX_LONG + r"|vx|wx|v(?![a-z]))"
_QQ = (
    r"(?<![a-z])(?:qq|扣扣|抠抠|寇寇|蔻蔻|企鹅|q号|qq号)(?:号|号码|账号)?(?P<id>[1-9]\d{4,10})(?!\d)"
    r"|(?:群号|群号码|加群|q群|qq群|进群)(?P<group>[1-9]\d{5,10})(?!\d)"
)


def _first_chars(*alternations: str) -> str:
    """The first characters of the words in ``a|b|c`` alternations."""
    return "".join(sorted({word[0] for words in alternations for word in words.split("|")}))


_WX_WORD_FIRST = _first_chars(_WX_LONG, _WX_SHORT)
_PHONE_RE = _starting_with("08" + "1一幺l", _PHONE)  # 086 / 86 or the number itself
_WX_RE = _starting_with(_first_chars(_ADD_WORDS) + _WX_WORD_FIRST, _WX)
_WX_NORM_RE = _starting_with(_first_chars(_ADD_WORDS) + _WX_WORD_FIRST, _WX_NORM)
_WX_LURE_RE = _starting_with(_first_chars(_ADD_WORDS), _WX_LURE)
_QQ_RE = _starting_with(_first_chars("qq|扣扣|抠抠|寇寇|蔻蔻|企鹅|q号", "群号|加群|q群|进群"), _QQ)
# Every WeChat word starts with one of these: a message without any is not checked further (most chat).
_WX_FIRST_CHARS = re.compile(f"[{re.escape(_WX_WORD_FIRST)}]")
_ID_LIKE = re.compile(
    r"[a-z0-9]{5}"
)  # every ID or number we look for has five ASCII letters / digits in a row


def phone_check() -> AdCheck:
    """CN mobile numbers, also spaced, dotted, full-width, circled or written in Chinese digits (一三八…)."""

    miss = _miss("phone")

    def run(p: Prepared) -> CheckResult:
        m = _PHONE_RE.search(p.compact)
        if m is None:
            return miss
        number = m.group(1).translate(_CN_DIGITS)
        return CheckResult("phone", True, f"手机号 {number}", category="contact", hard=True, score=1.0)

    return AdCheck("phone", run)


def _spelled_out(m: re.Match[str]) -> bool:
    """ "vx：gaokao_zhiyuan": the two-letter abbreviation, a colon and an ID is a WeChat ID even without a
    digit in it ("v2ray" or "版本 v20240606" never has the colon; a lone "v" or "微" still needs more)."""
    return m.group("short") in ("vx", "wx") and "sep" in m.re.groupindex and m.group("sep") in (":", "：")


def wechat_check() -> AdCheck:
    """A WeChat word followed by an ID (vx：abc123, 薇信 sx111505, wei xin：ll998877); an ID alone is a user
    name."""

    miss = _miss("wechat")

    def run(p: Prepared) -> CheckResult:
        if not _WX_FIRST_CHARS.search(p.compact):
            return miss
        found = (
            (*_WX_RE.finditer(p.compact), *_WX_NORM_RE.finditer(p.norm)) if _ID_LIKE.search(p.compact) else ()
        )
        for m in found:
            wid = m.group("id")
            # "v" or "微" before a word is too common ("v2ray", "版本 v20240606"): a short word needs a
            # letter-first ID with a digit in it, or an explicit "加" in front.
            if m.group("short") is not None and (
                wid[0].isdigit() or not (m.group("add") or any(c.isdigit() for c in wid) or _spelled_out(m))
            ):
                continue
            return CheckResult(
                "wechat", True, f"微信号 {m.group(0)}", category="contact", hard=True, score=1.0
            )
        m2 = _WX_LURE_RE.search(p.compact)
        if m2:
            return CheckResult("wechat", True, f"加微信 {m2.group(0)}", category="contact", score=0.6)
        return miss

    return AdCheck("wechat", run)


def qq_check() -> AdCheck:
    """QQ numbers with their disguises (扣扣, 企鹅, 🐧), and group numbers to search for (群号 836472915)."""

    miss = _miss("qq")

    def run(p: Prepared) -> CheckResult:
        comp = p.compact
        m = _QQ_RE.search(comp) if _ID_LIKE.search(comp) else None
        if m is None:
            return miss
        label = "QQ号" if m.group("id") else "群号"
        return CheckResult("qq", True, f"{label} {m.group(0)}", category="contact", hard=True, score=1.0)

    return AdCheck("qq", run)


# ----------------------------------------------------------------------------------------------------
# attachments

_QR_INVITE_RE = re.compile(
    r"weixin\.qq\.com/g/|u\.wechat\.com|wxp://|qr\.alipay\.com|t\.me/|work\.weixin\.qq\.com/"
)


def qr_check(allowed_domains: Iterable[str] = ()) -> AdCheck:
    """QR codes in images: a group or contact QR is the classic 扫码进群; a code for an allowed site is
    fine."""
    allowed = BUILTIN_ALLOWED_DOMAINS | frozenset(d.lower() for d in allowed_domains)

    miss = _miss("qr")

    def run(p: Prepared) -> CheckResult:
        facts = p.facts
        for payload in facts.qr_texts:
            text = normalize(payload)
            if not text:
                continue
            if _QR_INVITE_RE.search(text):
                return CheckResult(
                    "qr", True, f"二维码(进群/加好友) {text[:80]}", category="qr", hard=True, score=1.0
                )
            if not (text.startswith(("http://", "https://")) and domain_allowed(_host(text), allowed)):
                return CheckResult("qr", True, f"二维码 {text[:80]}", category="qr", hard=True, score=1.0)
        return miss

    return AdCheck("qr", run)


def media_check(banned: Mapping[str, str] | None = None) -> AdCheck:
    """Mini-programs and contact cards (名片) are ads in a discussion group; ``banned`` maps media →
    category."""
    kinds = dict(banned) if banned is not None else {"mini_program": "mini_program", "card": "card"}
    labels = {"mini_program": "小程序", "card": "名片"}

    miss = _miss("media")

    def run(p: Prepared) -> CheckResult:
        facts = p.facts
        if facts.media is not None and facts.media in kinds:
            label = labels.get(facts.media, facts.media)
            return CheckResult(
                "media", True, f"{label}消息", category=kinds[facts.media], hard=True, score=1.0
            )
        return miss

    return AdCheck("media", run)


def channel_forward_check(score: float = 0.4) -> AdCheck:
    """A forward from a channel is how ad networks reach groups: a soft signal, honest forwards exist too."""

    miss = _miss("forward")

    def run(p: Prepared) -> CheckResult:
        facts = p.facts
        if facts.forwarded_from_channel:
            return CheckResult("forward", True, "转发自频道", category="forward", score=score)
        return miss

    return AdCheck("forward", run)


def repeat_check(threshold: int = 3) -> AdCheck:
    """The same text from one sender again and again (across groups) is flooding or an ad campaign."""

    miss = _miss("repeat")

    def run(p: Prepared) -> CheckResult:
        facts = p.facts
        n = facts.repeat_count
        if n < threshold:
            return miss
        score = 1.0 if n >= 2 * threshold else 0.6
        return CheckResult("repeat", True, f"相同内容重复 {n} 次", category="repeat", score=score)

    return AdCheck("repeat", run)


# ---------------------------------------------------------------------------------------------------- lures

# Ways of pulling members out of the group that carry no ID at all, so no contact pattern sees them.
# Each entry: name, category, the literal words it needs (one of each group, a cheap pre-check), the pattern,
# and its score. Each needs two parts close together: who it is for ("需要的", "想进群的") and where to go
# ("私我", "扣 1 拉你").
_CLAUSE = r"[^，。！？!?;；,\n]"  # NFKD leaves "，" as ","
# Someone the group knows by their role: "需要发票的私聊会计老师" sends members to them, not to a stranger
# (not "老师": "私聊老师领资料" is how stock-tip scams talk).
_ROLES: Final = ("会计", "群主", "管理", "班长", "班主任", "辅导员", "助教", "物业", "负责人", "队长", "团长")
_NAMED_PERSON = r"\s*(?:" + "|".join(_ROLES) + ")"
_LURES: Final = (
    # "需要的私我", "有需要的滴滴我", "想了解的可以私我", "要的私，手慢无"
    (
        "soft_lure",
        "contact",
        (("私", "滴滴", "戳我", "找我", "加我", "联系我", "留言", "回复", "扣"),),
        re.compile(
            r"(?:需要|要的|想要|有意|感兴趣|想了解|想学|有兴趣|要买|想买|想进|要进)[^。\n]{0,8}?"
            r"(?:私我|私聊(?!"
            + _NAMED_PERSON
            + r")|私信(?!"
            + _NAMED_PERSON
            + r")|滴滴我|戳我|找我|加我|联系我"
            r"|私(?=[，。！？!?,.\s]|$)|留言|(?:回复|扣)\s*[1１](?![0-9]))"
            r"|的(?:朋友|家长|姐妹|兄弟|宝妈|老板|车主)?(?:们)?(?:可以)?(?:找我|私我|私聊我|私信我|联系我|滴滴我|戳我|加我)"
        ),
        1.0,
    ),
    # "有兴趣的可以问我", "感兴趣的朋友都可以问我": an offer that asks to be asked, weaker than 私我 (a
    # member's own job post says it too), so it needs a second sign; "可以在群里问我" keeps the answer here
    (
        "ask_me",
        "contact",
        (("兴趣", "有意", "想了解", "想赚"), ("问我", "咨询我", "来问")),
        re.compile(
            r"(?:有兴趣|感兴趣|有意|想了解|想赚钱)的?(?:朋友|姐妹|宝妈|家人|小伙伴)?们?都?(?:可以)?"
            r"(?:问我|咨询我|来问)"
        ),
        0.6,
    ),
    # "链接在我朋友圈", "购买方式见主页", "详情看我简介": where to buy, one step outside the group
    (
        "elsewhere_lure",
        "contact",
        (("链接", "购买", "下单", "联系方式", "详情", "价格"), ("朋友圈", "主页", "简介", "签名", "空间")),
        re.compile(
            r"(?:链接|购买方式|购买链接|下单方式|下单链接|联系方式|详情|价格)" + _CLAUSE + r"{0,3}?"
            r"(?:在|见|看)(?:我的?)?(?:朋友圈|主页|简介|个性签名|签名|空间)"
        ),
        1.0,
    ),
    # "回复 1 拉你进群", "想进群的扣 1", "评论区扣 1，我挨个拉", "回复“进群”两个字"
    (
        "reply_funnel",
        "traffic",
        (("回", "扣", "打"), ("拉", "进", "群", "私发", "发你", "领")),
        re.compile(
            r"(?:回复|回|扣|打)\s*(?:个\s*)?(?:[1１]|666|[“\"']?进群)(?![0-9])[^。\n]{0,12}"
            r"(?:拉|进|群|私发|发你|领)"
            r"|(?:拉|进" + _CLAUSE + r"{0,4}群)" + _CLAUSE + r"{0,8}(?:回复|扣)\s*(?:个\s*)?[1１](?![0-9])"
        ),
        1.0,
    ),
    # "长按识别二维码进群", "扫描上方二维码进入我们的交流群", "图片扫码入群"
    (
        "qr_lure",
        "traffic",
        (("扫", "识别", "长按"), ("群",)),
        re.compile(
            r"(?:扫|识别|长按)"
            + _CLAUSE
            + r"{0,10}(?:码|二维码|图)"
            + _CLAUSE
            + r"{0,12}(?:进|入|加入)"
            + _CLAUSE
            + r"{0,8}群"
            # the group named first: "新群扫码进", "进群请扫码", "加群扫二维码"
            + r"|群"
            + _CLAUSE
            + r"{0,6}(?:扫|识别|长按)\s*(?:码|二维码|图)\s*(?:进|入|加)"
            + r"|(?:进|入|加)群"
            + _CLAUSE
            + r"{0,4}(?:请|可|就)?\s*(?:扫|识别|长按)\s*(?:码|二维码|图)"
        ),
        1.0,
    ),
    # English: "DM me", "inbox me", "message her", "contact me on WhatsApp", "link in bio"
    (
        "dm_lure",
        "contact",
        (
            (
                "dm",
                "inbox",
                "pm",
                "message",
                "text",
                "contact",
                "msg",
                "bio",
                "whatsapp",
                "telegram",
                "kindly",
            ),
        ),
        re.compile(
            r"\b(?:dm|inbox|pm|message|text|contact|msg)\s+(?:me|her|him|us)\b|\bdm\s+for\b|\bsend me a dm\b"
            r"|\blink in (?:my )?bio\b|\bon (?:whatsapp|telegram)\b|\bkindly\s+(?:dm|message|contact)\b"
        ),
        0.6,
    ),
    # English money promises: "earn $500 daily", "guaranteed 30% weekly profit", "passive income"
    (
        "money_lure",
        "crypto",
        (
            (
                "earn",
                "made",
                "make",
                "get ",
                "profit",
                "$",
                "passive",
                "guarantee",
                "forex",
                "signal",
                "invest",
                "recovery",
                "grow",
                "advis",
                "mentor",
                "dear",
                "money",
                "proven",
                "profitable",
                "freedom",
            ),
        ),
        re.compile(
            # a sum alone is a promise only when it is large ("made $12,000", not "made $40 selling my
            # keyboard"); a sum with a rate is one at any size (the next line)
            r"\b(?:earn|earned|earning|make|made|making|get|profit of)\s+(?:up to\s+)?"
            r"\$\s?(?:\d{1,3}(?:,\d{3})+|\d{4,}|\d+(?:\.\d+)?\s?k\b)"
            r"|\$\s?[\d,]+\+?\s*(?:daily|weekly|a day|per day|a week|per week|in \d+ (?:hours|days))"
            r"|\bpassive income\b|\bguaranteed\b|\b\d+% (?:daily|weekly) profit|\bforex\b|\btrading signals\b"
            r"|\b(?:invest|investing|investment) (?:in|with) (?:bitcoin|crypto|her|him|us)\b"
            r"|\bcrypto recovery\b"
            # the DM scam's opening: "hello dear, I am a financial advisor … grow your investment"
            r"|\bgrow your (?:investment|money|capital|portfolio|income)\b|\bhello dear\b"
            r"|\bmake money (?:online|from home|fast)\b|\bproven (?:system|strategy|method|formula)\b"
            r"|\bprofitable (?:crypto|investment|trading|business|forex) (?:project|opportunity|plan)\b"
            r"|\bfinancial freedom\b"
            r"|\b(?:i am|i'm) (?:a|an|your) (?:\w+ )?(?:financial|investment|crypto|forex|trading) "
            r"(?:advisor|adviser|mentor|expert|manager|coach)\b"
        ),
        0.6,
    ),
)


# Every literal word of every lure's gates in one automaton: one pass over the text says which words occur
# (most chat: none, so no pattern runs), instead of one substring search per word and lure.
_GATE_WORDS: Final = tuple(
    sorted({word for _, _, gates, _, _ in _LURES for words in gates for word in words})
)
_GATE_INDEX: Final = {word: i for i, word in enumerate(_GATE_WORDS)}
_GATE_AUTOMATON: Final = ahocorasick_rs.AhoCorasick(list(_GATE_WORDS))
_LURE_GATES: Final = tuple(
    (name, category, tuple(frozenset(_GATE_INDEX[w] for w in words) for words in gates), pattern, score)
    for name, category, gates, pattern, score in _LURES
)


def lure_check() -> AdCheck:
    """Pulls without an ID: "需要的私我", "回复 1 拉你进群", a QR code that leads to another group, "DM me".
    Not hard (nothing to remove at once for): a Chinese lure names both its audience and where to go, which
    is enough for a hit; an English one (weaker words) needs a second lure or the model as a witness."""

    miss = _miss("lures")

    def run(p: Prepared) -> CheckResult:
        norm = p.norm
        matched = _GATE_AUTOMATON.find_matches_as_indexes(norm, overlapping=True)
        if not matched:
            return miss
        present = set(map(_FIRST, matched))
        found = [
            (name, category, score)
            for name, category, gates, pattern, score in _LURE_GATES
            # the literal words each pattern needs, so most chat skips the patterns
            if all(not present.isdisjoint(words) for words in gates) and pattern.search(norm)
        ]
        if not found:
            return miss
        category = max(found, key=lambda f: f[2])[1]
        score = sum(f[2] for f in found)
        return CheckResult(
            "lures", True, "引流话术 " + "、".join(f[0] for f in found), category=category, score=score
        )

    return AdCheck("lures", run)


# ---------------------------------------------------------------------------------------------------- context

# What explains the numbers and the format of an honest post: meeting and order numbers, prices, dates,
# counts,
# the group's self-introduction format (城市-行业-岗位) and its own rituals (打卡, 本周话题, 直播分享).
_CONTEXT_PATTERNS: Final = (
    ("会议号", re.compile(r"(?:腾讯会议|飞书会议|钉钉会议|会议号|会议id|会议室|zoom|webex)")),
    ("订单号", re.compile(r"(?:订单|单号|运单|工单|快递|发票|取件码|学号|工号|编号|车牌|尾号|身份证|uid)")),
    ("行情", re.compile(r"(?:收盘|开盘|报价|大盘|股价|净值|市值|油价|房价)")),
    ("地址", re.compile(r"\d ?(?:栋|单元|号楼|楼|层|室|号线|路)")),
    ("价格", re.compile(r"\d(?:\.\d+)? ?(?:元|块|万|千|k\b|w\b|rmb|美元|刀)|[¥$]\s?\d")),
    (
        "日期",
        re.compile(
            r"(?:19|20)\d\d ?年|\d{1,2} ?月 ?\d{1,2} ?[日号]|\d{1,2}:\d\d|周[一二三四五六日末]|q[1-4]\b"
            r"|\d{1,2} ?(?:点|点半|点钟)(?![0-9])"
        ),
    ),
    (
        "数量",
        re.compile(
            r"\d ?(?:人|个人|名|位|期|节|天|小时|分钟|%|个|届|岁|门|本|次|年|篇|条|张|件|斤|公斤|公里"
            r"|km|度|台|辆|套|瓶|盒|支|份|遍|周|页|题|秒|楼)"
        ),
    ),
    ("自我介绍", re.compile(r"^(?:自我介绍[:：]?)?[\u4e00-\u9fff]{2,5} ?[-－—_] ?[^-－—_\s]{2,10} ?[-－—_]")),
    (
        "亲身经历",
        re.compile(
            r"刚(?:入手|买|到手|收到|下班|回来)|入手了?一|我(?:家|们)?(?:刚|昨天|今天|上周|之前|已经)"
        ),
    ),
    ("小区事务", re.compile(r"物业|业委会|公告栏|业主|楼下|邻居|门卫|居委会")),
    ("求职内推", re.compile(r"内推|简历|面试|招聘|实习生|在招|岗位|\bjd\b")),
    # members organising something inside the group: they ask for answers here, an ad pulls people out
    (
        "群内接龙",
        re.compile(
            r"接龙|在(?:这里|这儿|群里|本群)(?:报名|说|回复|留言|登记|问)|群里(?:报名|说一声|登记|问|聊)"
        ),
    ),
    # members reporting an ad or a scam to the group: its words are what they report
    ("举报提醒", re.compile(r"举报|骗子|被骗|诈骗|发广告|广告号|私加我|别信|反诈")),
    # members talking about a product they use: shades, texture, how it wears
    ("用后感", re.compile(r"色号|试色|上脸|上眼|上嘴|持妆|显白|质地|肤质|回购|踩雷")),
    (
        "群活动",
        re.compile(r"(?:打卡|签到|本周话题|今日话题|今天的话题|直播分享|群公告|周报|早报|回放|群文件)"),
    ),
)


def context_markers(p: Prepared) -> tuple[str, ...]:
    """Names of the honest-post markers found (they keep the model from deciding alone); empty for most
    ads."""
    return tuple(name for name, pattern in _CONTEXT_PATTERNS if pattern.search(p.norm))


# ----------------------------------------------------------------------------------------------------
# keywords

KEYWORD_CATEGORIES: Final = (
    "contact", "parttime", "resale", "account_trade", "traffic", "crypto", "loan", "exam", "porn",
    "violence", "gambling",
)  # fmt: skip
# Every category a verdict can name (the model's own opinion is "ad"): the texts map each to public words.
CATEGORIES: Final = tuple(
    dict.fromkeys(
        ("contact", "link", "invite", "qr", "mini_program", "card", "forward", "repeat", *KEYWORD_CATEGORIES)
    )
)

# keyword → weight per category; weight 0 marks an innocent phrase that hides a keyword ("今日结束" ⊃ "日结").
# Keywords are matched on the compact text, so "刷 单" and "刷.单" match "刷单".
DEFAULT_KEYWORDS: Final[Mapping[str, Mapping[str, float]]] = {
    "contact": {
        "私聊": 0.5, "私聊我": 0.6, "私我": 0.6, "私信我": 0.6, "私信": 0.4, "加我": 0.4, "详聊": 0.4,
        "详谈": 0.4, "详询": 0.6, "咨询": 0.2, "联系方式": 0.5, "看我头像": 0.8, "看我主页": 0.8,
        "主页联系": 0.8, "个人简介": 0.4, "备注来意": 0.6, "备注来源": 0.6, "备注群名": 0.6, "有意者": 0.5,
        "有需要的": 0.3, "需要的私": 0.6, "飞机": 0.3, "纸飞机": 0.5, "电报": 0.3, "同号": 0.4,
        "欢迎咨询": 0.5, "价格私聊": 0.8, "价格美丽": 0.5, "价格好说": 0.5, "了解更多": 0.3, "手慢无": 0.5,
        "懂的来": 0.6, "找我": 0.3, "联系我": 0.5, "加好友": 0.4, "拉你": 0.5, "私信领取": 0.8,
        "回复666": 0.6, "客服": 0.2, "私我了解": 0.9, "私聊了解": 0.8, "私信了解": 0.8,
        "朋友圈看图": 0.6, "朋友圈有图": 0.6, "私聊的": 0.0, "私信的": 0.0,
        # sending members to someone the group knows by role (私聊会计老师, 私信群主) is not a contact lure
        **{f"{verb}{role}": 0.0 for verb in ("私聊", "私信") for role in _ROLES},
    },
    "parttime": {
        "刷单": 1.0, "兼职": 0.5, "日结": 0.6, "今日结": 0.0, "节日结": 0.0, "昨日结": 0.0, "一单一结": 0.8,
        "日结工资": 0.9, "当天结算": 0.8, "现结": 0.5, "日赚": 0.8, "日入": 0.7, "月入过万": 0.9,
        "月入": 0.4, "躺赚": 0.9, "动动手指": 0.8, "手机就能做": 0.9, "在家就能做": 0.9, "在家可做": 0.9,
        "在家工作": 0.5, "打字员": 0.8, "点赞员": 0.9, "手工活": 0.6, "副业": 0.3, "赚钱项目": 0.7,
        "招代理": 0.7, "诚招代理": 0.9, "一件代发": 0.8, "零投资": 0.7, "零风险": 0.5, "招募合伙人": 0.5,
        "高薪": 0.3, "佣金": 0.5, "返利": 0.6, "本金秒返": 1.0, "宝妈": 0.4, "时间自由": 0.6,
        "无需经验": 0.5, "新手可做": 0.8, "帮砍": 0.6, "助力": 0.2, "赚钱": 0.3, "临时工": 0.4,
        "带你赚": 0.7, "不骗人": 0.5,
    },
    "resale": {
        "代购": 0.5, "团购": 0.4, "二手": 0.3, "拼团": 0.4, "货源": 0.6, "一手货源": 0.8, "厂家直销": 0.7,
        "批发": 0.5, "尾货": 0.5, "清仓": 0.4, "甩卖": 0.5, "闲置转让": 0.5, "出售": 0.3, "微商": 0.7,
        "包邮": 0.3, "低价": 0.3, "专柜": 0.3, "正品": 0.3, "价格优惠": 0.3, "收购": 0.3, "高价回收": 0.6,
        "特价": 0.3, "出一台": 0.3, "九九新": 0.3, "九成新": 0.3,
        # health products sold with promises (减肥药, 偏方): a sale only next to a contact, like the rest
        "无副作用": 0.5, "不反弹": 0.5, "神药": 0.5, "祖传秘方": 0.6, "根治": 0.3,
    },
    "traffic": {
        "扫码进群": 1.0, "扫码加入": 0.8, "扫码添加": 0.8, "扫码进": 0.8, "扫码领": 0.8, "进群领": 0.8,
        "拉你进": 0.8, "拉你进群": 1.0, "加群": 0.5, "群号": 0.6, "进群": 0.4, "引流": 0.7, "涨粉": 0.5,
        "互推": 0.6, "粉丝福利": 0.6, "免费领取": 0.5, "免费领": 0.5, "领取资料": 0.4, "资源共享": 0.3,
        "搜索群号": 1.0, "另一个群": 0.5, "大群": 0.3, "福利群": 0.7, "学习群": 0.3, "内部群": 0.5,
        "关注公众号": 0.4, "关注频道": 0.6, "关注我们的频道": 0.8, "进群方式": 0.9, "领红包": 0.5,
        "红包": 0.3, "福利": 0.3, "优惠券": 0.4, "空投": 0.6, "每日分享": 0.3, "精准客户": 0.8,
        "刷量": 0.6, "名额有限": 0.3, "先到先得": 0.3, "内部优惠": 0.5, "邀请码": 0.5, "注册就送": 0.8,
    },
    "crypto": {
        "带单": 1.0, "跟单": 0.7, "usdt": 0.6, "收u": 0.8, "出u": 0.8, "回u": 0.8, "承兑": 0.6, "合约": 0.3,
        "翻倍": 0.6, "稳赚": 0.8, "稳赚不赔": 1.0, "保本": 0.6, "高收益": 0.6, "年化": 0.3, "日息": 0.8,
        "内部认购": 0.9, "百倍币": 1.0, "挖矿": 0.5, "资金盘": 1.0, "洗米": 1.0, "跑分": 1.0, "下浮": 0.6,
        "涨停": 0.6, "内部消息": 0.6, "理财": 0.3, "外汇": 0.4, "币安": 0.4, "返佣": 0.6, "预售": 0.3,
        "炒币": 0.5, "稳定盈利": 0.8, "必赚": 0.9, "区块链项目": 0.5, "车队": 0.6, "卡商": 0.8, "搬砖": 0.4,
        "汇率": 0.3, "交易所": 0.3, "荐股": 0.9, "老师带": 0.7, "投资": 0.2, "收益": 0.3,
        "跟着老师买": 0.6, "跟着老师操作": 0.8, "拉盘": 0.4,
    },
    "loan": {
        "贷款": 0.4, "套现": 1.0, "下款": 1.0, "放款": 0.8, "秒批": 0.8, "征信花": 1.0, "无视征信": 1.0,
        "黑户": 0.8, "白户": 0.8, "无抵押": 0.8, "网贷": 0.5, "代还": 0.8, "信用卡代还": 1.0, "白条": 0.5,
        "花呗": 0.3, "办理大额": 0.8, "大额信用卡": 0.8, "逾期": 0.3, "pos机": 0.6, "费率": 0.3,
        "急用钱": 0.8, "额度": 0.2, "秒到账": 0.5, "当天到账": 0.6, "提现": 0.3, "口子": 0.6, "不用还": 0.8,
        "借款": 0.4, "银行卡": 0.3, "u盾": 0.6,
    },
    "account_trade": {
        "卖号": 1.0, "收号": 0.8, "收购微信号": 1.0, "收微信号": 1.0, "出售微信号": 1.0, "实名账号": 0.8,
        "出售各类": 0.6, "租号": 0.6, "收购银行卡": 1.0, "买卖银行卡": 1.0, "收卡": 0.6,
    },
    "exam": {
        "代考": 1.0, "代写": 1.0, "包过": 1.0, "保过": 1.0, "代做": 0.6, "帮写": 0.6, "代办": 0.6,
        "办证": 0.8, "证件办理": 1.0, "文凭": 0.5, "学信网可查": 1.0, "代缴": 0.6, "查重": 0.3, "代挂": 0.9,
        "替考": 1.0, "考试答案": 0.8, "真题答案": 0.6, "不过退款": 1.0,
    },
    "porn": {
        "约炮": 1.0, "裸聊": 1.0, "成人影片": 1.0, "成人视频": 1.0, "无码": 0.8, "看片": 0.6,
        "同城交友": 0.6, "美女主播": 0.5, "陪聊": 0.6, "上门服务": 1.0, "一夜情": 1.0, "援交": 1.0,
        "色情": 0.8, "黄片": 1.0, "福利姬": 0.8, "岛国": 0.5, "特殊服务": 1.0, "骚": 0.2, "嫩模": 0.6,
        "自慰": 0.8, "做爱": 0.8, "av": 0.3, "巨乳": 0.8, "黄网": 1.0, "外围女": 1.0, "楼凤": 1.0,
        "同城约": 0.6, "附近美女": 0.8, "美女视频": 0.6, "发照片": 0.3, "日批": 1.0, "草榴": 1.0,
    },
    "violence": {
        "出售枪支": 1.0, "仿真枪": 1.0, "枪支": 0.8, "血腥": 0.6, "砍人": 0.8, "杀人视频": 1.0,
        "暴力视频": 0.8, "管制刀具": 1.0, "炸药": 1.0, "迷药": 1.0, "冰毒": 1.0, "大麻": 0.8, "氰化钾": 1.0,
        "办枪": 1.0, "买凶": 1.0, "斩首": 0.8,
    },
    "gambling": {
        "百家乐": 1.0, "真人视讯": 1.0, "网赌": 1.0, "博彩": 1.0, "赌场": 0.8, "六合彩": 1.0, "时时彩": 1.0,
        "一码中特": 1.0, "外围": 0.5, "首充": 0.8, "首存": 0.8, "充值送": 0.8, "棋牌": 0.5, "捕鱼": 0.5,
        "赔率": 0.5, "彩票计划": 1.0, "计划群": 0.8, "上下分": 1.0, "押注": 0.5, "下注": 0.5, "菠菜": 0.8,
        "注册送": 0.8, "开户": 0.3, "体育赛事": 0.3, "电子游艺": 0.8, "老虎机": 0.8, "北京赛车": 1.0,
        "幸运飞艇": 1.0, "pc28": 1.0, "赢钱": 0.6,
    },
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Keyword:
    word: str
    category: str
    weight: float


class KeywordIndex:
    """One Aho-Corasick automaton over all keyword categories, built once per config and shared by
    messages."""

    __slots__ = ("_automaton", "_entries")

    def __init__(self, keywords: Mapping[str, Mapping[str, float]]) -> None:
        entries: dict[str, list[_Keyword]] = {}
        for category, words in keywords.items():
            for word, weight in words.items():
                key = compact(word)
                if key:
                    entries.setdefault(key, []).append(_Keyword(key, category, float(weight)))
        self._entries = tuple(tuple(kws) for kws in entries.values())
        self._automaton = ahocorasick_rs.AhoCorasick(list(entries)) if entries else None

    def scan(self, text: str) -> dict[str, tuple[float, list[str]]]:
        """Category → (summed weight, matched words). A match inside a longer match counts only once."""
        if self._automaton is None or not text:
            return {}
        entries = self._entries
        spans: list[tuple[int, int, tuple[_Keyword, ...]]] = [
            (start, end - 1, entries[i])
            for i, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)
        ]
        # Longest first, so a keyword inside a longer one (日结 in 今日结 / 日结工资) is dropped.
        spans.sort(key=lambda s: (s[0] - s[1], s[0]))
        taken: list[tuple[int, int]] = []
        out: dict[str, tuple[float, list[str]]] = {}
        for start, end, kws in spans:
            if any(a <= start and end <= b for a, b in taken):
                continue
            taken.append((start, end))
            for kw in kws:
                if kw.weight <= 0:
                    continue
                total, words = out.get(kw.category, (0.0, []))
                if kw.word not in words:
                    words.append(kw.word)
                    out[kw.category] = (total + kw.weight, words)
        return out


def keywords_check(index: KeywordIndex, category: str, *, hard_at: float | None = None) -> AdCheck:
    """Keywords of one category; ``hard_at`` makes a strong enough match decide alone (porn, gambling…)."""
    name = f"keywords:{category}"

    miss = _miss(name)

    def run(p: Prepared) -> CheckResult:
        found = index.scan(p.compact).get(category)
        if found is None:
            return miss
        score, words = found
        hard = hard_at is not None and score >= hard_at
        return CheckResult(
            name, True, "关键词 " + "、".join(words), category=category, hard=hard, score=score
        )

    return AdCheck(name, run)


def keyword_results(index: KeywordIndex, p: Prepared) -> tuple[CheckResult, ...]:
    """One result per keyword category that matched (one automaton pass), or a single miss named
    "keywords"."""
    found = index.scan(p.compact)
    if not found:
        return _KEYWORDS_MISS
    return tuple(
        CheckResult(
            f"keywords:{category}",
            True,
            "关键词 " + "、".join(words),
            category=category,
            hard=category in REMOVE_AT_ONCE and score >= 1.0,
            score=score,
        )
        for category, (score, words) in found.items()
    )


def contact_lure_check(index: KeywordIndex) -> AdCheck:
    """私聊我 / 看我头像 / 备注来意: asking to be contacted outside the group, without an ID."""
    return keywords_check(index, "contact")
