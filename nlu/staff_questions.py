"""Questions about the person we send: what they are like ("阿姨是女的吗", "is the cleaner a
woman?", `about_the_staff`) and who the technician of an order is or how to reach them
("哪位师傅来", "师傅电话多少", "what's the technician's number?", `technician_question`); and
requests for a person, the one who came last time ("还是上次那个阿姨来", `same_staff`) or one by
name ("让王师傅来", "can Li come again?", `staff_named`).

They sit apart from the note readers (nlu.notes) because they are no note: a staff word
("保洁阿姨", "cleaner") names no service and books nothing, and such a question is one for
staff or for the dialogue to answer from the order. Both readers share the staff words here.
"""

from __future__ import annotations

import re
from typing import Callable

from nlu import guarded
from nlu.normalize import has_cjk
from nlu.requests import PERSON_AGAIN_RE
from nlu.spans import Span

# A question about when we can come is no question about the staff ("师傅几点到", "will the
# cleaner come at 3"): the same reader the note readers pass such questions over with.
from nlu.notes import asks_when

# A question whose subject is the person who comes ("阿姨是女的吗", "is the cleaner a woman?"):
# the staff word is no service asked for ("cleaner", "保洁阿姨" name cleaning elsewhere), nor a
# booking, but a question for staff. Not when they come ("师傅几点到", "will the cleaner come at 3").
# The titles of other trades too: a salon's 老师 / 美甲师 / stylist, a tutor's 老师, a studio's 摄影师.
STAFF_ZH = (r"(?:保洁)?(?:阿姨|师傅|师父|保洁员|保洁师|工人|技师|小哥|维修工|搬运工"
             r"|老师|美甲师|美睫师|发型师|理发师|造型师|美容师|化妆师|摄影师|教练)")
_STAFF_EN = (r"(?:cleaners?|cleaning lady|technicians?|techs?|workers?|staff|plumbers?|handyman|maids?|"
             r"electricians?|locksmiths?|movers?|guys?|person|engineers?|repairman|ayi|aunty|"
             r"teachers?|tutors?|stylists?|hairdressers?|barbers?|beauticians?|photographers?|instructors?|coach|"
             r"manicurists?|(?:nail|lash|make-?up)\s+(?:artists?|techs?|technicians?))")
# "female ", "english speaking ": what kind of person, a word (up to two, `{0,2}`) after "a"/"an"
_KIND_EN = r"(?:[a-z-]+\s+)"
_STAFF_QUESTION_RE = guarded.compile(
    rf"^\s*(?:请问|那|那个|另外|还有|对了)?[，,\s]*(?:你们|你们的|你们家|派来的|上门的|来的)?\s*{STAFF_ZH}"
    rf"\s*(?:是|会|有|能|可以|带|要|多大|年纪|几岁|男|女|哪里|专业|靠谱|怎么样|可靠)"
    rf"|^\s*(?:and|so|also|btw|by the way)?[,\s]*(?:is|are|will|would|does|do|can|could|how old is|what is|who is)\s+"
    rf"(?:the|your|my|our|this|that)\s+{_STAFF_EN}(?![a-z])"
    # "how many movers will come?", "how many cleaners do you send?": how many of them, no booking
    rf"|^\s*(?:and|so|also|btw|by the way)?[,\s]*how\s+many\s+(?:{_STAFF_EN}|people)(?![a-z])"
    # what kind of person: "will it be a female cleaner?", "is it possible to have an english speaking
    # cleaner?", "can we get a female cleaner?" (a kind said: "can I have a cleaner tomorrow" books)
    rf"|^\s*(?:and|so|also|btw|by the way)?[,\s]*(?:(?:will|would|could|can)\s+it\s+be\s+(?:a|an)\s+{_KIND_EN}{{0,2}}"
    rf"|(?:is\s+it\s+possible\s+to|(?:can|could|may)\s+(?:i|we))\s+(?:have|get|request|ask\s+for)\s+"
    rf"(?:a|an)\s+{_KIND_EN}{{1,2}}){_STAFF_EN}(?![a-z])",
    re.IGNORECASE)
_STAFF_WORD_RE = guarded.compile(rf"{STAFF_ZH}|(?<![a-z])(?:the|your|my|our|this|that|how\s+many)\s+"
                            rf"(?:{_STAFF_EN}|people)(?![a-z])"
                            rf"|(?<![a-z])(?:a|an)\s+{_KIND_EN}{{0,2}}{_STAFF_EN}(?![a-z])", re.IGNORECASE)


def mentions_staff(text: str) -> bool:
    """Whether `text` names the person we send at all: what every question about them needs
    (`about_the_staff`), checked first as the cheaper of the two."""
    return bool(_STAFF_WORD_RE.search(text))


def about_the_staff(norm: str, is_question: bool, names_a_service: Callable[[str], bool]) -> bool:
    """Whether `norm` only asks about the person we send ("阿姨是女的吗", "is the cleaner a
    woman?"): a question (`is_question`) with the staff as its subject, not about when they come,
    naming no service once the staff words are taken out (`names_a_service`: "阿姨会擦玻璃吗" asks
    about window cleaning). "师傅是男的还是女的" asks with 还是 alone, an English one with its verb
    in front ("by the way is the cleaner a woman", a clause without its question mark)."""
    m = _STAFF_QUESTION_RE.search(norm)
    if m is None or not (is_question or "还是" in norm or not has_cjk(m.group())):
        return False
    if asks_when(norm):
        return False
    return not names_a_service(_STAFF_WORD_RE.sub(" ", norm))


# Asking who the technician of their order is, or for the technician's number ("师傅电话多少",
# "哪位师傅来", "who is coming?", "what's the technician's number?"): a question about an
# order already booked, which the dialogue answers from the order, not a booking nor a note.
_CONTACT_ZH = r"(?:电话|手机|手机号|号码|联系方式|微信)"
_CONTACT_EN = r"(?:phone|number|contact|mobile|cell|whatsapp|wechat)"
_TECH_PHONE_RE = guarded.compile(
    rf"{STAFF_ZH}(?:的)?{_CONTACT_ZH}|(?:怎么|如何)(?:联系|找到?|打给){STAFF_ZH}"
    # "她电话多少": the person of the order by a pronoun, asked (not "她电话138…", a number given)
    rf"|^(?:那|请问)?(?:她|他|ta)(?:的)?{_CONTACT_ZH}(?:是|号码是?)?(?:多少|几号|呢|给我)"
    rf"|(?<![a-z]){_STAFF_EN}(?:'s|s'|s)?\s+{_CONTACT_EN}(?![a-z])"
    rf"|{_CONTACT_EN}(?:\s+number)?\s+(?:of|for)\s+(?:the|your|my|our)\s+{_STAFF_EN}(?![a-z])"
    rf"|(?:contact|reach|call)\s+(?:the|your|my|our)\s+{_STAFF_EN}(?![a-z])",
    re.IGNORECASE)
_TECH_WHO_RE = guarded.compile(
    rf"(?:哪位|哪个|哪一位|谁)(?:来|上门|过来)|^(?:那|请问)?(?:是)?(?:哪位|谁)(?:给|帮|替)我(?:做|弄)(?![^?？吗呢啊呀]*(?:都|也))|(?:哪位|哪个|哪一位){STAFF_ZH}(?!都|也)|派(?:了)?(?:谁|哪位)"
    rf"|{STAFF_ZH}(?:是谁|叫什么|姓什么|贵姓)"
    r"|\bwho(?:'s| is| will be| are you)\s+(?:coming|sending|doing|coming over)\b|\bwho will come\b"
    rf"|\bwhich\s+{_STAFF_EN}(?![a-z])|\b(?:name of|who is|who's)\s+(?:the|your|my|our)\s+{_STAFF_EN}(?![a-z])"
    rf"|{_STAFF_EN}(?:'s|s')\s+name\b"
    # "did anyone take my order?", "has someone been assigned?": whether somebody has it yet
    r"|\b(?:did|has|have)\s+(?:anyone|anybody|someone|somebody)\s+(?:take|taken|took|accept|"
    r"accepted|pick(?:ed)?\s+up|claim|claimed|been\s+assigned)\b"
    r"|\b(?:is|was)\s+(?:anyone|anybody|someone|somebody)\s+assigned\b",
    re.IGNORECASE)


def technician_question(norm: str) -> str | None:
    """What the customer asks about the technician of their order: "phone" ("师傅电话多少",
    "what's the technician's number?"), "who" ("哪位师傅来", "who is coming?"), or None.
    The phone wins when both are asked ("哪位师傅来，电话多少" wants to reach them)."""
    if _TECH_PHONE_RE.search(norm):
        return "phone"
    return "who" if _TECH_WHO_RE.search(norm) else None


# Asking for the person who came before ("还是上次那个阿姨来", "same cleaner as last time please")
# or for one by name ("让王师傅来", "can Li come again?"): a wish for the booking, which the
# dialogue looks up (the last completed order's staff, the business's staff by name). Not a
# note, a service ("cleaner" names no daily cleaning here) nor the customer's name ("王师傅").
_BEFORE_ZH = r"(?:上次|上回|之前|以前|原来|前几天|上周|上个月)"
_ASKS_ZH = r"(?:还是|还要|还让|还请|还找|还派|就要|就让|想要|希望是?|最好是?|指定|要|让|请|找|派)"
# "让小美给我做": the person doing it at our place, who comes nowhere
_COMES_ZH = r"(?:来|过来|上门|来做|来吧|(?:来)?(?:给|帮)我做)"
_END_ZH = r"(?:吧|哈|啊|呀|呗|就行|就好|可以吗|行吗|好吗|谢谢)?[。.!！?？~～]*"
# The wish asked ("能让上次那个阿姨来吗", "还是上次那个阿姨来吗", "上次的师傅还来吗"): a "can" in front,
# 吗 after its coming (without the coming, "还是上次那个阿姨吗" asks who comes).
_CAN_ZH = r"(?:能不能|可不可以|会不会|还会是|会是|能|可以|会)"
_SAME_ZH = (
    rf"{_CAN_ZH}?(?P<ask>{_ASKS_ZH})?\s*(?:{_BEFORE_ZH}(?:来的|来过的|那个|那位|的|那)*|同一(?:个|位)?|原班)(?:保洁)?"
    rf"{STAFF_ZH}(?P<come>(?:还|再)?{_COMES_ZH})?"
    rf"(?:[^，,。.!！?？]{{0,8}}[，,]?\s*(?:还|再|就)(?:让|请|找|派|要)?(?:她|他|ta)(?P<her>{_COMES_ZH}))?"
    rf"(?P<q>[吗嘛么])?{_END_ZH}"
    rf"|{STAFF_ZH}(?:还是|就要|要)(?:跟|和|同)?{_BEFORE_ZH}(?:那个|那位|的)?(?:一样|那个|那位)?{_END_ZH}"
    # "还是上次那位": a person (那位) without their title, asked for
    rf"|(?:还是|还要|还找|就要|要|找){_BEFORE_ZH}(?:来的|来过的|给我做的|帮我做的)?那位{_END_ZH}")
_SAME_EN = (
    rf"(?:(?:can|could)\s+(?:we|i|you)\s+(?:have|get|send)\s+|(?:please\s+)?(?:send|get)\s+(?:us\s+|me\s+)?"
    rf"|i(?:'d|\s+would)?\s+(?:like|want|prefer)\s+"
    # asked: "will it be the same cleaner as last time?", "are you sending the same one?", "can the same cleaner come?"
    rf"|(?:(?:will|would|could|can)\s+it\s+be|is\s+it(?:\s+going\s+to\s+be)?|will\s+(?:you|they)\s+send"
    rf"|are\s+you\s+sending|(?:will|would|can|could)(?=\s+(?:the\s+)?same\s))\s+"
    rf")?(?:the\s+)?same\s+(?:{_STAFF_EN}|lady|team|ayi)(?![a-z])(?:\s+(?:come|be\s+coming)(?![a-z]))?"
    rf"(?:\s+(?:as\s+(?:last\s+time|before|usual)|again|from\s+last\s+time))?"
    rf"|(?:the\s+)?{_STAFF_EN}\s+(?:from|who\s+came|we\s+had|i\s+had)\s+last\s+time(?:\s+again)?")
_SAME_RE = guarded.compile(rf"{_SAME_ZH}|(?<![a-z])(?:{_SAME_EN})(?:,?\s*(?:please|pls|plz|if\s+possible))?[.!?]*",
                      re.IGNORECASE)
# Not the same one: "不要上次那个阿姨", "换个师傅", "not the same cleaner", "a different person".
_NOT_SAME_RE = guarded.compile(r"不要|别|换|不想|不用|不希望|\bnot\b|n't|\bdifferent\b|\banother\b|\bnever\b",
                          re.IGNORECASE)
# A name asked for: a surname (小王, 老李 too) and a title, or an English first name.
# no surname: "让师傅来" asks for anyone; 老师 is a title ("老师来晚了"), no 老 and a surname 师
_NOT_A_NAME_ZH = "那这上个位的哪同原之保维该你我他她前一两几每让请派找叫要师"
# A surname with a title ("王师傅", "小李阿姨"), or 小/老 and a surname coming ("派小李来"): not
# "还是老地方", "要小心".
_SURNAME_ZH = rf"(?:小|老)?[^\W\d_{_NOT_A_NAME_ZH}a-zA-Z]"
# What may come between the name and its 来 ("让王师傅明天来", "王阿姨周六上午过来", "小李明天能来吗"):
# when, and a "can"; not "不用" ("王师傅不用来了") nor "几点" ("王师傅几点来", a question).
_WHEN_ZH = (r"(?:大?后天|[今明]天|[今明][早晚]|(?:这|本|下下?|下个)?(?:周|星期|礼拜)[一二三四五六日天末]?|"
            r"[上中下]午|早上|晚上|傍晚|\d{1,2}(?:[点:：]\d{0,2}|号)[半分]?|"
            r"[一二三四五六七八九十两]{1,3}[点号]半?|\d{1,2}月\d{1,2}[日号]?|也|再|能|可以|还)")
_THEN_COMES_ZH = rf"(?:{_WHEN_ZH}){{1,6}}{_COMES_ZH}"
_NAME_ZH = (rf"{_SURNAME_ZH}(?:{STAFF_ZH}|姐|哥)(?={_COMES_ZH}|{_THEN_COMES_ZH}|{_END_ZH}(?:$|[，,;；\s]))"
            rf"|(?:小|老)[^\W\d_{_NOT_A_NAME_ZH}a-zA-Z](?={_COMES_ZH}|{_THEN_COMES_ZH})")
# The request's words end at the name when a day or an hour follows it: those are the booking's
# ("让王师傅明天来" leaves "明天来" to be read as the day).
# The name said as last time's ("能让上次那个王师傅来吗", "上次来的王阿姨"): the name asks for them.
_LAST_TIME_ZH = rf"(?:{_BEFORE_ZH}(?:来的|来过的|那个|那位|的|那)+)"
_NAMED_ZH = (rf"{_ASKS_ZH}\s*{_LAST_TIME_ZH}?(?P<zh>{_NAME_ZH})(?!{_THEN_COMES_ZH}){_COMES_ZH}?{_END_ZH}"
             rf"|{_ASKS_ZH}\s*{_LAST_TIME_ZH}?(?P<zh3>{_NAME_ZH})(?={_THEN_COMES_ZH})"
             rf"|(?:^|(?<=[，,。\s])){_LAST_TIME_ZH}?(?P<zh2>{_NAME_ZH})(?:{_COMES_ZH}{_END_ZH}|(?={_THEN_COMES_ZH}))"
             # "上次那个王师傅" alone in its clause (to "还有什么要求？"): not "上次那个王师傅很好"
             rf"|(?:^|(?<=[，,。\s])){_LAST_TIME_ZH}(?P<zh4>{_NAME_ZH}){_END_ZH}(?=$|[，,;；\s])")
_NAME_EN = r"[a-z][a-z'-]+(?:\s+(?-i:[A-Z])[a-z'-]+)?"  # "Li", "Li Na": a second word only capitalised
_SAME_ONE_EN = rf"(?:the\s+)?same\s+{_STAFF_EN}(?:\s+as\s+(?:last\s+time|before))?"
_TITLE_EN = r"(?:mr|mrs|ms|miss|master)\.?\s+"
_TITLED_EN = r"(?-i:[A-Z][a-z]+)"
_NAMED_EN = (
    rf"(?:can|could|will|would)\s+(?P<en>{_NAME_EN})\s+(?:come|do|clean)\b(?:\s+(?:it|the\s+job|over|by))?"
    rf"(?:\s+again)?"
    rf"|(?:send|get|have)\s+(?P<en2>{_NAME_EN})\s+(?:again|back|over|to\s+come)\b"
    rf"|(?:ask(?:ing)?\s+for|request(?:ing)?|prefer|want|like|with)\s+(?P<en3>{_NAME_EN})\s+(?:again|to\s+come)\b"
    # "the same guy as last time, Mr Wang", "Mr Wang, the same guy as before": the name tells who
    rf"|{_SAME_ONE_EN},?\s*{_TITLE_EN}(?P<en5>{_TITLED_EN})|{_TITLE_EN}(?P<en6>{_TITLED_EN}),?\s*{_SAME_ONE_EN}")
_NAMED_RE = guarded.compile(
    rf"{_NAMED_ZH}|(?<![a-z])(?:{_NAMED_EN})(?:,?\s*(?:please|pls|plz|if\s+possible))?[.!?]*"
    # "Li again please": a capital letter says it is a name
    r"|(?<![A-Za-z])(?P<en4>(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))\s+again(?:,?\s*(?:please|pls|plz))?[.!?]*",
    re.IGNORECASE)
# Words that read as a name in those frames but are none ("can you come again", "send someone").
_NOT_A_NAME_EN = frozenset(
    "you u we i it they he she them him her us me someone somebody anyone anybody one the a an that this "
    "same your my our please yes ok okay come book clean cleaning again once book it there here tomorrow "
    "today tonight someone everyone people then also still just really not".split())


def _clause_before(text: str, at: int) -> str:
    """The words of `text` before `at` in the same clause."""
    return re.split(r"[，,。.!！?？;；]", text[:at])[-1]


def same_staff(text: str) -> Span | None:
    """Where `text` asks for the person who came last time ("还是上次那个阿姨来", "上次的师傅吧",
    "same cleaner as last time please"), the request's words and what closes them, else None.
    Said as a wish: a verb of asking or coming, or the words alone in their clause ("上次那个阿姨"
    to a question); not "上次的师傅迟到了" (a complaint), "不要上次那个阿姨" (another, please) nor
    "还是上次那个阿姨吗" (who is coming, asked); "还是上次那个阿姨来吗" asks for her to come, as does
    "will it be the same cleaner as last time?" (`asked_as_question` tells the dialogue so)."""
    back = PERSON_AGAIN_RE.search(text)  # "再请她来", "can I book her again": her, and a booking again
    if back is not None and not _NOT_SAME_RE.search(_clause_before(text, back.start()) + back.group()):
        return Span(_from_next_time(text, back.start()), back.end(), True)
    for m in _SAME_RE.finditer(text):
        ends_clause = m.end() == len(text) or text[m.end()] in "，,。.!！?？;； "
        comes = m.group("come") or m.group("her")
        if text[m.end():m.end() + 1] in ("吗", "嘛", "么") or (m.group("q") and not comes):
            continue  # "还是上次那个阿姨吗": asks who comes; "还是上次那个阿姨来吗" wishes it
        wished = m.group("ask") or comes or ends_clause or not has_cjk(m.group())
        if wished and not _NOT_SAME_RE.search(_clause_before(text, m.start()) + m.group()):
            return Span(_from_next_time(text, m.start()), m.end(), True)
    return None


# "next time" before the wish ("next time I want the same cleaner, sunday 10am deep clean", "下次还是
# 上次那个阿姨来"): when the wish is for, this booking's, part of the request and no note.
_NEXT_TIME_BEFORE_RE = guarded.compile(
    r"(?:(?<![a-z])(?:next time|in (?:the )?future|from now on)|下次|下回)\s*[,，]?\s*$", re.IGNORECASE)


def _from_next_time(text: str, start: int) -> int:
    """Where a wish starting at `start` starts, with a "next time" right before it (pure)."""
    m = _NEXT_TIME_BEFORE_RE.search(text, 0, start)
    return m.start() if m is not None else start


# A request asked as a question: "can"/"能" in front, or a question mark or 吗 at its clause's end.
_ASKED_RE = guarded.compile(r"^\s*(?:can|could|will|would|is|are|may|能|可以|会)|[?？]|[吗嘛么]\s*$", re.IGNORECASE)


def asked_as_question(text: str, said: Span) -> bool:
    """Whether the request for a person `said` in `text` is asked ("还是上次那个阿姨来吗", "can
    Li Na come?"), which the dialogue answers (noted, we ask them first), not only noted."""
    after = re.split(r"[，,。.!！;；]", text[said.end:])[0]
    return bool(_ASKED_RE.search(_clause_before(text, said.start) + text[said.start:said.end] + after))


_NAME_GROUPS = ("zh", "zh2", "zh3", "zh4", "en", "en2", "en3", "en4", "en5", "en6")


def staff_named(text: str) -> Span | None:
    """Where `text` asks for a staff member by name ("让王师傅来", "还是小李吧", "can Li come again?",
    "send Wang again"), the request's words, with the name as written for its value ("王师傅", "Li"),
    else None. Whether anyone of the business is so called is the dialogue's to look up."""
    for m in _NAMED_RE.finditer(text):
        key = next(k for k in _NAME_GROUPS if m.group(k))
        name = m.group(key)
        # the clause up to the name: "不要上次那个王师傅" (its 要 is the match's) asks for another
        if name.split()[0].lower() in _NOT_A_NAME_EN or _NOT_SAME_RE.search(_clause_before(text, m.start(key))):
            continue
        return Span(m.start(), m.end(), name)
    return None


# A full name without a title asked to come ("让李娜来", "能让李娜明天来吗"): a staff member's only
# if one is so called, which the business's staff list tells (the dialogue), not the words.
_BARE_NAMED_ZH_RE = guarded.compile(
    rf"{_ASKS_ZH}\s*(?P<name>[\u4e00-\u9fff]{{2,4}}?)(?:(?={_THEN_COMES_ZH})|{_COMES_ZH}(?:[吗嘛么])?{_END_ZH})")


_ARRANGED_BY_ME_RE = guarded.compile(r"(?:我|我们|我会|到时候?)\s*$")


def staff_maybe(text: str, may_be_a_name: Callable[[str], bool]) -> Span | None:
    """Where `text` asks a person by a bare full name to come ("让李娜来": "李娜"), a name by its
    form (`may_be_a_name`: a surname and a given name, not "让物业来"), else None. The words
    stay in the message: whether it is a staff member's name is the dialogue's to look up."""
    if "来" not in text and "上门" not in text:  # no coming asked (`_COMES_ZH`): the cheap check first
        return None
    for m in _BARE_NAMED_ZH_RE.finditer(text):
        if _ARRANGED_BY_ME_RE.search(text[:m.start()]):  # "我让李娜来开门": someone of theirs
            continue
        if may_be_a_name(m.group("name")) and not re.search(STAFF_ZH, m.group("name")) \
                and not _NOT_SAME_RE.search(_clause_before(text, m.start()) + m.group()):  # "让师傅来": anyone
            return Span(m.start(), m.end(), m.group("name"))
    return None
