"""Every text of reconciliation a person reads, in English and Chinese, in one place.

Messages are written once, in English, with ``str.format`` fields; ``ZH`` holds their Chinese.
They move to the message catalog (``contribpolicy.i18n``, issue 12) as they are: the English
text is the msgid, the Chinese its msgstr.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LANGUAGES", "STATUS_WORDS", "say"]

LANGUAGES = ("en", "zh")

#: Status words as the outputs name them (the codes stay the CSV's values).
STATUS_WORDS: Mapping[str, str] = {
    "paid": "已缴足",
    "underpaid": "少缴",
    "overpaid": "多缴",
    "unpaid": "未缴",
    "duplicate": "重复缴费",
    "not_on_roster": "不在清册",
    "deceased": "死亡后缴费",
    "not_eligible": "不符合参保条件",
    "government_via_agent": "政府代缴部分由代办员收取",
}

ZH: Mapping[str, str] = {
    # row messages
    "paid {paid} of {due} due": "应缴{due}，实缴{paid}",
    "paid {paid}, {due} due: refund {refund}": "应缴{due}，实缴{paid}，应退{refund}",
    "nothing paid; {due} due": "应缴{due}，未缴",
    "nothing due: {reason}": "无需缴费：{reason}",
    "{count} payments of one kind (lines {lines}): refund {refund}":
        "同一类缴费{count}笔（第{lines}行），应退{refund}",
    "no one on the roster is {key}": "清册中无此人：{key}",
    "died {date}, before {year}: refund {refund}": "{date}死亡，早于{year}年度，应退{refund}",
    "not eligible ({reason}): refund {refund}": "不符合参保条件（{reason}），应退{refund}",
    "an agent collected {collected} of which the government pays {government}: refund "
    "{refund} to the person; the government pays through the special channel":
        "代办员收取{collected}，其中{government}应由政府代缴：退还本人{refund}，政府部分走特殊渠道缴纳",
    "back payment for {year}": "{year}年度补缴",
    "died {date}, before {year}": "{date}死亡，早于{year}年度",
    # refund recipients
    "person": "本人",
    "heirs": "家属（继承人）",
    "government": "财政（政府代缴）",
    "sponsor": "资助方",
    # summary
    "Reconciliation of {payments} against {roster} under {policy}":
        "{policy}：{payments}与{roster}对账",
    "roster rows: {rows}, not assessed: {bad}": "清册行数：{rows}，无法核定：{bad}",
    "payment rows: {rows}, unreadable: {bad}": "缴费记录行数：{rows}，无法读取：{bad}",
    "status": "状态",
    "rows": "行数",
    "due": "应缴",
    "paid": "实缴",
    "refund": "应退",
    "refunds due": "应退款",
    "to": "退给",
    "village": "村居",
    "channel": "渠道",
    "total": "合计",
    "collected {collected} = dues of those who paid {dues} + overpaid {over} - underpaid "
    "{under} + matching nobody {unmatched} + rows not assessed {held}":
        "实收{collected} = 已缴人员应缴{dues} + 多缴{over} - 少缴{under} + 无法匹配{unmatched}"
        " + 无法核定{held}",
    "balanced": "钱表相符",
    "DOES NOT BALANCE: collected {collected}, the terms add up to {terms} (difference {gap})":
        "钱表不符：实收{collected}，各项合计{terms}（相差{gap}）",
    "Everything balances.": "全部钱表相符。",
    "to act on: {count} rows": "需处理：{count}行",
    "agent": "委托代收",
    "self": "自行缴费",
    "sponsor channel": "资助",
}  # fmt: skip


def say(lang: str, message: str, **fields: object) -> str:
    """``message`` in ``lang`` with its fields filled in."""
    text = ZH.get(message, message) if lang == "zh" else message
    return text.format(**fields) if fields else text
