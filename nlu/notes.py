"""A note for the technician inside a message: "备注：带梯子", "Note: we have a dog",
"家里有猫请别开阳台门".

Notes are free text, not a slot the NLU can check, so they are cut off the message
before it is read: "备注：带梯子，明天下午来" must not book the afternoon twice, nor
"note: 2 cats" a quantity. Three forms, from the surest:

- the whole message is one, labelled (`whole_note`): "备注：家里有猫", "备注家里有猫";
- a labelled clause after the booking (`find_note`): "…，备注：带梯子", "…. Note: we have a dog",
  "… PS bring a ladder"; the label needs its colon there (or PS its pause), since 注意 and
  note are ordinary words inside a sentence;
- a last clause that tells the technician what to do or not (`instruction`): "…，家里有猫请别开
  阳台门", "…, please bring a ladder". The caller checks it is not another slot ("…，请下午3点来").

And one read after the slots (`aside`): the clauses of a booking that no reader took
anything from, wherever they sit ("…，13812345678，家里有猫", "…, we have a dog", "…，没有电梯，
住6楼", "明天上午10点深度保洁，厨房和卫生间重点打扫，望京SOHO…"). Without a label they were read,
found to be no slot and dropped; but what a customer adds to a booking is nearly always for
the technician. Courtesy ("麻烦了", "谢谢") is no note, nor the rest of an address ("…望京SOHO，
T1-1203", "…, Beijing") or a bare name, and a question or another intent's word after the
booking ("…，多少钱？") means no note at all: the caller says which. The question itself
(`asked`: "…，可以开发票吗？") is the caller's to answer or pass on.
"""

from __future__ import annotations

import re
from typing import Callable

from nlu import guarded
from nlu.numerals import EN_NUMBER_ALT, to_int
from nlu.spans import MASK, Span

MAX_NOTE = 500
_WHOLE_RE = guarded.compile(
    r"^\s*(?:(?:备注|留言|补充|(?:notes|note|p\.s\.|ps)(?![a-z0-9]))\s*[:：,，]?|(?:注意|remarks|remark)\s*[:：])\s*(?P<note>\S.*)$",
    re.IGNORECASE | re.DOTALL)
_INLINE_RE = guarded.compile(
    r"(?<=[，,。.;；!！?？\s])"
    # 备注/留言 need no colon ("确认 备注带梯子"); "note", 注意 and 补充 do ("please note that…", "注意安全",
    # "补充一下"), and "remarks", a form's label ("…\nRemarks: bring a ladder")
    r"(?:(?:备注|留言)\s*[:：]?|(?:注意|补充|notes|note|remarks|remark)\s*[:：]|(?:p\.s\.|ps)(?![a-z0-9])\s*[:：,]?)"
    r"\s*(?P<note>\S.*)$",
    re.IGNORECASE | re.DOTALL)
_CLAUSE_END_RE = guarded.compile(r"[，,。;；!！\n]|\.(?=\s)")  # a line break ends one too
# What tells the technician what to do or not: 请别, 别(not 特别/区别/别墅), 不要 (not 不要了), 记得,
# 务必; "please …", "don't …" opening an English clause.
_INSTRUCTION_RE = guarded.compile(
    r"请(?:别|勿|不要)|(?<![特区分告离级])别(?!墅|人|的)|不要(?!了)|记得|务必|千万"
    # what need not be done ("不用搬沙发", "no need to move the sofa"): how the visit is wanted
    # (not the booking's own: "不用改了", "no need to change it")
    r"|^\s*(?:不用|不需要|无需|不必)(?!了|谢|改|修改|更改|换|变|动|取消|来|过来|麻烦|确认|着急)\S{2}"
    r"|^\s*(?:please|pls|do not|don't|dont|remember to|no need to(?! (?:change|cancel|come|worry|reply|confirm)))"
    r"\s+\S+\s+\S", re.IGNORECASE)

# The size of the home, as English says it: "3 bed apt", "2-bedroom flat", "3 bed 2 bath house".
HOME_SIZE_RE = guarded.compile(
    rf"(?<![\w.:])(?:\d{{1,2}}|{EN_NUMBER_ALT})[\s-]*(?:bed(?:room)?s?|br|bdr?m?)"
    r"(?:[\s,-]+\d[\s-]*(?:bath(?:room)?s?|ba))?[\s-]+(?:apt|apartment|flat|house|home|condo|villa|place)(?![a-z])",
    re.IGNORECASE)


# How many bedrooms the home has, as Chinese and English say it: "两室一厅", "2室1厅", "三房两厅",
# "两居室", "一居"; "2 bedroom(s)", "a 3-bedroom flat", "2br", "3 bed apt" (HOME_SIZE_RE: "bed"
# alone is a home's only before one, not "2 beds to assemble"). Not "1203室" (a flat's number).
_ROOMS = r"[1-9一二两三四五六七八九]"
_BEDROOMS_RE = guarded.compile(
    rf"(?<![\d一二两三四五六七八九十])(?P<zh>{_ROOMS})\s*(?:室\s*{_ROOMS}?\s*厅|房\s*{_ROOMS}\s*厅|居室?)"
    rf"|(?<![\w.:])(?P<en>\d{{1,2}}|{EN_NUMBER_ALT})[\s-]*(?:bedrooms?|br|bdrm)(?![a-z])",
    re.IGNORECASE)


def bedrooms(text: str) -> int | None:
    """The bedrooms of the home a message says ("两室一厅": 2, "2 bedroom": 2), else None: what
    an hourly service's usual hours follow (storage.catalog.Service.hours_by_bedrooms)."""
    m = _BEDROOMS_RE.search(text) or HOME_SIZE_RE.search(text)
    if m is None:
        return None
    number = m["zh"] or m["en"] if m.re is _BEDROOMS_RE else re.match(r"\s*(\w+)", m.group())[1]
    return to_int(number.lower())


def home_size(text: str) -> str | None:
    """The size of the home a booking gives ("…sat morning? 3 bed apt"), as written: for the
    technician to plan by, never a count of visits to book (nlu.slots.find_quantities), and
    said wherever in the message, so not always a clause of its own that `aside` reads."""
    m = HOME_SIZE_RE.search(text)
    return m.group() if m else None


# How many lessons: "10节", "20节课", "4次课", "10课时" (not 第2节, nor 五一节 or 春节).
_LESSONS_RE = guarded.compile(r"(?<![第\d一二三四五六七八九十两几.])(?:\d{1,3}|[一二三四五六七八九十两]{1,3})\s*(?:[节堂]课?|次课|课时)")


def lessons(text: str) -> str | None:
    """How many lessons a booking asks for ("约10节钢琴课"), as written: a package for the staff to
    arrange, never hours nor visits to book (a booking is one visit), and said inside the clause
    that names the service, so not a clause of its own that `aside` reads."""
    m = _LESSONS_RE.search(text)
    return m.group() if m else None


def whole_note(text: str) -> str | None:
    """The note when the whole message says it is one ("备注：家里有猫"), else None."""
    m = _WHOLE_RE.match(text)
    return _clip(m.group("note")) if m else None


def find_note(text: str) -> Span | None:
    """The labelled note in `text`, whole or after the booking ("…，备注：带梯子"): where it
    starts (its label) and its words, which run to the end of the message."""
    m = _WHOLE_RE.match(text) or _INLINE_RE.search(text)
    if m is None or not m.group("note").strip():
        return None
    start = 0 if m.re is _WHOLE_RE else m.start()
    return Span(start, len(text), _clip(m.group("note")))


def after_the_first_clause(text: str) -> int | None:
    """Where the words after a message's first clause start ("好的，家里有猫" → at 家), or None
    for a message of one clause."""
    end = _CLAUSE_END_RE.search(text)
    if end is None or not text[:end.start()].strip() or not text[end.end():].strip(" ，,。.;；!！~～"):
        return None
    return end.end()


def instruction(text: str) -> Span | None:
    """The last clause of a message of several, when it tells the technician what to do
    or not ("…，家里有猫请别开阳台门"); whether it is another slot is for the caller to say."""
    ends = [m for m in _CLAUSE_END_RE.finditer(text.rstrip(" 。.!！~～"))]
    if not ends:
        return None
    start = ends[-1].end()
    clause = text[start:].strip()
    if len(clause) < 4 or not text[:ends[-1].start()].strip() or not _INSTRUCTION_RE.search(clause):
        return None
    return Span(start, len(text), _clip(clause.rstrip("。.!！~～ ")))


# A whole message that only says what is wrong, of no object it names ("不排水", "一直漏水",
# "it won't drain", "it's leaking"): said during a booking, it is about the thing being booked.
_FAULT_RE = guarded.compile(
    r"(?:它|这个|那个|就是|现在|而且|还有|但是)?(?:一直|老是|总是|经常|也|还|有点)?"
    r"(?:(?:不|没法|无法|不能|没有|没)(?:排水|出水|脱水|甩干|转|启动|开机|制冷|制热|加热|工作|通电|亮|出热水|动|下水)"
    r"|漏水|漏电|异响|有异响|噪音(?:很|特别)?大|响声(?:很|特别)?大|冒烟|跳闸|卡住|有味道?|有异味"
    # a gas hob's, a water heater's: "打不着火", "点不着", "不出热水", "显示E1", "黑屏"
    r"|(?:打|点)不着(?:火)?|不打火|不点火|打不开|关不上|关不掉|不出(?:热水|冷风|热风|水)|黑屏|显示\s*e\d*|报错|没反应)了?"
    r"|(?:and |but |also )?(?:it |it's |its |it is |this |that )?(?:just |also |still )?"
    r"(?:won'?t|wont|doesn'?t|doesnt|does not|will not|can'?t|cant|isn'?t|isnt|is not|not|stopped|keeps?)\s+"
    r"(?:drain(?:ing)?|spin(?:ning)?|start(?:ing)?|work(?:ing)?|cool(?:ing)?|heat(?:ing)?|turn(?:ing)? on"
    r"|power(?:ing)? on|run(?:ning)?|leak(?:ing)?|beep(?:ing)?|shut(?:ting)? off)"
    r"(?: any ?more| at all| properly| well)?"
    r"|(?:it |it's |its |it is )?(?:leaking|making (?:a |some )?(?:weird |loud |strange |funny )?noises?)",
    re.IGNORECASE)


def fault(text: str) -> bool:
    """Whether the whole message only describes a fault, naming nothing it is of ("不排水",
    "it wont drain"): to a booking under way, what is wrong with its object, a note for the
    technician, though a service's word ("drain") is in it (the dialogue keeps the service)."""
    return bool(_FAULT_RE.fullmatch(text.strip().rstrip("。.!！~～?？ ").strip()))


# What a remark for the staff is about: the home and how to get in, who and what is there,
# what to bring or mind ("有电梯", "门口有保安", "家里有猫", "十几个箱子", "parking is in the basement",
# "there's a dog"). A whole message in these words, and nothing else's, is for the staff.
_REMARK_TOPIC_RE = guarded.compile(
    r"电梯|楼梯|爬楼|步梯|楼下|楼道|门口|大门|[东南西北]门|门卫|保安|物业|前台|门禁|密码|钥匙|门铃|敲门|开门"
    r"|停车|车位|车库|地库|地下室|小区|猫|狗|宠物|老人|孩子|小孩|宝宝|婴儿|孕妇|在家|箱子|纸箱|家具|行李|东西"
    r"|易碎|贵重|钢琴|鞋套|梯子|过敏|报我|家里(?:没|有)人|到了\S{0,3}电话|打我电话|先打电话|提前打电话"
    r"|提前联系|电话联系|轻拿轻放|阳台|卧室|客厅|书房|地板|地毯|沙发|厨房|卫生间|厕所|洗手间|浴室|餐厅|床底|墙角|角落"
    r"|(?<![a-z])(?:dogs?|cats?|pets?|puppy|kitten|kids?|baby|elderly|parking|park|basement|garage"
    r"|lift|elevator|stairs?|staircase|floor|gate|code|security|guard|concierge|reception|front desk"
    r"|doorman|doorbell|door|buzzer|ring|knock|call me|text me|keys?|boxes|furniture|fragile|piano"
    r"|shoes?|ladder|allergic|asleep|sleeping|home|lobby|building)(?![a-z])",
    re.IGNORECASE)
# Enough words to be a remark: three Chinese characters ("有电梯"), or three English words.
_REMARK_MIN_CJK = 3
_REMARK_MIN_WORDS = 3


def remark(norm: str, wide: str) -> str | None:
    """The whole message as a remark for the staff, as written, when it says something of the
    visit's circumstances in enough words (`_REMARK_TOPIC_RE`: "东西不多 大概十几个箱子 有电梯",
    "家里有猫，别开阳台门", "请带鞋套", "parking is in the basement", "please bring a ladder"). The
    caller says it is nothing else (no slot, question, yes or no, correction, rating, chat): said
    to the summary it goes on the order's note, where it was not understood before. Gibberish
    ("asdf", "。。。") and small talk name no such thing; an instruction alone is not enough
    ("别改了", "不要这个" are about the booking, not the home)."""
    cjk = sum(1 for ch in norm if "\u4e00" <= ch <= "\u9fff")
    words = len(re.findall(r"[a-z']+", norm, re.IGNORECASE))
    if cjk < _REMARK_MIN_CJK and words < _REMARK_MIN_WORDS:
        return None
    if not _REMARK_TOPIC_RE.search(norm):
        return None
    said = as_asked(wide)
    return _REMARK_LEAD_RE.sub("", said) or said  # "oh and we have a dog": "we have a dog" on the note


# What leads a remark added in English in passing ("oh and we have a dog", "btw there's no lift"): how it
# was said, not what the technician needs to read.
_REMARK_LEAD_RE = guarded.compile(
    r"^(?:(?:oh|ah|and|also|btw|by the way|ps|p\.s\.|plus|one more thing)(?![a-z])[\s,.:;!-]*)+", re.IGNORECASE)


# What is wrong with a thing, said right after it: "冰箱不制冷了", "洗衣机不转", "马桶堵了", "washing
# machine is broken", "fridge not cooling", "toilet leaking".
_BROKEN_RE = guarded.compile(
    r"[^，,。;；!！?？]{0,4}?(?:坏|不制冷|不制热|不冷|不热|不凉|不转|不工作|不启动|不开机|开不了机|不出热水|不出冷风|不出水"
    r"|不排水|不脱水|不甩干|甩不干|不下水|不通电|不亮|漏水|漏电|漏|滴水|堵|不通|冲不下|下不去|反水|冒水|返臭|故障|没反应|异响|噪音|响声"
    r"|打不着|点不着|跳闸|报错|显示e\d*|出问题|罢工|打不开|黑屏|冒烟|卡住|(?:吹|出)热风)[^，,。;；!！?？\s]{0,3}?(?:了|啦)?"
    # English, also said of "it" after the thing's own sentence: "fix my washing machine? it leaks"
    r"|(?:\s*[?？.,，;:-]?\s*(?:it|it'?s|they|they'?re|which|that)\b)?"
    r"(?:\s+(?:is|are|has|keeps?|just|still|been|got|not|isn'?t|won'?t|doesn'?t|stopped))*\s+"
    r"(?:broken|broke|busted|dead|faulty|leaking|leaks|leaky|clogged|blocked|noisy|tripping|not \w+ing|not working"
    r"|(?:isn'?t|doesn'?t|won'?t|stopped|not) \w+|making (?:a |some )?(?:\w+ )?noises?|needs? (?:fixing|repair(?:ing)?))\b",
    re.IGNORECASE)
_BROKEN_REACH = 30
# The thing already named, said again as a pronoun: "it", "它".
_OF_IT_RE = guarded.compile(r"\s*(?:it|it'?s|they|they'?re|它|这个)(?![a-z])", re.IGNORECASE)


def fault_of_it(clause: str) -> bool:
    """Whether a clause only says what is wrong with the thing named before it ("it won't drain",
    "它不排水了"): its words ("drain", "漏水") then ask for no other service of their own."""
    return _OF_IT_RE.match(clause) is not None and _BROKEN_RE.match(clause) is not None


# "it", "它" inside a sentence, where what is wrong with the thing may follow with no comma.
_IT_INSIDE_RE = guarded.compile(r"(?<![a-z'])(?=(?:it|they|它)(?![a-z]))", re.IGNORECASE)


def faults_of_it(text: str) -> list[Span]:
    """Where a sentence goes on to say what is wrong with "it" with no comma before ("fix my
    washing machine it won't drain" → "it won't drain"): as `fault_of_it` clauses, no service
    of their own."""
    out: list[Span] = []
    for m in _IT_INSIDE_RE.finditer(text):
        wrong = _BROKEN_RE.match(text, m.start()) if m.start() > 0 and not out else None
        if wrong is not None and _OF_IT_RE.match(text, m.start()):
            out.append(Span(m.start(), wrong.end(), text[m.start():wrong.end()]))
    return out
# A repair asked for right before the thing, whose fault is unsaid: "能来修热水器吗", "fix the fridge";
# or right after it: "热水器维修", "fridge repair".
_REPAIR_RE = guarded.compile(r"(?:修|修理|维修|检修|fix|repair|look at)\s*(?:一下|下)?\s*(?:the |my |our |a |an )?(?:家里的|家的|的)?$",
                        re.IGNORECASE)
_REPAIR_AFTER_RE = guarded.compile(r"\s*(?:要|需要)?(?:维修|修理|修一下|修|repair|fix)", re.IGNORECASE)
# Where the rest of a fault's clause stops being the fault: the booking's words ("…来修", "can you come").
_FAULT_TAIL_STOP_RE = guarded.compile(
    r"(?:要|需要|请|能|可以|麻烦|帮|来|上门|师傅|维修|修|求|急)"
    r"|\b(?:can|could|would|will|please|pls|need|needs|want|come|send|book|fix|repair|and|so|asap)\b",
    re.IGNORECASE)


def _fault_tail(work: str, start: int, end: int) -> int:
    """Where the fault read up to `start` ends: the rest of its clause up to `end` ("热水器坏了" +
    "打不着火", "is leaking" + " water"), short of what a slot reader took (MASK in `work`: the
    service's own words, masked on through the fault, are read on) and of the booking's own words."""
    rest = work[start:end]
    if work[start - 1:start] == MASK:  # the service read runs on through the fault: "热水器坏了打不着"
        rest = rest.lstrip(MASK)
    skipped = len(work[start:end]) - len(rest)
    rest = rest.split(MASK, 1)[0]
    stop = _FAULT_TAIL_STOP_RE.search(rest)
    rest = rest[:stop.start()] if stop is not None else rest
    kept = rest.rstrip(" ，,。.;；!！~～")
    return start + skipped + len(kept) if kept else start


def trouble(norm: str, work: str, wide: str, objects: list[Span]) -> list[Span]:
    """What the technician should know of the things a repair is for, as written in `wide`: each
    thing with what is wrong with it ("冰箱不制冷了", "washing machine is broken", "toilet leaking"),
    with the clause after it that says so ("热水器是万家乐的，不出热水"), or the thing alone when only
    its repair is asked for ("能来修热水器吗" → "热水器"). `objects`: the booked service's objects
    in `norm` (nlu.services.ServiceMatcher.objects_of); `work`: `norm` with the slots read masked,
    where the fault's clause stops ("热水器坏了打不着火，明天…"). The service says a repair; the note which
    appliance and what it does, so the technician can bring the part."""
    parts = _clauses(norm)
    out: list[Span] = []
    for i, (s, e) in enumerate(parts):
        named = [o for o in objects if s <= o.start < e]
        if not named:
            continue
        first, last = named[0], named[-1]
        wrong = _BROKEN_RE.match(norm, last.end, min(e, last.end + _BROKEN_REACH))
        following = parts[i + 1] if i + 1 < len(parts) else None
        if wrong is not None:
            end = _fault_tail(work, _word_end(norm, wrong.end(), e), e)
        elif (after := _fault_after(norm, work, last.end, e, following)) is not None:
            # "热水器是万家乐的，不出热水"; the booking's words between are no part of it: "fix my
            # washing machine tomorrow, it won't drain" → "washing machine, it won't drain"
            said = _fault_tail(work, last.end, e)
            if said < e and work[said:e].strip(" ，,。.;；!！~～?？"):
                thing = _LINK_END_RE.sub("", wide[first.start:said])  # "fridge at|88 Jianguo Road"
                bits = [thing, wide[after[0]:after[1]]]
                out.append(Span(first.start, after[1], _commas([b.strip(" ，,。.;；!！~～?？") for b in bits])))
                continue
            end = after[1]
        elif _REPAIR_RE.search(norm, s, first.start) or _REPAIR_AFTER_RE.match(norm, last.end, e):
            end = last.end
        else:
            continue
        out.append(Span(first.start, end, _clip(wide[first.start:end].strip(" ，,。.;；!！~～"))))
    return out


_PESTS_EN = r"cockroach(?:es)?|roach(?:es)?|rats?|mice|mouse|bed ?bugs|termites|ants|fleas|silverfish"
_PESTS_ZH = r"蟑螂|小强|老鼠|白蚁|臭虫|螨虫|跳蚤|蚂蚁|虫子"
# What has befallen a customer shut out of home (or overrun by pests, below), in the words that
# also ask for a locksmith:
# "locked out", "lost my keys", "钥匙锁屋里了", "被锁在门外了", "门打不开了". The service says a locksmith;
# these say whether a door is to be opened now or a lock changed, which the locksmith needs to know.
_PLIGHT_RE = guarded.compile(
    r"locked (?:myself |ourselves |us )?out(?: of (?:my|our|the) (?:apt|apartment|flat|house|home|place|room|car))?"
    r"|(?:locked|left) (?:my |our |the )?keys? (?:inside|at home|in(?: (?:the|my|our) \w+)?)"
    r"|keys? (?:locked|left) inside(?: (?:my|our|the) \w+)?|can'?t get in(?:side)?"
    r"|(?:lost|can'?t find) (?:my |our |the )?(?:door |house |front door )?keys?"
    r"|(?:my |the )?keys? (?:broke|snapped|got stuck|is stuck|stuck)(?: in (?:the|my) (?:lock|door))?"
    r"|(?:front |the |my )?door (?:won'?t|will not|doesn'?t|does not|can'?t) (?:open|unlock|lock)"
    r"|(?:钥匙)?(?:被)?锁(?:在)?(?:屋|家|房间|房子|门)(?:里|内|外)(?:面|头)?(?:了)?"
    r"|钥匙(?:丢|掉|弄丢|找不到|断在锁里|断里面|断了|拔不出来?|忘带)了?"
    r"|钥匙(?:落|忘|留|锁)在?(?:屋|家|房间|房子|房|车)(?:里|内)(?:面|头)?了?"
    r"|门?(?:被)?反锁(?:在(?:屋|家|房间|房子)(?:里|内)?)?了?"
    r"|(?:防盗门|大门|房门|门)(?:打不开|开不了|锁坏)了?|进不(?:了|去)(?:门|家|屋)?了?|指纹锁没电了?(?:进不去)?"
    # Pests and where they are ("cockroaches in the kitchen", "厨房里好多蟑螂"): the pest alone is the
    # service's word; where, the technician's to know
    rf"|(?:{_PESTS_EN}) (?:in|under|behind|around|all over|everywhere in) (?:the|my|our) [a-z]+(?: (?:and|&) (?:the )?[a-z]+)?"
    rf"|(?:厨房|卫生间|厕所|洗手间|卧室|客厅|阳台|床上|衣柜)(?:里|上|里面)?(?:有|全是|都是|好多|很多|一堆)(?:好多|很多|不少)?(?:{_PESTS_ZH})",
    re.IGNORECASE)


def plight(norm: str, wide: str) -> list[Span]:
    """What has befallen a customer shut out, as written in `wide` ("I'm locked out" → "locked
    out", "钥匙锁屋里了"): for the locksmith's note, each thing said once, in message order."""
    out: list[Span] = []
    for m in _PLIGHT_RE.finditer(norm):
        if out and not norm[out[-1].end:m.start()].strip():  # one run of words: "钥匙丢了进不去"
            out[-1] = Span(out[-1].start, m.end(), wide[out[-1].start:m.end()].strip())
        elif wide[m.start():m.end()].strip() not in [s.value for s in out]:
            out.append(Span(m.start(), m.end(), wide[m.start():m.end()].strip()))
    return out


# The English words that lead a booking's part, left at the end of the thing's words when the
# part was read: "fridge at" (88 Jianguo Road), "fridge on" (friday).
_LINK_END_RE = guarded.compile(r"(?:\s+(?:at|on|in|for|by|this|next|around|from|to))+\s*$", re.IGNORECASE)


def _fault_after(norm: str, work: str, start: int, end: int,
                 following: tuple[int, int] | None) -> tuple[int, int] | None:
    """Where the fault said after a thing's clause runs (`start`, `end`: the rest of that
    clause after the thing): the next clause when it is only a fault ("…，不出热水", "…, it won't
    drain"), else the words after the last part read in the clause when they say what is wrong
    with "it" ("fix my fridge on friday morning? it's not cooling"), else None."""
    if following is not None and fault(norm[following[0]:following[1]]):
        return following
    read = work.rfind(MASK, start, end)
    if read < 0:
        return None
    pos = read + 1
    while pos < end and norm[pos] in " ?？.,，;；:-":
        pos += 1
    return (pos, end) if pos < end and fault_of_it(norm[pos:end]) else None


def _word_end(norm: str, pos: int, end: int) -> int:
    """`pos`, or the end of the English word it cuts: the reach of a fault (`_BROKEN_REACH`) may
    end inside its last word ("fridge stopped worki|ng"), which is kept whole."""
    while pos < end and norm[pos - 1:pos].isascii() and norm[pos - 1:pos].isalpha() and norm[pos].isascii() \
            and norm[pos].isalpha():
        pos += 1
    return pos


def with_trouble(wrong: list[Span], note: object = None) -> str:
    """The note of a message with the things wrong in it (`trouble`) first, then the note or
    aside already read (`note`), if any."""
    return _commas([w.value for w in wrong] + ([note] if isinstance(note, str) and note else []))


def _commas(bits: list[str]) -> str:
    """Clauses of a note joined as the customer writes them: "，" in Chinese, ", " in English."""
    return _clip((", " if all(b.isascii() for b in bits) else "，").join(bits))


_BLANKS_RE = guarded.compile(r"[ \t]{2,}")
# The start of the next sentence left at a note's end where a message said without stops ran on
# into the booking's words ("…下水道堵了你们明天下午能不能派个师傅": "下水道堵了", not "…了你们").
_RUN_ON_END_RE = guarded.compile(r"(?<=[\u4e00-\u9fff])(?:你们|您们|您|你|我们|我|那个|就是)+\s*$")


def _clip(note: str) -> str:
    """`note` at most a note's length, without the run of blanks left where words read as the
    booking's were masked ("can we               next week"), nor a pronoun it ran on into."""
    return _RUN_ON_END_RE.sub("", _BLANKS_RE.sub(" ", note).strip())[:MAX_NOTE]


# Where a clause ends, for `aside`: what `instruction` cuts at, and a line break.
# A space between Chinese words ends a clause as a comma does: on a phone it is typed for one
# ("后天帮我搬个家 一室一厅 东西不多": the home's size, for the movers).
_ASIDE_END_RE = guarded.compile(r"[，,。;；!！\n]+|\.(?:\s+|$)|(?<=[\u4e00-\u9fff\x00])\s+(?=[\u4e00-\u9fff])")
# The rest of an address after its masked start: a room, floor or unit ("T1-1203", "6楼", "Apt 3").
_ADDRESS_PART_RE = guarded.compile(
    r"\d+\s*(?:号楼|号|楼|层|室|单元|栋|幢|座|门)|[a-z]\d*-\d+|^\s*[a-z]?\d+[a-z]?\s*$"
    r"|^\s*(?:apt|flat|unit|room|suite|floor|building|block|tower|#)(?![a-z])", re.IGNORECASE)
# A place's name alone, as the rest of an address ("…, Chaoyang District, Beijing, 138…", "…，北京市，"):
# up to three capitalised words, or a city, district or province.
_PLACE_RE = guarded.compile(
    r"\s*(?:[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}|[\u4e00-\u9fff]{1,6}(?:省|市|区|县)|北京|上海|天津|重庆|中国)\s*")
# The booking's own words, whole clause: a wish for the visit ("想清洗一下", "想请人擦一下", "需要修一下").
# A bare repair asked for is the booking's too ("要维修", "需要修理"): the service says it already.
_WISH_RE = guarded.compile(r"\s*我?(?:想|要|需要|打算|准备)+(?:请人|找人|找个人|叫人|帮忙)?(?:\S{1,3}一下|维修|修理|检修|修)\s*"
                      # a plea to come and see to it, the booking itself: "修一下", "麻烦来看看", "过来看一下吧"
                      r"|\s*(?:麻烦|请|帮忙|帮我|师傅|你们)*(?:过来|来|上门)?(?:维修|修理|处理|修|看|弄)(?:一下|下|看|一看)?"
                      r"(?:吧|哈|啊|呀)?\s*")
# Courtesy, whole clause: these words and particles, nothing else ("麻烦你们了", "辛苦师傅", "that's all",
# "ok come pls": a plea to come is the booking itself; "还有，" "对了，": a word that only leads on to the note).
_COURTESY_RE = guarded.compile(
    r"(?:麻烦|辛苦|拜托|劳驾|谢谢|多谢|感谢|谢了|先这样|就这样|就这些|在线等|尽快|赶紧|赶快|快点|快些|快|等回复|还有|另外|对了|然后|你们|你|您|师傅|一下|了|啦|哈|啊|呀|哦|吧|呢|嘛|急"
    r"|\b(?:please|pls|plz|thanks|thank|you|that'?s|that|is|all|it|for now|cheers|so|much|very|ok|okay|mate|guys"
    r"|thx|thnx|thanx|ty|cool|great|perfect|awesome|alright|sure|nice|good"
    r"|come|quick|quickly|fast|hurry"
    # a yes to the booking itself: "ok lets do it", "sounds good, go ahead", "yes please book it"
    r"|let'?s|lets|do|go|ahead|sounds|yes|yeah|yep|yup|book|then|fine|deal|works)\b"
    r"|好的|好|行|可以|没问题|就这么定了?|定了"
    r"|[\s~～…\x00])+", re.IGNORECASE)

# Praise of the last visit, whole clause ("she was great", "阿姨很好"): said with a booking
# ("…, can I book her again?") it is thanks for staff, not an instruction for the visit.
_PRAISE_RE = guarded.compile(
    r"\s*(?:(?:上次的?)?(?:阿姨|师傅|她|他)(?:上次)?(?:做得|干得|打扫得|弄得|修得)?(?:很|挺|非常|特别|真|超)?"
    r"(?:好|不错|专业|认真|细心|棒|仔细|负责)的?"
    r"|(?:she|he|they|the (?:cleaner|plumber|technician|tech|guy|lady|worker|mover)s?)(?: really)?"
    r" (?:was|were|is|are|did)(?: (?:really|so|very|absolutely))? (?:a )?(?:great|good|amazing|excellent|fantastic"
    r"|brilliant|wonderful|lovely|awesome|perfect|nice)(?: (?:job|work))?(?: last time)?)"
    r"(?:[\s~～…!！]|[啊呀哈])*", re.IGNORECASE)


def praise(work: str, wide: str) -> str | None:
    """The praise of the last visit a message opens with ("she was great, can I book her
    again…"), as written in `wide`, or None: no note for the visit, but what was said of the
    last one, kept as the review's comment when a review is open (handlers.review_steps)."""
    parts = _clauses(work)
    if len(parts) < 2 or not _PRAISE_RE.fullmatch(work[slice(*parts[0])]):
        return None
    return _clip(wide[slice(*parts[0])].strip(" ，,。.;；!！~～"))


def aside(work: str, wide: str, chat: Callable[[str], bool], stop: Callable[[str], bool],
          name: Callable[[str], bool]) -> Span | None:
    """The note the clauses of a booking that no reader took anything from add, as written
    in `wide`, or None.

    `work` is the message after the slot readers masked what they took (nlu.spans): a
    clause with no mask in it is a candidate, wherever it sits ("明天上午10点深度保洁，厨房和
    卫生间重点打扫，望京SOHO…"). `stop(clause)` says a clause is no note (a question, another
    intent's word): after the last clause read it means there is no note at all ("…，多少钱？"),
    before it only that clause is none. `chat(clause)` says it is no note itself but may stand
    beside one ("谢谢", "尽快"), `name(clause)` that it may be a bare name; an address's rest
    is skipped too, but not at the end ("没有电梯，住6楼" is all note)."""
    parts = _clauses(work)
    read = [i for i, (s, e) in enumerate(parts) if MASK in work[s:e]]
    if not read:
        return None
    tail = parts[read[-1] + 1:]
    if any(stop(work[s:e]) for s, e in tail):
        tail = []

    def courtesy(s: int, e: int) -> bool:
        return (bool(_COURTESY_RE.fullmatch(work[s:e]) or _WISH_RE.fullmatch(work[s:e])
                     or _PRAISE_RE.fullmatch(work[s:e])) or chat(work[s:e]))

    def no_note(s: int, e: int) -> bool:
        return (courtesy(s, e) or bool(_ADDRESS_PART_RE.search(work[s:e]))
                or bool(_PLACE_RE.fullmatch(wide[s:e])) or name(wide[s:e].strip()))

    while tail and no_note(*tail[0]):
        tail.pop(0)
    while tail and courtesy(*tail[-1]):
        tail.pop()
    kept = [(s, e) for s, e in parts[:read[-1]]
            if MASK not in work[s:e] and not stop(work[s:e]) and not no_note(s, e)] + tail
    return _joined(wide, kept, tail)


def asked(work: str, wide: str, question: Callable[[str], bool]) -> Span | None:
    """The question a booking asks in a clause no reader took anything from, as written in
    `wide` ("…，13812345678，可以开发票吗？"), when `question(clause)` says it is one worth an
    answer; a bare "可以吗？" is none. The caller answers it or passes it on. A question ends its
    clause, and "and is …" starts one, so one asked amid the booking's words is found too ("…,
    is the cleaner a woman? 88 Jianguo Road", "deep clean tomorrow 3pm and is the cleaner a woman?")."""
    parts = [q for s, e in _clauses(work) for q in _split_at(work, _QUESTION_END_RE, s, e)]
    if not any(MASK in work[s:e] for s, e in parts):
        return None
    for s, e in parts:
        clause = work[s:e]
        if MASK not in clause and _worth_passing_on(clause, question):
            # its question mark, cut off as a clause's end when "?" is not in _ASIDE_END_RE
            words = wide[s:e].strip(" ，,。.;；!！~～")
            return Span(s, e, _clip(words)) if len(words) >= 2 else None
    return None


def asked_alone(norm: str, wide: str, question: Callable[[str], bool]) -> str | None:
    """The whole message as a question to pass on, as written in `wide`, when it asks nothing
    but that ("do i need to be home?", "需要我在家吗？"): said at the summary it was shown the
    summary again, unanswered. Judged as `asked` judges a booking's clause."""
    words = as_asked(wide)
    vague = _VAGUE_QUESTION_RE.fullmatch(norm)
    return words if len(words) >= 2 and not vague and _worth_passing_on(norm, question) else None


def asked_beside(norm: str, wide: str, wish: tuple[int, int], question: Callable[[str], bool]) -> str | None:
    """The questions a message asks beside a staff wish (`wish`: where it stands, blanked out
    of `norm`), as written in `wide` ("do I need to be home? also can Mr Wang come?" → "do I
    need to be home?"): the wish is read as one, its question needs no person. Each judged as
    `asked` judges a booking's clause (pure)."""
    held = norm[:wish[0]] + "_" * (wish[1] - wish[0]) + norm[wish[1]:]  # the wish's clause stays one ("能让…来吗？")
    parts = [q for s, e in _clauses(held) for q in _split_at(held, _QUESTION_END_RE, s, e)]
    words = [wide[s:e].strip(" ，,。.;；!！~～") for s, e in parts
             if (e <= wish[0] or s >= wish[1]) and _worth_passing_on(norm[s:e], question)]
    words = [w for w in words if len(w) >= 2]
    return _clip(_commas(words)) if words else None


# A question whose thing is said before it, as a verb's object: "can you get it off?", "can you
# reach them?"; not the "it" of "is it ok if…", "will it take long?" (a subject, after its verb).
_REFERS_BACK_RE = guarded.compile(
    r"(?<!\bis\s)(?<!\bwas\s)(?<!\bwill\s)(?<!\bdoes\s)(?<!\bwould\s)(?<!\bcan\s)(?<!\bcould\s)"
    r"(?<!\bshould\s)(?<!\bif\s)\b(?:it|them|those|these)\b", re.IGNORECASE)


def refers_back(question: str) -> bool:
    """Whether an English `question` points back at what was said before it ("can you get it
    off?"): alone, it would reach staff without its thing."""
    return bool(_REFERS_BACK_RE.search(question))


def as_asked(wide: str) -> str:
    """A whole message's question as it is passed on: as written, without the punctuation
    around it, at most a note's length."""
    return _clip(wide.strip(" ，,。.;；!！~～"))


# A question with nothing in it for a person to answer: "what now", "huh?", "why?", "怎么了",
# "啥？", "什么意思". Not understood, as before, rather than staff alerted for it.
_VAGUE_QUESTION_RE = guarded.compile(
    r"(?:[\s?？!！.。,，~～]*(?:what|why|how|huh|eh|hm+|um+|so|now|then|and|is it|is that|what's|whats|that|this|it"
    r"|do you mean|does (?:that|it|this) mean|meaning|mean|again|sorry|pardon|怎么了|怎么回事|怎么办|怎么说|怎么|为什么"
    r"|为啥|什么|啥|咋|意思|是|的|了|吗|么|嘛|呢|吧|啊|呀|嗯|哦|噢|那|然后|现在|这|那个|这个|又|咋回事)"
    r"(?![a-z]))+[\s?？!！.。,，~～]*", re.IGNORECASE)


def _worth_passing_on(clause: str, question: Callable[[str], bool]) -> bool:
    """A question that asks more than a yes to the booking ("可以吗？") or when we come, which
    the booking answers, and that `question` says is one."""
    return not (_BARE_QUESTION_RE.fullmatch(clause) or asks_when(clause)) and question(clause)


# A question that asks nothing but a yes to the booking: "可以吗？", "ok?", "is that possible?"
_BARE_QUESTION_RE = guarded.compile(
    r"\s*(?:(?:可以|行|好|能|成|没问题|方便|ok|okay|alright|right|possible|is (?:that|it|this) (?:ok|okay|possible|fine)"
    # "…，能修吗", "能不能弄一下": can you do it, asked of the job booked
    r"|(?:能不能|可不可以|能|可以)(?:帮我)?(?:修|弄|通|开|装|搬|洗|做|处理|上门)(?:一下|好)?"
    r"|can you|could you|will you|yes or no)\s*(?:吗|么|嘛|不|呢|吧)?|在吗|在不在|是吧|对吧)\s*[?？]*\s*", re.IGNORECASE)


# A question about when we can come, which the booking answers: "最近哪天有空", "能约吗", "when are you free?"
WHEN_QUESTION_RE = guarded.compile(
    r"哪天|什么时候|几点|有空|空吗|能约|可以约|约吗|能来|来吗|上门吗|\b(?:when|available|free|come)\b", re.IGNORECASE)


# "how many movers will come?" asks how many, not when: its "come" is no question of the day.
_HOW_MANY_RE = guarded.compile(r"\bhow\s+many\b", re.IGNORECASE)


# "能带梯子来吗", "师傅能带个梯子过来吗": its 来 is what they bring along, a question for staff.
_BRINGS_RE = guarded.compile(r"带[^，,。？?]{1,8}?(?:过|上)?来", re.IGNORECASE)


def asks_when(clause: str) -> bool:
    """Whether `clause` asks when we can come ("师傅几点到", "will the cleaner come at 3"), which
    the booking answers; "how many movers will come?" asks how many, "能带梯子来吗" whether a
    ladder comes along."""
    return bool(WHEN_QUESTION_RE.search(clause)) and not _HOW_MANY_RE.search(clause) \
        and not _BRINGS_RE.search(clause)


# Where a question ends ("?" kept with it) or an English one is joined on after a word ("… 3pm and is
# the cleaner …"; one leading its clause, ", by the way is …", keeps its words).
_QUESTION_END_RE = guarded.compile(
    r"(?<=[?？])\s*"
    r"|(?<=[\w\x00])\s+(?:and|but|also|btw|by the way)\s+(?=(?:is|are|will|would|can|could|do|does|should)\b)",
    re.IGNORECASE)


def _split_at(work: str, rx: re.Pattern[str], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where each part of `work[start:end]` with any words in it starts and ends, cut where `rx`
    matches, the match itself left out."""
    end = len(work) if end is None else end
    bounds = [start, *(x for m in rx.finditer(work, start, end) for x in m.span()), end]
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2]) if work[a:b].strip()]


def _clauses(work: str) -> list[tuple[int, int]]:
    """Where each clause of `work` with any words in it starts and ends."""
    return _split_at(work, _ASIDE_END_RE)


def _joined(wide: str, kept: list[tuple[int, int]], tail: list[tuple[int, int]]) -> Span | None:
    """The note of the clauses kept: the customer's own words from the first to the last of
    the clauses after the booking (`tail`, which stand together), each one before joined to
    them with a comma."""
    bits = [wide[s:e].strip(" ，,。.;；!！~～") for s, e in kept if (s, e) not in tail]
    if tail:
        bits.append(wide[tail[0][0]:tail[-1][1]].strip(" ，,。.;；!！~～"))
    bits = [b for b in bits if b]
    if not bits:
        return None
    note = _commas(bits)
    return Span(kept[0][0], kept[-1][1], note) if len(note) >= 2 else None
