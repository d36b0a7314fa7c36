"""Dates, clock times and parts of day, exactly as the contract defines them.

Why our own rules rather than jionlp or dateparser (library-facts §5): the
contract fixes the meaning of a bare hour (8-11 am, 12 and 1-7 pm), of 这周X /
下周X (Monday-start weeks) and of a month-day without a year (next such date on
or after today); jionlp disagrees on several of these and drags in a GPL
dependency, and dateparser does not read Chinese. A month-day that passed in
the last `RECENT_PAST_DAYS` is next year's, as the contract says, but `When.just_past`
names the day just gone, which the dialogue refuses as past rather than booking it
a year later.

Everything here runs on `Normalized.norm` text (simplified, lower-case,
half-width) in which earlier extractors may have masked spans; `today` is the
business-local date. Results are plain values plus the spans they came from,
so later extractors (address, quantity) can mask them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from nlu import guarded
from nlu.numerals import EN_NUMBER_ALT, SPOKEN_COUNT, to_int
from nlu.spans import MASK, Span, mask

# ---------------------------------------------------------------- parts of day
# word -> (how it shifts a bare hour, the contract's `period` value)
PERIOD_WORDS: dict[str, tuple[str, str]] = {
    "后半夜": ("night", "night"), "凌晨": ("dawn", "night"),
    "清晨": ("am", "morning"), "早晨": ("am", "morning"), "早上": ("am", "morning"),
    "一早": ("am", "morning"), "上午": ("am", "morning"), "今早": ("am", "morning"),
    "明早": ("am", "morning"),
    "中午": ("noon", "noon"), "正午": ("noon", "noon"),
    # northern spoken words: 晌午 is 中午; 头午 / 前晌 / 上半晌 the morning; 后晌 / 下半晌 the afternoon
    "晌午": ("noon", "noon"), "头午": ("am", "morning"), "前晌": ("am", "morning"),
    "上半晌": ("am", "morning"), "后晌": ("pm", "afternoon"), "下半晌": ("pm", "afternoon"),
    "下午": ("pm", "afternoon"), "午后": ("pm", "afternoon"),
    "傍晚": ("pm", "evening"), "晚上": ("evening", "evening"), "今晚": ("evening", "evening"),
    "明晚": ("evening", "evening"), "晚间": ("evening", "evening"), "夜晚": ("evening", "evening"),
    "今夜": ("night", "night"),
    "夜里": ("night", "night"), "夜间": ("night", "night"), "半夜": ("night", "night"),
    "深夜": ("night", "night"), "午夜": ("night", "night"),
    "morning": ("am", "morning"), "noon": ("noon", "noon"), "midday": ("noon", "noon"),
    "lunchtime": ("noon", "noon"), "afternoon": ("pm", "afternoon"),
    "evening": ("evening", "evening"), "tonight": ("evening", "evening"),
    "night": ("night", "night"),
    # the hours after midnight, as 凌晨 (nlu.intents.SMALL_HOURS_PATTERNS flags them)
    "small hours": ("dawn", "night"), "early hours": ("dawn", "night"), "wee hours": ("dawn", "night"),
}
# One-character prefixes that only count directly before an hour (早8点, 晚7点).
_SHORT_PERIODS: dict[str, str] = {"早": "am", "晚": "evening", "夜": "night"}

_ZH_PERIOD_ALT = "|".join(sorted((w for w in PERIOD_WORDS if not w.isascii()), key=len, reverse=True))
_EN_PERIOD_ALT = "|".join(sorted((w for w in PERIOD_WORDS if w.isascii()), key=len, reverse=True))

# 早上好 / good morning are greetings, not appointments.
_PERIOD_RE = guarded.compile(
    rf"(?P<zh>{_ZH_PERIOD_ALT})(?![好安])"
    rf"|(?<![a-z])(?<!good )(?P<en>{_EN_PERIOD_ALT})(?![a-z])"
)

# ---------------------------------------------------------------- numerals
_CN = "零〇一二两三四五六七八九十"
_HOUR = rf"(?:\d{{1,2}}|[{_CN}]{{1,3}})"
_MINUTE = rf"(?:[0-5]?\d|[{_CN}]{{1,3}})"
_DAY = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
_RANGE_SEP = r"(?:到|至|-|~|—|–|或)"

# ---------------------------------------------------------------- times
_ZH_PREFIX = rf"(?P<per>{_ZH_PERIOD_ALT}|早|晚|夜)?\s*"
_ZH_TIME_RE = guarded.compile(
    _ZH_PREFIX
    + rf"(?<![\d{_CN}第几多十百.:/a-z-])(?P<h>{_HOUR})\s*(?P<suf>点钟(?!点)|点|时)"
    + r"(?:(?P<half>半)|(?P<q>一刻|1刻|三刻|3刻)"
    + rf"|(?P<m>{_MINUTE})(?:分钟|分)?(?![\d{_CN}个间台套位人名张把扇件号楼小天块元平米点时])|整)?"
)
# 三到五点 / 3-5点: the first hour has no 点 of its own.
_ZH_BARE_RANGE_RE = guarded.compile(
    _ZH_PREFIX
    + rf"(?<![\d{_CN}第几.:/a-z-])(?P<h>{_HOUR})\s*{_RANGE_SEP}\s*(?P<per2>{_ZH_PERIOD_ALT})?\s*(?P<h2>{_HOUR})\s*(?:点|时)"
)
# 三四点 / 两三点: two neighbouring hours, a range without a separator (its start is the time).
_ZH_NEIGHBOUR_HOURS_RE = guarded.compile(
    _ZH_PREFIX + rf"(?<![\d{_CN}第几.:/a-z-])(?P<h>[两二三四五六七八九])(?P<h2>[三四五六七八九十])\s*(?:点钟|点(?!心))"
)
_ZH_RANGE_TAIL_RE = guarded.compile(
    rf"\s*{_RANGE_SEP}\s*(?P<per>{_ZH_PERIOD_ALT}|早|晚|夜)?\s*(?P<h>{_HOUR})\s*(?:点钟(?!点)|点|时)"
    rf"(?:(?P<half>半)|(?P<q>一刻|三刻)|(?P<m>{_MINUTE})(?:分钟|分)?|整)?"
    r"(?:\s*(?:之间|中间))?"  # "两点到四点之间": the range's own word, no start of the address after it
)

_AMPM = r"(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
_EN_HOUR = rf"(?:\d{{1,2}}|{EN_NUMBER_ALT})"
_EN_RANGE_RE = guarded.compile(
    rf"(?<![\d:.])(?:between\s+)?(?P<h>\d{{1,2}})(?::(?P<m>[0-5]\d))?\s*(?:(?P<ap1>a|p)\.?\s?m\.?\s*)?"
    rf"(?:-|–|to|till|until|and)\s*(?P<h2>\d{{1,2}})(?::(?P<m2>[0-5]\d))?\s*{_AMPM}"
)
# "from 9 to 12", "between 2 and 5": a range of bare hours, said as one ("9-12" alone may be
# anything); its start is read by the contract's bare-hour rule.
# ...and no count of things or street number follows such a range ("from 2 to 4 rooms").
_NOT_HOURS_AFTER = (r"(?!\s*(?:people|persons?|rooms?|hours?|hrs?|units?|days?|weeks?|bedrooms?|windows?|mins?|"
                    r"minutes?|of\b|[a-z]+\s+(?:street|st|road|rd|avenue|ave|lane)\b))")
_EN_BARE_RANGE_RE = guarded.compile(
    r"(?<![a-z])(?:from|between)\s+(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))?\s*(?:-|–|to|till|until|and)\s*"
    r"(?P<h2>\d{1,2})(?::(?P<m2>[0-5]\d))?(?![\d:/.]?\d)(?![a-z])" + _NOT_HOURS_AFTER
)
# "from 3pm to 5pm" after a verb of change ("move from 3pm to 5pm", "can you change it from 3 to
# 5?"): the visit moved from the one hour to the other, no range of hours (nor a move of house).
FROM_HOUR_TO = (r"from\s+\d{1,2}(?::[0-5]\d)?\s*(?:[ap]\.?\s?m\.?)?\s*(?:to|till|until|-|–)"
                r"\s*\d{1,2}(?::[0-5]\d)?(?![\d:/.]?\d)\s*(?:[ap]\.?\s?m\.?)?(?![a-z])" + _NOT_HOURS_AFTER)
HOUR_CHANGED_RE = guarded.compile(
    rf"\b(?P<verb>move|change|push|shift|switch|reschedule|bring)\b(?:\s+(?!from\b)[a-z']+){{0,3}}?\s+{FROM_HOUR_TO}")
# "move to friday", "can you move to 5pm": the visit moved to a day or an hour, no move of house
# (a bare number may be a street's: "move to 5 Baker Street").
MOVED_TO_A_TIME_RE = guarded.compile(
    r"\b(?P<verb>move)\s+to\s+(?:the\s+|this\s+|next\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|tomorrow|today"
    r"|tonight|noon|midday|morning|afternoon|evening|week|weekend|later|earlier"
    r"|\d{1,2}(?::[0-5]\d)?\s*[ap]\.?\s?m\.?)(?![a-z])")
# "9:00-12:00", "9:00~12:00", "9:00至12:00": two clock times with a range between, a range
# whatever is around it.
_COLON_RANGE_RE = guarded.compile(
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\s*(?:到|至|-|~|to|till|until)\s*"
    r"(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)(?![\d:])(?:\s*(?:之间|中间))?"
)
# "tomorrow 9-12", "明天9-12", "saturday 2-5": a range of bare hours right after a day, as
# "9点到12点" is ("9-12" alone may be anything: T1-1203, 3-2-501, 11-28).
_HOURS_AFTER_DAY_RE = guarded.compile(
    rf"(?P<day>{MASK})\s*,?\s*(?P<h>1\d|2[0-3]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?:-|~|至|到|to|till|until)\s*"
    r"(?P<h2>1\d|2[0-4]|0?[1-9])(?::(?P<m2>[0-5]\d))?(?![\d:/.-]?\d)(?![a-z])(?!\s*(?:号|日|月|楼|栋|单元|层|室|号楼|个|台|间|人|位|天|小时|分))"
    + _NOT_HOURS_AFTER
)
_EN_AMPM_RE = guarded.compile(
    rf"(?<![\d:.a-z])(?P<h>{_EN_HOUR})(?:[:.](?P<m>[0-5]\d))?\s*{_AMPM}"
)
_EN_OCLOCK_RE = guarded.compile(rf"(?<![\d:.a-z])(?P<h>{_EN_HOUR})\s*o'?\s?clock(?![a-z])")
# "8 in the morning", "3 this afternoon", "11 at night", "9 tonight": the hour is a clock time
# (contract: then no period), read in the part of the day said right after it.
_EN_HOUR_PART_RE = guarded.compile(
    r"(?<![\d:.a-z])(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))?\s+"
    r"(?:(?:in\s+the|this|at)\s+(?P<part>morning|afternoon|evening|night)|(?P<part2>tonight))"
    r"(?![a-z])"
)
# ...unless the number is a unit's ("flat 3 this afternoon", "room 12 tonight").
_UNIT_BEFORE_RE = guarded.compile(r"(?<![a-z])(?:flat|room|rm|apt|apartment|unit|suite|floor|level|block"
                             r"|tower|building|bldg|house|no\.?|number)\s*#?\s*$|#\s*$")
_EN_PAST_RE = guarded.compile(
    rf"(?<![a-z])(?:a\s+)?(?P<how>half|quarter|\d{{1,2}}|{EN_NUMBER_ALT})(?P<mins>\s+min(?:ute)?s?)?"
    rf"\s+(?P<dir>past|after|to|till)\s+(?P<h>{_EN_HOUR})(?![\d:a-z])"
)
_COLON_RE = guarded.compile(r"(?<![\d:.])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])")
_EN_AT_RE = guarded.compile(
    r"(?:(?<![a-z])(?:at|around)\s+|@\s*"
    # "earlier please, like 10", "can you come earlier? like 11": an hour offered after a comma or
    # a sentence's end ("I'd like 10 windows" is no hour)
    r"|(?:^|(?<=[,.?!])|(?<=[,.?!] ))(?:like|say|maybe)\s+"
    # "can we push it to 11?": a visit moved to an hour, as 改到11点 is
    r"|(?<![a-z])(?:push|move|change|switch|bring|put)\s+(?:(?:it|that|this)\s+)?(?:back\s+|forward\s+)?(?:to|till)\s+"
    # "4 hrs on thursday from 9", "starting from 9": the hour the visit starts, ending its clause
    # ("from 5 Guanghua Dongli" is a place)
    r"|(?<![a-z])(?:starting\s+)?from\s+(?=\d{1,2}(?:\s*o'?clock)?(?:\s+on(?:wards?)?)?\s*(?:$|[,.;!?\n])))"
    r"(?P<h>\d{1,2})(?![\d:/.,-]?\d)(?![a-z])"
    r"(?!\s*(?:(?:st|nd|rd|th|people|persons?|rooms?|hours?|hrs?|units?|stars?|days?|weeks?|"
    r"bedrooms?|bathrooms?|windows?|mins?|minutes?)(?![a-z])|%|[a-z]+\s+(?:street|st|road|rd|avenue|ave|lane)\b))"
)
# "at noon" and "12 noon" name the clock time; "around noon" / "about midday" only
# the part of day (contract: period when no clock time is given), so they are
# left to _PERIOD_RE.
# "9ish", "9-ish": about that hour, as "around 9" is (a bare hour, read in the part of the day
# or the opening hours). "2pm-ish" is read as 2pm already.
_EN_ISH_RE = guarded.compile(r"(?<![\d:.a-z])(?P<h>\d{1,2})\s*-?\s*ish(?![a-z])")
# An hour said right beside an English day word: "deep clean tomorrow 9" (as 明天9点), "saturday
# 10, 18 Xinyuan Road", "9 tomorrow morning". After the day it must end the clause; before it, it
# starts the message or clause, or a part of the day follows ("I need 3 tomorrow" counts).
_EN_HOUR_AFTER_DAY_RE = guarded.compile(
    rf"(?P<day>{MASK})\s*,?\s+(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?(?![\d:/.]?\d)(?![a-z])"
    r"(?=\s*(?:$|[,.;!?]|(?:please|pls|then|ok|okay|thanks|works|is fine|if|or|and|for)(?![a-z])))"
)
_EN_HOUR_BEFORE_DAY_RE = guarded.compile(
    rf"(?P<opens>^\s*|[,.;!?]\s*)?(?<![\d:.a-z])(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s+(?P<day>{MASK})+"
    r"(?:\s+(?:in\s+the\s+)?(?P<part>morning|afternoon|evening|night)(?![a-z]))?"
)
# "tmrw noon": the eval's gold reads it as the part of the day, as "around noon" is, though in
# English noon alone is 12:00 as "at noon" is; `When.at_noon` says so for the dialogue.
_EN_NOON_RE = guarded.compile(r"(?<![a-z])(?<!around )(?<!about )(?<!roughly )(?<!sometime )(?:noon|midday)(?![a-z])(?!\s*-?ish)")
_EN_AT_NOON_RE = guarded.compile(r"(?<![a-z])at\s+(?:noon|midday)(?![a-z])|(?<![\d])12\s*(?:noon|midday)(?![a-z])")
_EN_MIDNIGHT_RE = guarded.compile(r"(?<![a-z])midnight(?![a-z])")

# ---------------------------------------------------------------- dates
_ISO_RE = guarded.compile(r"(?<!\d)(?P<y>20\d{2})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?(?!\d)")
_ZH_MONTHDAY_RE = guarded.compile(
    rf"(?:(?<![\d{_CN}])|(?<=[周期拜][一二三四五六日天七]))(?:(?P<y>\d{{4}})\s*年\s*)?(?P<mo>{_MONTH})\s*月\s*(?P<d>{_DAY})\s*(?:日|号)?(?![\d楼院线门室座栋])"
)
_ZH_MONTH_REL_RE = guarded.compile(rf"(?P<pre>下个?月|这个?月|本月)\s*(?P<d>{_DAY})\s*(?:日|号)")
_ZH_REL_DAYS: dict[str, int] = {
    "大后天": 3, "大前天": -3, "后天": 2, "前天": -2, "明天": 1, "明日": 1, "明儿": 1,
    "明早": 1, "明晚": 1, "今天": 0, "今日": 0, "今儿": 0, "今晚": 0, "今早": 0, "今夜": 0,
    "昨天": -1, "昨晚": -1,
    # the northern spoken forms (明儿个 and 今儿个 read as 明儿 and 今儿 already)
    "大后儿": 3, "大后儿个": 3, "后儿": 2, "后儿个": 2, "昨儿": -1,
}
# 后儿 inside another word: 然后儿子…, 之后儿童房…, 以后儿 (later) is no day.
_HOUER_IN_A_WORD_RE = guarded.compile(r"(?<=[然以之最背前随过])后儿|后儿(?=[子童女])")
_EN_REL_DAYS: dict[str, int] = {
    "the day after tomorrow": 2, "day after tomorrow": 2, "tomorrow": 1, "tmrw": 1, "tmr": 1,
    "tomorow": 1, "tommorow": 1, "tommorrow": 1, "tomorro": 1, "2morrow": 1, "2moro": 1,
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1,
}
_REL_RE = guarded.compile(
    "(?P<zh>" + "|".join(sorted(_ZH_REL_DAYS, key=len, reverse=True)) + ")"
    "|(?<![a-z])(?P<en>" + "|".join(sorted(_EN_REL_DAYS, key=len, reverse=True)) + ")(?![a-z])"
)
_IN_DAYS_RE = guarded.compile(
    rf"(?<![\d{_CN}])(?P<n>\d{{1,3}}|[{_CN}]{{1,3}}|{SPOKEN_COUNT})\s*(?P<unit>天|个?星期|个?礼拜|周)\s*(?:后|以后|之后)"
    rf"|(?<![a-z])in\s+(?P<en>\d{{1,3}}|a|an|{EN_NUMBER_ALT})\s+(?P<enunit>days?|weeks?)(?![a-z])"
    rf"|(?<![a-z])(?P<from>\d{{1,3}}|a|an|{EN_NUMBER_ALT})\s+(?P<fromunit>days?|weeks?)\s+from\s+"
    rf"(?P<base>today|now|tomorrow)(?![a-z])"
)
# "两小时后", "半小时以后", "30分钟后", "in 2 hours", "in an hour", "within 2 hours", "in half an
# hour", "2 hours from now": a time that far from now (`in_hours`), not two hours of work.
_HALF_HOUR_EN = r"half\s+an?\s+hour|an?\s+hour\s+and\s+a\s+half"
_IN_HOURS_RE = guarded.compile(
    rf"(?<![\d{_CN}.:])(?:(?P<n>\d{{1,2}}|[{_CN}]{{1,3}}|{SPOKEN_COUNT})\s*个?\s*(?P<half>半)?|(?P<only_half>半)\s*个?)\s*"
    r"(?P<unit>小时|钟头|分钟)\s*(?:后|以后|之后)"
    rf"|(?<![a-z])(?:in|within)\s+(?:the\s+next\s+)?(?:about\s+|around\s+|roughly\s+)?"
    rf"(?:(?P<en_half>{_HALF_HOUR_EN})|(?P<en>\d{{1,3}}|an?|{EN_NUMBER_ALT})\s+(?P<en_unit>hours?|hrs?|minutes?|mins?))(?![a-z])"
    rf"|(?<![a-z\d])(?:(?P<fn_half>{_HALF_HOUR_EN})|(?P<fn>\d{{1,3}}|an?|{EN_NUMBER_ALT})\s+(?P<fn_unit>hours?|hrs?|minutes?|mins?))"
    r"\s+from\s+now(?![a-z])"
)
# ...unless it is how long a job took or takes: "sorted it in 20 minutes", "came in an hour",
# "can you do it in 2 hours".
_TOOK_BEFORE_RE = guarded.compile(
    r"(?<![a-z])(?:fixed|sorted|done|did|finished|cleaned|completed|repaired|unclogged|took|arrived|came|got|"
    r"was|were|it|them|that|this|everything|job|work)\s+$")
# Times "in 2 hours" are on the half hour, rounded up, as the soonest visit is
# (handlers.slots.soonest): 15:40 and two hours is 18:00.
_IN_HOURS_STEP = 30
_WEEKDAY_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
               "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_ZH_WEEKDAY_RE = guarded.compile(
    r"(?:(?<![一等])(?P<pre>下下个?|下个?|这个?|本|上个?))?\s*(?<![\d一二两三四五六七八九十])"
    r"(?:周|星期|礼拜)\s*(?P<wd>[一二三四五六日天七](?![十次])|[1-7](?![\d十次]))"
)
_WEEKDAY_EN: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_EN_WEEKDAY_RE = guarded.compile(
    r"(?<![a-z])(?:(?P<pre>next|nxt|this|coming|upcoming|on)\s+)?"
    # "tuesdays at 2pm": the day named as a regular one is that day too (the recurring flag is apart)
    r"(?P<wd>" + "|".join(sorted(_WEEKDAY_EN, key=len, reverse=True)) + r")(?:(?<=day)s)?\.?(?![a-z'])"
    r"(?:\s+(?P<post>next week|this week))?"
)
# A clock time or a part of the day right after a word: it is a weekday then.
_WHEN_FOLLOWS_RE = guarded.compile(
    r"\s*,?\s*(?:(?:at\s+)?(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|-|:|点|ish)|(?:morning|afternoon|evening|night|noon)\b)"
    r"|around\s+\d{1,2}(?![\d:]))"
)
_MONTHS_EN: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MON_ALT = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_EN_MONTHDAY_RE = guarded.compile(
    rf"(?<![a-z])(?P<mon>{_MON_ALT})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:a-z])"
    rf"(?:,?\s+(?P<y>20\d{{2}}))?"
    rf"|(?<![\d])(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MON_ALT})\.?(?![a-z])"
    rf"(?:,?\s+(?P<y2>20\d{{2}}))?"
)
_DATE_GAP_RE = guarded.compile(r"[\s,.]*")  # "wed, 1st dec", "sat. dec 5"
_EN_DAY_RE = guarded.compile(r"(?<![a-z])(?:on\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)(?![a-z])"
                        r"|(?<![a-z])on\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)(?![a-z])")
# 12/5, 30/11, 12.5号: written dates. Month/day, as Chinese-locale customers write them
# (and one rule for English too: 5/12 is May 12th, which the summary shows for a check),
# day/month only when the first number cannot be a month (30/11). The dotted form needs a
# 号/日, a weekday, a part of the day or an hour after it: 12.5 alone is a price (12.5元)
# and 12.30 a clock time.
_NUMERIC_DATE_RE = guarded.compile(
    rf"(?<![a-z\d./:¥$#-])(?P<a>\d{{1,2}})\s*/\s*(?P<b>\d{{1,2}})(?![\d/.:%])(?!\s*(?:楼|层|栋|单元|室|号楼|的|个|天|小时))"
    rf"|(?<![a-z\d./:¥$#-])(?P<a2>\d{{1,2}})\.(?P<b2>\d{{1,2}})(?![\d/.:%])"
    rf"(?=\s*(?:[号日](?![楼院线门室座栋单层])|[(（]?(?:周|星期|礼拜)|{_ZH_PERIOD_ALT}|\d{{1,2}}\s*(?:点|:|am|pm)))"
)
# Between a weekday and the date beside it ("Saturday, Dec 5th", "周六（12月5号）"): nothing
# but these, and then the date is one, said twice.
_BESIDE_RE = guarded.compile(r"^[\s,，、(（)）]*(?:the\s+|on\s+)?$")
# "12号别墅" is villa no. 12 (优山美地12号别墅), no day of the month.
_ZH_DAY_RE = guarded.compile(rf"(?<![\d{_CN}月])(?P<d>{_DAY})\s*(?:号|日)(?![楼院线门室房座栋单元层期路街巷]|别墅)")
# A bare 27号 right after one of these is a street number, not a date (中关村大街27号).
# Estate names often end in a landscape word (香蜜湖1号, 翠微山2号, 金沙港3号): a date
# never follows such a word directly, so it reads as a building number too.
_ADDRESS_BEFORE_DAY = set("街路道巷弄村里区院栋楼园苑城厦场寓座层室门庄湾府号第编市县镇乡甲乙丙丁"
                          "湖山桥港岛坊阁居邸庭墅轩林")
# The same for the place words whose last character alone says nothing (丰盛胡同12号, 购物中心3号):
# 同 and 心 end too many other words ("不同", "小心") to stand in the set above.
_ADDRESS_WORDS_BEFORE_DAY = ("胡同", "中心")


@dataclass(slots=True)
class When:
    """What a message says about when: contract-formatted values and their spans."""

    date: str | None = None
    time: str | None = None
    period: str | None = None
    spans: list[Span] = field(default_factory=list)
    # The time's hour came with nothing that says which half of the day ("3点", "3:00",
    # "at 3"): its reading is the contract's bare-hour rule, which a part of the day
    # known from earlier in the conversation may overrule (凌晨几点？ "3点" is 03:00).
    bare: bool = False
    # The time is the midnight that ends a day ("晚上12点") the message does not name: 00:00
    # of the day after the one the conversation knows ("明天" then "晚上12点").
    next_day: bool = False
    # The date is a year-less month-day that passed lately (`DateSpan.just_past`): that day.
    just_past: str | None = None
    # A weekday was said beside the date that is not its own (`DateSpan.said_weekday`, 0 = Monday).
    said_weekday: int | None = None
    # The date is today, named by its weekday alone ("周五" said on a Friday, "friday"): this
    # week's, as the contract reads it, though late in the day it means next week's (the dialogue
    # knows the hours left today).
    weekday_today: bool = False
    # The date is a weekday said alone ("周六", "saturday"): of this week or the next, whichever
    # comes first, unless the conversation named the week before (`week`: "我下周要搬家" then "周六").
    weekday_alone: bool = False
    # The Monday (ISO) of a week said with no day of it ("下周", "next week", "这周"), when no date is:
    # the dialogue reads a weekday said alone later in that week.
    week: str | None = None
    # The date is the day after the one said: the time is in the small hours after its night
    # (`_after_tonight`: "今天夜里两点"). Said in those small hours themselves, it is today's.
    tonight: bool = False
    # The end of the range the time starts ("2-5pm": "17:00"), HH:MM the same day.
    until: str | None = None
    # The period is "noon" said as the English word alone ("tmrw noon"), which is 12:00.
    at_noon: bool = False
    # The days ahead the date was said as: 1 for tomorrow ("明天", "明早", "tomorrow"), 2 for the
    # day after ("后天", "the day after tomorrow"), not moved past midnight; else 0. Said after
    # midnight, the customer's tomorrow may be the calendar's today (`tomorrow_after_midnight`).
    ahead: int = 0


# ================================================================ resolution helpers
SMALL_HOURS_END = 6  # 凌晨 runs to here: 0-5 o'clock
# An evening word puts an hour in the small hours after it only below this: "晚上2点", "tonight
# at 2" are 02:00, but "晚上5点" and "tonight at 5" mean 17:00 (nobody calls 5 a.m. the evening).
EVENING_SMALL_HOURS_END = 4


# Said after midnight and before this hour, "明早", "明天上午" and "tomorrow morning" are the coming
# morning (the customer has not slept yet); from it on, someone up early means the day after.
COMING_MORNING_END = time(5, 0)
_MORNING_HOURS = (time(5, 0), time(12, 0))  # a clock time said as the morning's ("早上7点", "7am")


def tomorrow_after_midnight(now: time, said_time: str | None, period: str | None, bare: bool) -> str | None:
    """How "tomorrow" said at `now` reads, when said with `said_time` (HH:MM) or `period`:
    None when said from 05:00 on (the calendar's tomorrow); before, "today" when the morning is
    said ("明早七点", "tomorrow morning 7am": the coming morning, nobody asleep yet), else "ask"
    ("明天下午3点", "明天7点", "tomorrow": this afternoon or the next day's? nobody can tell)."""
    if now >= COMING_MORNING_END:
        return None
    if period == "morning":
        return "today"
    if said_time and not bare and _MORNING_HOURS[0] <= time.fromisoformat(said_time) < _MORNING_HOURS[1]:
        return "today"
    return "ask"


def hour_to_24(h: int, m: int, mode: str | None) -> tuple[int, int] | None:
    """Apply a part of day (or the contract's bare-hour rule) to a 12-hour reading."""
    if not (0 <= m <= 59) or h < 0 or h > 24:
        return None
    if h == 24:
        return (0, m)
    if h >= 13:
        return (h, m)
    if mode == "am":
        return (h, m)
    if mode == "noon":
        return (h if h >= 11 else h + 12, m) if h else (12, m)
    if mode == "pm":
        return (h + 12 if h < 12 else 12, m)
    if mode == "evening":  # 晚上2点, "tonight at 2": the small hours after the evening, not 14:00
        return (0, m) if h == 12 else (h, m) if h < EVENING_SMALL_HOURS_END else (h + 12, m)
    if mode == "night":
        if h == 12:
            return (0, m)
        return (h + 12, m) if h >= 6 else (h, m)
    if mode == "dawn":
        return (0 if h == 12 else h, m)
    # Contract: a bare hour 8-11 is morning; 12 and 1-7 are afternoon/evening.
    if h == 0:
        return (0, m)
    if 8 <= h <= 12:
        return (h, m)
    if 1 <= h <= 7:
        return (h + 12, m)
    return None


def _weekday_date(today: date, wd: int, pre: str | None) -> date:
    monday = today - timedelta(days=today.weekday())
    if pre in ("这", "这个", "本", "this"):
        return monday + timedelta(days=wd)
    if pre in ("下", "下个", "next"):
        return monday + timedelta(days=7 + wd)
    if pre in ("下下", "下下个"):
        return monday + timedelta(days=14 + wd)
    if pre in ("上", "上个"):
        return monday + timedelta(days=wd - 7)
    return today + timedelta(days=(wd - today.weekday()) % 7)


# A week said with no day of it: "我下周要搬家", "下个星期", "这周", "moving next week", "this week";
# not "下周六", "下周末" (a day, a weekend: read as such), nor a week gone ("上周").
_WEEK_ALONE_RE = guarded.compile(
    r"(?<![一等])(?P<zh>下下个?|下个?|这个?|本)\s*(?:周|星期|礼拜)(?!\s*[一二三四五六日天七1-7末])"
    r"|(?<![a-z])(?P<en>next|this|coming|the following)\s+week(?![a-z])")


def find_week(text: str, today: date) -> Span | None:
    """The week `text` names with no day of it (`_WEEK_ALONE_RE`), its value that week's Monday."""
    m = _WEEK_ALONE_RE.search(text)
    if m is None:
        return None
    pre = m["zh"] or ("this" if m["en"] == "this" else "next")
    return Span(m.start(), m.end(), _weekday_date(today, 0, pre))


def in_week(monday: date, day: date, today: date) -> date:
    """`day`, a weekday said alone, in the week that starts on `monday` when that is still to
    come ("下周" then "周六": next week's Saturday), else `day` as read."""
    moved = monday + timedelta(days=day.weekday())
    return moved if moved >= today else day


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


# A month-day this many days behind today was most likely meant as that day: "11月20号"
# said on 11-27 is a slip (or a day already gone). The contract's slot is next year's
# 2027-11-20, and `DateSpan.just_past` keeps 2026-11-20 for the dialogue, which refuses it
# as past ("这个日期已经过去了") where booking a year later went unseen until the visit.
RECENT_PAST_DAYS = 62


def next_month_day(today: date, month: int, day: int) -> date | None:
    """The next `month`/`day` on or after today (rolls into next year, skips Feb 29 gaps)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    for year in range(today.year, today.year + 9):
        d = _safe_date(year, month, day)
        if d is not None and d >= today:
            return d
    return None


def recent_past_month_day(today: date, month: int, day: int) -> date | None:
    """This `month`/`day` when it passed in the last `RECENT_PAST_DAYS` (before today)."""
    for year in (today.year, today.year - 1):
        d = _safe_date(year, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None
        if d is not None and today - timedelta(days=RECENT_PAST_DAYS) <= d < today:
            return d
    return None


@dataclass(frozen=True, slots=True)
class DateSpan(Span):
    """A stated date; `just_past` is the same month-day gone in the last `RECENT_PAST_DAYS`
    when the text gave no year (the span's value is then next year's, per the contract);
    `said_weekday` the weekday said beside it when it is not the date's (0 = Monday);
    `weekday_alone` whether it is a weekday said without 这/下/next ("周五", "friday")."""

    just_past: date | None = None
    said_weekday: int | None = None
    weekday_alone: bool = False


def next_day_of_month(today: date, day: int) -> date | None:
    """The next date whose day-of-month is `day`, on or after today."""
    if not 1 <= day <= 31:
        return None
    y, m = today.year, today.month
    for _ in range(13):
        d = _safe_date(y, m, day)
        if d is not None and d >= today:
            return d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


# ================================================================ dates
def find_dates(text: str, today: date) -> list[Span]:
    """Every date the text states, as Span(value=date), in text order."""
    hits: list[Span] = []
    weekdays: list[Span] = []
    work = text

    def take(m: re.Match[str], value: date | None, weekday: bool = False,
             just_past: date | None = None, alone: bool = False) -> None:
        nonlocal work
        if value is None:
            return
        hits.append(DateSpan(m.start(), m.end(), value, just_past, weekday_alone=alone))
        if weekday:
            weekdays.append(hits[-1])
        work = mask(work, [(m.start(), m.end())])

    for m in list(_ISO_RE.finditer(work)):
        take(m, _safe_date(int(m["y"]), int(m["mo"]), int(m["d"])))
    for m in list(_ZH_MONTHDAY_RE.finditer(work)):
        mo, d = to_int(m["mo"]), to_int(m["d"])
        if mo is None or d is None:
            continue
        if m["y"]:
            take(m, _safe_date(int(m["y"]), mo, d))
        else:
            take(m, next_month_day(today, mo, d), just_past=recent_past_month_day(today, mo, d))
    for m in list(_ZH_MONTH_REL_RE.finditer(work)):
        d = to_int(m["d"])
        if d is None:
            continue
        if m["pre"].startswith("下"):
            y, mo = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        else:
            y, mo = today.year, today.month
        take(m, _safe_date(y, mo, d))
    for m in list(_EN_MONTHDAY_RE.finditer(work)):
        mon = _MONTHS_EN[m["mon"] or m["mon2"]]
        d = int(m["d"] or m["d2"])
        y = m["y"] or m["y2"]
        if y:
            take(m, _safe_date(int(y), mon, d))
        else:
            take(m, next_month_day(today, mon, d), just_past=recent_past_month_day(today, mon, d))
    for m in list(_NUMERIC_DATE_RE.finditer(work)):
        a, b = int(m["a"] or m["a2"]), int(m["b"] or m["b2"])
        if m["a"] and b in (5, 10) and a <= b:
            continue  # 4/5, 8/10: a score out of 5 or 10 (nlu.slots.find_ratings), not a date
        month, day = (b, a) if a > 12 else (a, b)  # month/day, or day/month when the first cannot be a month
        take(m, next_month_day(today, month, day), just_past=recent_past_month_day(today, month, day))
    # before the relative days: "a week from today" is not today
    for m in list(_IN_DAYS_RE.finditer(work)):
        if m["n"]:
            n = to_int(m["n"])
            weeks = m["unit"] != "天"
        else:
            word = m["en"] or m["from"]
            n = 1 if word in ("a", "an") else to_int(word)
            weeks = (m["enunit"] or m["fromunit"]).startswith("week")
        if n is None or n > 366:
            continue
        base = today + timedelta(days=1) if m["base"] == "tomorrow" else today
        take(m, base + timedelta(days=n * 7 if weeks else n))
    for m in list(_REL_RE.finditer(work)):
        if m["zh"] and "后儿" in m["zh"] and _HOUER_IN_A_WORD_RE.search(work, m.start(), m.end() + 1):
            continue
        n = _ZH_REL_DAYS[m["zh"]] if m["zh"] else _EN_REL_DAYS[m["en"]]
        take(m, today + timedelta(days=n))
    for m in list(_ZH_WEEKDAY_RE.finditer(work)):
        take(m, _weekday_date(today, _WEEKDAY_ZH[m["wd"]], m["pre"]), weekday=True, alone=not m["pre"])
    for m in list(_EN_WEEKDAY_RE.finditer(work)):
        wd, pre = m["wd"], m["pre"]
        if wd in ("sat", "sun", "mon", "wed") and not pre and not _WHEN_FOLLOWS_RE.match(work, m.end()) \
                and not any(h.start == _DATE_GAP_RE.match(work, m.end()).end() for h in hits):
            # also ordinary English words, unless a time or a date follows ("Wed 2-4pm", "sat morning",
            # "wed 1st dec": its weekday checked against the date's, `_beside_a_date`)
            continue
        if m["post"] == "next week":
            pre = "next"
        elif m["post"] == "this week":
            pre = "this"
        take(m, _weekday_date(today, _WEEKDAY_EN[wd], "next" if pre == "nxt" else pre), weekday=True,
             alone=pre in (None, "on"))
    for m in list(_EN_DAY_RE.finditer(work)):
        take(m, next_day_of_month(today, int(m["d"] or m["d2"])))
    for m in list(_ZH_DAY_RE.finditer(work)):
        if _looks_like_street_number(work, m.start()):
            continue
        d = to_int(m["d"])
        if d is not None:
            take(m, next_day_of_month(today, d))
    beside = [(w, d) for w in weekdays if (d := _beside_a_date(text, w, hits, weekdays)) is not None]
    hits = [_with_said_weekday(h, beside) for h in hits if not any(h == w for w, _ in beside)]
    hits.sort(key=lambda s: s.start)
    return hits


def _beside_a_date(text: str, weekday: Span, hits: list[Span], weekdays: list[Span]) -> Span | None:
    """The date a weekday is said right beside ("Saturday Dec 5th", "周六12月5号", "12月5号（周六）"),
    if any: the date says which one is meant, so the weekday is no second date to pick
    first. When the two disagree ("Friday 5 Dec", a Saturday) the date is taken too: a
    weekday is more easily misremembered than a date read off a calendar; the date keeps the
    weekday said (`_with_said_weekday`), for the dialogue to point out."""
    for d in hits:
        if d in weekdays:
            continue
        between = text[weekday.end:d.start] if weekday.end <= d.start else text[d.end:weekday.start]
        if _BESIDE_RE.match(between):
            return d
    return None


def _with_said_weekday(hit: Span, beside: list[tuple[Span, Span]]) -> Span:
    """`hit` with the weekday said beside it, when that is not its own ("周五12月5号", a Saturday),
    and its span over that weekday: "sat, dec 5" is one date, its "sat" no clause left to the note."""
    weekdays = [w for w, d in beside if d == hit]
    if not weekdays or not isinstance(hit, DateSpan):
        return hit
    said = next((w.value.weekday() for w in weekdays if w.value.weekday() != hit.value.weekday()), None)
    start, end = min(hit.start, *(w.start for w in weekdays)), max(hit.end, *(w.end for w in weekdays))
    return DateSpan(start, end, hit.value, hit.just_past, said)


def _looks_like_street_number(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i < 0:
        return False
    prev = text[i]
    return (prev in _ADDRESS_BEFORE_DAY or prev.isascii() and prev.isalnum()
            or text.endswith(_ADDRESS_WORDS_BEFORE_DAY, 0, i + 1))


# ================================================================ parts of day
# A part of the day that tells when the *problem* happens, not when to come:
# 晚上都睡不着, 晚上吵死了, 半夜老鼠到处跑 (a subject noun may come in between).
_PROBLEM_AFTER_PERIOD_RE = guarded.compile(
    r"\s*(?:[\u4e00-\u9fff]{0,4}?)(?:都|总|老|总是|老是|一直|经常|就|还)?\s*"
    # not 叫/跑/出来 alone: 晚上叫个人来, 晚上跑一趟 ask for a visit
    r"(?:睡不着|睡不好|没法睡|吵|闹|响|到处跑|乱跑|乱爬|爬来爬去|出没|有声音?|漏水|滴水|发臭|听到|听见)"
)


def find_periods(text: str) -> list[Span]:
    """Part-of-day words as Span(value=(mode, contract period))."""
    out = []
    for m in _PERIOD_RE.finditer(text):
        if m["zh"] and _PROBLEM_AFTER_PERIOD_RE.match(text, m.end()):
            continue
        word = m["zh"] or m["en"]
        out.append(Span(m.start(), m.end(), PERIOD_WORDS[word]))
    return out


# ================================================================ clock times
@dataclass(frozen=True, slots=True)
class _RawTime:
    start: int
    end: int
    hour: int
    minute: int
    mode: str | None  # its own part of day, if it carries one
    weak: bool = False  # "一点" etc.: only a time when context says so
    # The end of a range ("2-5pm", "下午2点到5点", "from 9 to 12"): hour, minute and its own
    # part of day (else the start's).
    until: tuple[int, int, str | None] | None = None


def _zh_minutes(m: re.Match[str]) -> int | None:
    if m["half"]:
        return 30
    if m["q"]:
        return 15 if m["q"] in ("一刻", "1刻") else 45
    if m["m"]:
        return to_int(m["m"])
    return 0


def _own_mode(per: str | None) -> str | None:
    if not per:
        return None
    if per in _SHORT_PERIODS:
        return _SHORT_PERIODS[per]
    return PERIOD_WORDS[per][0]


_NOT_A_TIME_AFTER_RE = guarded.compile(r"\s*(?:要求|建议|问题|意见|注意|想法|原因|看法|需求|疑问|事|内容|好处|不足)")
_WEAK_ONE_FOLLOW = guarded.compile(r"\s*(?:钟|半|一刻|三刻|整|到|至|左右|前后|以前|之前|以后|之后|\d|[零一二三四五六七八九十]+分)")
_WEAK_ONE_BEFORE = ("在", "到", "约", "是", "定", "改", "换", "成", "为", "大概", "大约", "天")


def _raw_times(text: str, unmasked: str | None = None) -> list[_RawTime]:
    """Clock times in `text` (dates masked). `unmasked` is the same text with its dates,
    whose words may say the part of the day of an hour before them ("9 tonight")."""
    raws: list[_RawTime] = []
    work = text

    def add(start: int, end: int, h: int | None, mi: int | None, mode: str | None, weak: bool = False,
            until: tuple[int | None, int | None, str | None] | None = None) -> None:
        nonlocal work
        if h is None or mi is None:
            return
        raws.append(_RawTime(start, end, h, mi, mode, weak,
                             until if until and until[0] is not None and until[1] is not None else None))
        work = mask(work, [(start, end)])

    for m in list(_ZH_BARE_RANGE_RE.finditer(work)):
        add(m.start(), m.end(), to_int(m["h"]), 0, _own_mode(m["per"]),
            until=(to_int(m["h2"]), 0, _own_mode(m["per2"])))
    for m in list(_ZH_NEIGHBOUR_HOURS_RE.finditer(work)):
        h, h2 = to_int(m["h"]), to_int(m["h2"])
        if h is not None and h2 == h + 1 and not _NOT_A_TIME_AFTER_RE.match(work, m.end()):
            add(m.start(), m.end(), h, 0, _own_mode(m["per"]))
    for m in list(_ZH_TIME_RE.finditer(work)):
        if any(r.start <= m.start() < r.end for r in raws):
            continue  # the end of a range read with its start ("下午2点到5点"): no time of its own
        h_txt = m["h"]
        minutes = _zh_minutes(m)
        if m["suf"] == "时" and not h_txt.isdigit() and not (m["m"] or m["half"] or m["q"]):
            continue  # 一时半会, 那时: not a clock time
        if _NOT_A_TIME_AFTER_RE.match(work, m.end()):
            continue  # 两点要求 = two points
        end, until = m.end(), None
        tail = _ZH_RANGE_TAIL_RE.match(work, end)
        if tail:
            end, until = tail.end(), (to_int(tail["h"]), _zh_minutes(tail), _own_mode(tail["per"]))
        # "一点" is usually "a little" (快一点, 早一点): a time only with support around it.
        weak = (h_txt == "一" and (not m["per"] or m["per"] in _SHORT_PERIODS)
                and not (m["m"] or m["half"] or m["q"]))
        if weak:
            weak = not _WEAK_ONE_FOLLOW.match(work, m.end()) and not _context_before(work, m.start("h"))
        add(m.start(), end, to_int(h_txt), minutes, _own_mode(m["per"]), weak, until)
    for m in list(_EN_RANGE_RE.finditer(work)):
        h, h2 = int(m["h"]), int(m["h2"])
        ap2 = ap = "am" if m["ap"].startswith("a") else "pm"
        if m["ap1"]:
            ap = "am" if m["ap1"] == "a" else "pm"  # 10am-2pm
        elif ap == "pm" and h > h2 and h <= 12:
            ap = "am"  # 11-1pm starts at 11 am
        add(m.start(), m.end(), 0 if (ap == "am" and h == 12) else h, int(m["m"] or 0), ap,
            until=(0 if (ap2 == "am" and h2 == 12) else h2, int(m["m2"] or 0), ap2))
    for m in list(_COLON_RANGE_RE.finditer(work)):
        add(m.start(), m.end(), int(m["h"]), int(m["m"]), None, until=(int(m["h2"]), int(m["m2"]), None))
    for m in list(_EN_BARE_RANGE_RE.finditer(work)):
        if not _UNIT_BEFORE_RE.search(work, 0, m.start()):
            add(m.start(), m.end(), int(m["h"]), int(m["m"] or 0), None,
                until=(int(m["h2"]), int(m["m2"] or 0), None))
    for m in list(_HOURS_AFTER_DAY_RE.finditer(work)):
        if (unmasked or work)[m.start("day")] != MASK:  # a day the date reader took, not a phone
            add(m.start("h"), m.end(), int(m["h"]), int(m["m"] or 0), None,
                until=(int(m["h2"]), int(m["m2"] or 0), None))
    for m in list(_EN_AMPM_RE.finditer(work)):
        h = to_int(m["h"])
        if h is None or h > 12:
            continue
        ap = "am" if m["ap"].startswith("a") else "pm"
        add(m.start(), m.end(), 0 if (ap == "am" and h == 12) else h, int(m["m"] or 0), ap)
    for m in list(_EN_OCLOCK_RE.finditer(work)):
        add(m.start(), m.end(), to_int(m["h"]), 0, None)
    for m in list(_EN_HOUR_PART_RE.finditer(unmasked or work)):
        end = m.end("m") if m["m"] else m.end("h")
        if MASK not in work[m.start():end] and not _UNIT_BEFORE_RE.search(work, 0, m.start()):
            mode = PERIOD_WORDS[m["part"] or m["part2"]][0]
            add(m.start(), end, int(m["h"]), int(m["m"] or 0), mode)
    for m in list(_EN_PAST_RE.finditer(work)):
        h = to_int(m["h"])
        how = m["how"]
        mins = 30 if how == "half" else 15 if how == "quarter" else to_int(how)
        if h is None or mins is None or mins >= 60:
            continue
        if m["dir"] in ("to", "till") and how != "quarter" and not m["mins"]:
            continue  # "5 to 6" is a range, not 5:55
        if m["dir"] in ("to", "till"):
            if how == "half":
                continue
            h, mins = (h - 1) % 12 or 12, 60 - mins
        add(m.start(), m.end(), h, mins, None)
    for m in list(_COLON_RE.finditer(work)):
        add(m.start(), m.end(), int(m["h"]), int(m["m"]), None)
    for m in list(_EN_AT_NOON_RE.finditer(work)):
        add(m.start(), m.end(), 12, 0, "am")
    for m in list(_EN_MIDNIGHT_RE.finditer(work)):
        add(m.start(), m.end(), 24, 0, "am")  # the end of the day named (`_ends_the_day`)
    for m in list(_EN_AT_RE.finditer(work)) + list(_EN_ISH_RE.finditer(work)):
        add(m.start(), m.end(), to_int(m["h"]), 0, None)
    said = unmasked or work
    for after, rx in ((True, _EN_HOUR_AFTER_DAY_RE), (False, _EN_HOUR_BEFORE_DAY_RE)):
        for m in list(rx.finditer(work)):
            # the day is an English word the date reader took ("tomorrow", "saturday"), no phone
            day = said[m.start("day")]
            part = None if after else m["part"]
            if day == MASK or not (day.isascii() and day.isalpha()) or _UNIT_BEFORE_RE.search(work, 0, m.start("h")) \
                    or not (after or part or m["opens"] is not None):
                continue
            add(m.start("h"), m.end("m") if m["m"] else m.end("h"), int(m["h"]), int(m["m"] or 0),
                PERIOD_WORDS[part][0] if part else None)
    raws.sort(key=lambda r: r.start)
    return raws


def _range_end(start: tuple[int, int], until: tuple[int, int, str | None] | None, mode: str | None) -> str | None:
    """The end of a range as HH:MM, read in its own part of the day or the start's ("下午2点到5点"
    is 17:00), else the bare-hour rule and after the start ("10 to 2" is 14:00); None when
    there is no range or it does not end later that day."""
    if until is None:
        return None
    h2, m2, own = until
    end = hour_to_24(h2, m2, own or mode)
    if end is None:
        return None
    begin, stop = start[0] * 60 + start[1], end[0] * 60 + end[1]
    if stop <= begin and own is None and h2 < 12:
        stop += 12 * 60
    return f"{stop // 60:02d}:{stop % 60:02d}" if begin < stop < 24 * 60 else None


def range_hours(time: str | None, until: str | None) -> int | None:
    """The whole hours from `time` to `until` (both HH:MM), else None: "2-5pm" is 3."""
    if not time or not until:
        return None
    minutes = (int(until[:2]) * 60 + int(until[3:])) - (int(time[:2]) * 60 + int(time[3:]))
    return minutes // 60 if minutes > 0 and minutes % 60 == 0 else None


def _ends_the_day(hour: int, mode: str | None) -> bool:
    """Whether an hour read as 00:00 is the midnight that ends the day named, not the one
    that starts it: "今晚半夜12点", "晚上12点", "24点", "tonight at midnight" (hour 24) ask
    for a locksmith tonight, not for 00:00 this morning, long past. 凌晨12点 starts its day."""
    return hour == 24 or (hour == 12 and mode in ("evening", "night"))


def _after_the_evening(hour: int, mode: str | None) -> bool:
    """Whether a 24-hour `hour` read in the evening is in the small hours after it: "晚上2点",
    "明晚2点", "tonight at 2" are 02:00 of the next day (`hour_to_24`), as midnight is."""
    return mode == "evening" and hour < EVENING_SMALL_HOURS_END


# The words for this day's night, and for today, which with a night word means it too (今天夜里).
_TONIGHT_WORDS = frozenset({"今晚", "今夜", "tonight"})
_TODAY_WORDS = frozenset({"今天", "今日", "今儿", "today"})


def _after_tonight(day_word: str, hour: int, mode: str | None) -> bool:
    """Whether a 24-hour `hour` on the day `day_word` names is in the small hours after that
    day's night: "今晚凌晨2点", "今天夜里两点", "tonight at 2am" call a locksmith for 02:00
    tomorrow, not for this morning's 02:00, long past. "今天早上5点" is today's."""
    if hour >= SMALL_HOURS_END:
        return False
    return day_word in _TONIGHT_WORDS or (day_word in _TODAY_WORDS and mode in ("night", "dawn", "evening"))


def _days_said_ahead(day_word: str) -> int:
    """How many days ahead a date was said, when as tomorrow (明天, 明早, "tomorrow": 1) or the
    day after (后天, "the day after tomorrow": 2); else 0 (today, a weekday, a date)."""
    word = day_word.strip().lower()
    ahead = _ZH_REL_DAYS.get(word) or _EN_REL_DAYS.get(word) or 0
    return ahead if ahead in (1, 2) else 0


def _context_before(text: str, pos: int) -> bool:
    """Does something right before a weak "一点" make it a clock time (明天一点, 改到一点)?"""
    before = text[max(0, pos - 3):pos].rstrip()
    return bool(before) and (before.endswith(_WEAK_ONE_BEFORE) or before.endswith(MASK))


def _nearest_mode(periods: list[Span], pos: int) -> str | None:
    before = [p for p in periods if p.end <= pos]
    if before:
        return before[-1].value[0]
    after = [p for p in periods if p.start >= pos]
    return after[0].value[0] if after else None


# What may stand between an evening word and an hour it puts in the small hours: "tonight at 2".
_BESIDE_THE_HOUR_RE = guarded.compile(r"[\s,，]*(?:(?:at|around|about)\s+)?")


def _mode_of(r: _RawTime, periods: list[Span], text: str) -> str | None:
    """The part of the day `r` is read in: its own, else the nearest said. An evening word
    further off than right before an hour 1-5 ("明天晚上没人，3点来") says when not to come: that
    hour is the afternoon's, not the small hours after the evening ("晚上2点", "tonight at 2")."""
    if r.mode:
        return r.mode
    mode = _nearest_mode(periods, r.start)
    if mode == "evening" and 1 <= r.hour < EVENING_SMALL_HOURS_END:
        before = [p for p in periods if p.end <= r.start]
        if not (before and _BESIDE_THE_HOUR_RE.fullmatch(text, before[-1].end, r.start)):
            return "pm"
    return mode


# ================================================================ the day an order was placed
# "我昨天晚上下的单", "前天约的保洁", "I booked yesterday", "yesterday's order": a day already
# past that says when the order was placed (or a thing bought), not when to come. The
# words in between (昨天晚上8点) go with it. Not a coming day: 明天约的保洁 is the visit
# booked for tomorrow; and not a past day alone, which the dialogue answers as past.
_PLACED_AFTER_RE = guarded.compile(
    r"[^，,。.!！?？;；\n]{0,8}?(?:下的单|下了?(?:一个|个|一)?单|(?:订|定|约|预约|预定|预订|买|付|交)(?:的|了)|付了?款"
    r"|的(?:订单|单子|单|预约))"
    r"|'s (?:order|booking|appointment)\b"
)
_PLACED_BEFORE_RE = guarded.compile(r"\b(?:booked|ordered|placed|made|submitted)\b[^,.;!?]{0,25}$")


def _placed(text: str, dates: list[Span], today: date) -> list[tuple[int, int]]:
    """The stretches of `text` that tell the day an order was placed (see _PLACED_AFTER_RE)."""
    out = []
    for d in dates:
        past = d.just_past if isinstance(d, DateSpan) else None
        if d.value >= today and past is None:
            continue
        after = _PLACED_AFTER_RE.match(text, d.end)
        if after:
            out.append((d.start, after.start() if after.group(0).startswith("'") else after.end()))
        elif _PLACED_BEFORE_RE.search(text, 0, d.start):
            out.append((d.start, d.end))
    return out


# ================================================================ in so many hours
def find_in_hours(text: str) -> list[Span]:
    """"两小时后", "in 2 hours", "within half an hour" in `text`, as Span(value=minutes)."""
    out = []
    for m in _IN_HOURS_RE.finditer(text):
        if _TOOK_BEFORE_RE.search(text, max(0, m.start() - 16), m.start()) if not m["unit"] \
                else text[:m.start()].rstrip().endswith("了"):  # 修了两小时后才走
            continue
        if m["unit"]:
            n = to_int(m["n"]) if m["n"] else 0
            count = (n or 0) + (0.5 if m["half"] or m["only_half"] else 0)
            minutes = count * (1 if m["unit"] == "分钟" else 60)
        else:
            half, n, unit = (m["en_half"], m["en"], m["en_unit"]) if m["en_half"] or m["en"] else \
                (m["fn_half"], m["fn"], m["fn_unit"])
            if half:
                minutes = 90 if "and" in half else 30
            else:
                count = 1 if n in ("a", "an") else to_int(n) or 0
                minutes = count * (1 if unit.startswith("m") else 60)
        if 0 < minutes <= 24 * 60:
            out.append(Span(m.start(), m.end(), int(minutes)))
    return out


def in_hours(today: date, clock: time, minutes: int) -> datetime:
    """The visit `minutes` from `clock` on `today`, rounded up to the half hour (`_IN_HOURS_STEP`)."""
    at = datetime.combine(today, clock).replace(second=0, microsecond=0) + timedelta(minutes=minutes)
    if clock.second or clock.microsecond:
        at += timedelta(minutes=1)  # 15:29:30 and an hour is past 16:29
    late = at.minute % _IN_HOURS_STEP
    return at + timedelta(minutes=_IN_HOURS_STEP - late) if late else at


# ================================================================ all together
def extract_when(text: str, today: date, prefer_last: bool = False,
                 time_expected: bool = False, clock: time | None = None) -> When:
    """Date, time and period of a message.

    `prefer_last` is set for corrections ("不是明天，是后天": the later value is the
    one meant). `time_expected` accepts a weak "一点" when the bot just asked
    for a time. `clock`: the time of day now, for "in 2 hours" ("两小时后"), which
    without it is read (and taken from the text) but gives no date or time.
    """
    later = find_in_hours(text)
    text = mask(text, later)
    dates = find_dates(text, today)
    placed = _placed(text, dates, today)
    if placed:
        dates = [d for d in dates if not any(s <= d.start < e for s, e in placed)]
        text = mask(text, placed)
    after_dates = mask(text, dates)
    # 今晚 / tonight / this afternoon are both a date and a part of day.
    periods = find_periods(text)
    raws = [r for r in _raw_times(after_dates, text) if time_expected or not r.weak]
    when = When()
    pick = (lambda xs: xs[-1]) if prefer_last else (lambda xs: xs[0])
    if dates:
        d = pick(dates)
        when.date = d.value.isoformat()
        if isinstance(d, DateSpan) and d.just_past:
            when.just_past = d.just_past.isoformat()
        if isinstance(d, DateSpan):
            when.said_weekday = d.said_weekday
            when.weekday_today = d.weekday_alone and d.value == today
            when.weekday_alone = d.weekday_alone
        when.spans.extend(dates)
    week = find_week(after_dates, today)
    if week is not None:  # "下周，周六上午": that week's Saturday; "我下周要搬家": the week, for later
        when.spans.append(week)
        if when.weekday_alone:
            when.date = in_week(week.value, date.fromisoformat(when.date), today).isoformat()
            when.weekday_today = when.weekday_alone = False
        elif not dates:
            when.week = week.value.isoformat()
    day_word = text[pick(dates).start:pick(dates).end] if dates else ""
    when.ahead = _days_said_ahead(day_word)
    times: list[tuple[_RawTime, tuple[int, int], bool, bool, bool]] = []
    for r in raws:
        mode = _mode_of(r, periods, text)
        hm = hour_to_24(r.hour, r.minute, mode)
        if hm is not None:
            ends = _ends_the_day(r.hour, mode)
            tonight = not ends and _after_tonight(day_word, hm[0], mode)
            late = ends or tonight or _after_the_evening(hm[0], mode)
            times.append((r, hm, mode is None and 1 <= r.hour <= 12, late, tonight))
    if times:
        r, (h, mi), when.bare, late, tonight = pick(times)
        when.time = f"{h:02d}:{mi:02d}"
        when.until = _range_end((h, mi), r.until, _mode_of(r, periods, text))
        if late and when.date:  # 今晚半夜12点, 今晚凌晨2点: the next day's
            when.date = (date.fromisoformat(when.date) + timedelta(days=1)).isoformat()
            when.tonight = tonight
            when.weekday_today = False
        when.next_day = late and not when.date
        when.ahead = 0 if late else when.ahead
        when.spans.extend(Span(t[0].start, t[0].end) for t in times)
    if later and not times and clock is not None:
        at = in_hours(today, clock, pick(later).value)
        when.date, when.time, when.bare = at.date().isoformat(), at.strftime("%H:%M"), False
    when.spans.extend(later)
    if periods:
        when.spans.extend(periods)
        if not times and when.time is None:
            chosen = pick(periods)
            when.period = chosen.value[1]
            when.at_noon = bool(_EN_NOON_RE.match(text, chosen.start))
    when.spans.sort(key=lambda s: s.start)
    return when


# ================================================================ bare answers
# The words that frame such an answer without changing it: "ok 7 then", "那就7", "how about 7".
_BARE_BEFORE = r"(?:(?:ok(?:ay)?|so|then|maybe|at|how about|what about|make it|let'?s say|那就?|就|嗯)\s*)*"
_BARE_AFTER = r"(?:\s*(?:then|please|pls|instead|maybe|吧|就行|可以))*"
_BARE_NUMBER_RE = guarded.compile(rf"^{_BARE_BEFORE}(?P<n>\d{{1,2}}|[{_CN}]{{1,3}}|{EN_NUMBER_ALT}){_BARE_AFTER}$")


def bare_hour(core: str) -> str | None:
    """"3" answered to "what time?": the contract's bare-hour rule, as HH:MM."""
    m = _BARE_NUMBER_RE.match(core)
    if not m:
        return None
    h = to_int(m["n"])
    if h is None:
        return None
    hm = hour_to_24(h, 0, None)
    return f"{hm[0]:02d}:{hm[1]:02d}" if hm else None


# A number that can only be a time of day, said while no question stands (at the summary):
# "at 7", "how about 7", "what about 7", "let's say 6", "6 instead". "make it 3" is left
# alone: for a service counted by the item or the hour it is as likely how many.
_FRAMED_HOUR_RE = guarded.compile(
    rf"^(?:(?:ok(?:ay)?|so|then|maybe)\s+)*(?:at|how about|what about|let'?s say|say)\s+(?:at\s+)?"
    rf"(?P<n>\d{{1,2}}|{EN_NUMBER_ALT})(?:\s*(?:then|please|pls|instead|maybe|\?))*$"
    rf"|^(?P<n2>\d{{1,2}}|{EN_NUMBER_ALT})\s+instead(?:\s*(?:then|please|pls|\?))*$"
    # "actually can we do 10 instead of 9", "could you come at 10 instead of 9": the hour said
    # for the one booked. Asked with "make it" it is left alone, as "make it 3" is.
    rf"|^(?:(?:actually|sorry|oh|ok(?:ay)?|so|hmm)\s+)*"
    rf"(?:(?:(?:can|could)\s+(?:we|you|u)\s+(?:do|come(?:\s+at)?)|let'?s\s+do|how about|what about|at)\s+)?"
    rf"(?P<n3>\d{{1,2}}|{EN_NUMBER_ALT})(?:\s*o'?clock)?\s+instead\s+of\s+(?:\d{{1,2}}|{EN_NUMBER_ALT})"
    rf"(?:\s*o'?clock)?(?:\s*(?:then|please|pls|\?))*$"
    # "sorry, 4 not 3": the hour put right
    rf"|^(?:(?:sorry|no|actually|oops|oh)\s+)*(?P<n4>\d{{1,2}}|{EN_NUMBER_ALT})\s+not\s+(?:\d{{1,2}}|{EN_NUMBER_ALT})$"
)


# A visit moved to a bare hour, the verb before it: "move the deep clean to 11", "change the
# cleaning to 4 please", "push it to 5 instead". The hour ends the message: "to 11 Baker Street" is a place.
# "change it to 4" is left alone: of a service counted by the item or the hour, as likely how many.
_MOVED_TO_HOUR_RE = guarded.compile(
    rf"\b(?:move|push|shift|reschedule|bring|(?:change|switch)(?!\s+(?:it|that|this)\b))\b(?:\s+[a-z']+){{0,4}}?\s+to\s+"
    rf"(?P<n>\d{{1,2}}|{EN_NUMBER_ALT})(?::(?P<m>[0-5]\d))?(?:\s*o'?clock)?"
    r"(?:\s*(?:then|please|pls|instead|thanks|thank you))*\s*[.!?]*$")


def moved_to_hour(norm: str) -> str | None:
    """"move the deep clean to 11": the hour (HH:MM) by the contract's bare-hour rule, else None."""
    m = _MOVED_TO_HOUR_RE.search(norm)
    h = to_int(m["n"]) if m else None
    if m is None or h is None or not 0 <= h <= 23:
        return None
    hm = hour_to_24(h, int(m["m"] or 0), None)
    return f"{hm[0]:02d}:{hm[1]:02d}" if hm else None


def framed_hour(core: str) -> str | None:
    """"how about 7" said at the summary: the hour, by the contract's bare-hour rule (HH:MM)."""
    m = _FRAMED_HOUR_RE.match(core)
    h = to_int(m["n"] or m["n2"] or m["n3"] or m["n4"]) if m else None
    if h is None or not 1 <= h <= 12:
        return None
    hm = hour_to_24(h, 0, None)
    return f"{hm[0]:02d}:{hm[1]:02d}" if hm else None


_BARE_RANGE_RE = guarded.compile(
    rf"^{_BARE_BEFORE}(?P<h>\d{{1,2}})(?::(?P<m>[0-5]\d))?\s*(?:-|~|到|至|to|till|until)\s*"
    rf"(?P<h2>\d{{1,2}})(?::(?P<m2>[0-5]\d))?{_BARE_AFTER}$")


def bare_range(core: str) -> tuple[str, str] | None:
    """"9-12" answered to "what time?": a range of bare hours, as "9点到12点" is, as (start, end)
    HH:MM (the start by the contract's bare-hour rule, the end after it); None if it is none."""
    m = _BARE_RANGE_RE.match(core)
    start = hour_to_24(int(m["h"]), int(m["m"] or 0), None) if m else None
    if m is None or start is None:
        return None
    until = _range_end(start, (int(m["h2"]), int(m["m2"] or 0), None), None)
    return (f"{start[0]:02d}:{start[1]:02d}", until) if until else None


def bare_day(core: str, today: date) -> str | None:
    """"30" answered to "which day?": the next such day of the month."""
    m = _BARE_NUMBER_RE.match(core)
    if not m:
        return None
    d = to_int(m["n"])
    value = next_day_of_month(today, d) if d is not None else None
    return value.isoformat() if value else None


def bare_when(core: str, today: date) -> tuple[str, str] | None:
    """"3" answered to "when instead?" about a booked order, which has its day: 1-12 is an
    hour (`bare_hour`, the contract's reading: "1" is 13:00), any other day of the month
    a day (`bare_day`: "30" is the 30th). As ("time" | "date", value)."""
    m = _BARE_NUMBER_RE.match(core)
    n = to_int(m["n"]) if m else None
    if n is None:
        return None
    if 1 <= n <= 12:
        hour = bare_hour(core)
        return ("time", hour) if hour else None
    day = bare_day(core, today)
    return ("date", day) if day else None


# ================================================================ a few days to choose from
# "周末", "this weekend", "月底": no one day but a choice of a few, which the dialogue offers
# when it has asked for the day (`day_choice`). "哪天都行" with them leaves the choice to us.
_WEEKEND_RE = guarded.compile(r"(?P<zh>(?:下个?|这个?|本)?周末)|(?<![a-z])(?P<en>(?:(?:this|next|the)\s+)?weekend)(?![a-z])")
_MONTH_END_RE = guarded.compile(r"(?:这个?月|本月)?(?:月底|月末)|(?<![a-z])end of (?:the |this )?month(?![a-z])")
_ANY_DAY_RE = guarded.compile(r"哪天都(?:行|可以|好)|都(?:行|可以)|随便|any ?day|either|whichever|doesn'?t matter")
MONTH_END_DAYS = 3  # "月底" offers the month's last three days (those not past)
# The start of a month: "月初", "12月初", "下个月初", "early december", "beginning of next month".
# Not 月初一 (a lunar day: 正月初一).
_MONTH_START_RE = guarded.compile(
    rf"(?:(?P<mo>{_MONTH})\s*|(?P<next>下个?)|(?P<this>这个?|本))?月初(?![一二三四五六七八九十\d])"
    rf"|(?<![a-z])(?:early|(?:the\s+)?(?:beginning|start)\s+of)\s+(?:(?P<mon>{_MON_ALT})|(?P<en_next>next\s+month)"
    r"|(?P<en_this>th(?:e|is)\s+month))(?![a-z])")
MONTH_START_DAYS = 3  # "月初" offers the month's first three days (those not past)


def _month_started(m: re.Match[str], today: date) -> date:
    """The first of the month `_MONTH_START_RE` matched: the month named (this year's, or next
    year's once past), this month's, next month's; "月初" alone is this month's until its
    first days are gone, then the next."""
    this_month, next_month = today.replace(day=1), (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    named = to_int(m["mo"]) if m["mo"] else _MONTHS_EN[m["mon"]] if m["mon"] else None
    if named is not None and 1 <= named <= 12:
        first = date(today.year, named, 1)
        return first if first >= this_month else date(today.year + 1, named, 1)
    if m["next"] or m["en_next"]:
        return next_month
    if m["this"] or m["en_this"] or today.day <= MONTH_START_DAYS:
        return this_month
    return next_month


_ANY_TIME_RE = guarded.compile(
    r"\W*(?:(?:嗯|好|好的|ok|okay|oh|um|well)\W*)?(?:(?:我|我们)\W*)?(?:(?:随便|随意|无所谓|都行|都可以|都好|都ok|"
    r"什么时候都(?:行|可以|好)|几点都(?:行|可以|好)|哪天都(?:行|可以|好)|你们定|你定|看你们|听你们的)(?:吧|的|啊|呀|哈|呢)?\W*)+"
    r"|\W*(?:(?:any ?time|whenever|any day|any time of day)(?: (?:is|works|would be)(?: fine| ok| okay| good| great)?)?"
    r"|(?:it )?doesn'?t matter|no preference|(?:i'?m|we'?re) flexible|up to you|whatever works(?: for you)?"
    r"|either is fine|anything works)\W*(?:(?:for me|thanks|thank you)\W*)*",
    re.IGNORECASE)


def any_time(text: str) -> bool:
    """The whole message says any time suits ("随便 都行", "any time is fine"): to our
    "which day/what time?" no preference, so we offer the first we can do (pure)."""
    return len(text) <= 40 and _ANY_TIME_RE.fullmatch(text.strip()) is not None


@dataclass(frozen=True, slots=True)
class DayChoice:
    """Days a message leaves to choose from: `kind` "weekend", "month_end", "month_start" or
    "either" (one of two weekdays named), the days in
    order (none past), and whether the customer said any of them will do."""

    kind: str
    days: tuple[date, ...]
    any_day: bool = False


# Between two weekdays, the word that leaves the choice of one ("Thursday or Friday", "周四或者周五").
_OR_BETWEEN_RE = guarded.compile(r"\s*(?:or|或者?|或是|还是|/)\s*", re.IGNORECASE)


def either_day(text: str, today: date) -> tuple[date, date] | None:
    """The two weekdays a message offers as one or the other ("Thursday or Friday afternoon",
    "周四或者周五下午"), the first said first, else None; "next" said of the first is of both
    ("next tue or wed") (pure)."""
    found = sorted([*_ZH_WEEKDAY_RE.finditer(text), *_EN_WEEKDAY_RE.finditer(text)], key=lambda m: m.start())
    for first, second in zip(found, found[1:]):
        if not _OR_BETWEEN_RE.fullmatch(text, first.end(), second.start()):
            continue
        pre = first["pre"] if first["pre"] != "on" else None
        days = []
        for m in (first, second):
            wd = _WEEKDAY_ZH[m["wd"]] if m["wd"] in _WEEKDAY_ZH else _WEEKDAY_EN[m["wd"].lower()]
            own = m["pre"] if m["pre"] != "on" else None
            days.append(_weekday_date(today, wd, own or pre))
        if days[0] != days[1] and all(d >= today for d in days):
            return days[0], days[1]
    return None


def day_choice(text: str, today: date) -> DayChoice | None:
    """The weekend (this one, or the next with 下/next), the end of the month or the start of one
    ("12月初"), or one of two weekdays ("Thursday or Friday") a message names instead of a day,
    else None. This weekend on a Sunday is that Sunday alone."""
    any_day = bool(_ANY_DAY_RE.search(text))
    if (two := either_day(text, today)) is not None:
        return DayChoice("either", two, any_day)
    m = _WEEKEND_RE.search(text)
    if m:
        word = m["zh"] or m["en"]
        later = 7 if word.startswith(("下", "next")) else 0
        saturday = today - timedelta(days=today.weekday()) + timedelta(days=5 + later)
        days = tuple(d for d in (saturday, saturday + timedelta(days=1)) if d >= today)
        return DayChoice("weekend", days, any_day)
    if _MONTH_END_RE.search(text):
        y, mo = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        last = date(y, mo, 1) - timedelta(days=1)
        days = tuple(d for d in (last - timedelta(days=n) for n in range(MONTH_END_DAYS - 1, -1, -1)) if d >= today)
        return DayChoice("month_end", days, any_day)
    if (start := _MONTH_START_RE.search(text)) is not None:  # "12月初": its first days
        first = _month_started(start, today)
        days = tuple(d for d in (first + timedelta(days=n) for n in range(MONTH_START_DAYS)) if d >= today)
        return DayChoice("month_start", days, any_day)
    return None

