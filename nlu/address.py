"""The service address, as written.

Runs last among the extractors, on text where phone, order number, date,
time, service, rating and name are already masked: the address is then what
is left between those pieces *and* looks like a place. "Looks like a place" is
a score over address words (区, 路, 小区, SOHO, Street…) and unit numbers
(T1-1203, 501); a label (地址：) or a verb such as 住在 lowers the bar, a bare
在/来/到 does not, since they start half of all Chinese sentences.

Street numbers are protected upstream: datetime_rules does not read 中关村大街27号
as the 27th.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import takewhile

from nlu import guarded
from nlu.datetime_rules import extract_when
from nlu.given_names import GIVEN_NAMES
from nlu.normalize import has_cjk, normalize
from nlu.spans import MASK, SEGMENT_SPLIT_RE, Span, mask, segments

_EN_STREET_WORDS = (
    "street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|place|pl|court|ct|square|sq|"
    "terrace|close|crescent|parkway|pkwy|highway|hwy|gardens|mews|row|hill|walk|plaza|"
    # Pinyin, as street signs in China write them: "Gulou Lu", "Dongsanhuan Zhonglu", "Wangfujing Dajie".
    "(?:zhong|bei|nan|dong|xi)?lu|(?:zhong|bei|nan|dong|xi)?jie|dajie|hutong|xiang"
)
# A unit: a unit word and a number or a single letter ("Apt 1203", "Block C", "Tower 1";
# not "unitless", not "room for 2"), before the street, after it or on its own. Abbreviated as
# written ("bldg 3 rm 502"), so the room is not left behind as a note.
_EN_UNIT = (r"(?:(?:flat|apt|apartment|unit|suite|room|rm|floor|fl|building|bldg|block|tower|#)(?![a-z])\.?\s*(?:#\s*)?"
            r"(?:[a-z]?\d[a-z0-9-]*|[a-z])"
            # "T1", as Beijing's towers are named ("Apt 1203, T1, Wangjing SOHO"): a unit said between others
            r"|(?<=, )t\d{1,2}(?=\s*,))(?![a-z0-9])")
# A district said after the street without a comma ("88 Jianguo Road Chaoyang apt 1203"): a
# known one (Beijing's, Shanghai's, the big cities'), or any word before "District"/"Qu". Named,
# since any other word there may start the next clause ("…Road tomorrow", "…Road Bob").
_EN_DISTRICTS = (
    "dongcheng|xicheng|chaoyang|haidian|fengtai|shijingshan|mentougou|fangshan|tongzhou|shunyi|"
    "changping|daxing|huairou|pinggu|miyun|yanqing|wangjing|sanlitun|guomao|zhongguancun|wudaokou|"
    "huangpu|xuhui|changning|jing'?an|putuo|hongkou|yangpu|minhang|baoshan|jiading|pudong|"
    "songjiang|qingpu|fengxian|tianhe|yuexiu|haizhu|liwan|baiyun|panyu|futian|luohu|nanshan|"
    "bao'?an|longgang|longhua|xihu|binjiang|gongshu|jinjiang|wuhou|qingyang"
)
_EN_CITIES = "beijing|shanghai|guangzhou|shenzhen|hangzhou|chengdu|tianjin|nanjing|wuhan|suzhou"
_EN_DISTRICT = (rf"(?:(?:{_EN_DISTRICTS})(?:\s+(?:district|qu))?|[a-z]+\s+(?:district|qu))(?![a-z])"
                rf"(?:(?:\s*,\s*|\s+)(?:{_EN_CITIES})(?![a-z]))?")
_EN_STREET_RE = guarded.compile(
    rf"(?<![a-z0-9])(?:(?:{_EN_DISTRICTS})\s*,\s*)?"  # "Shunyi, 8 Lake View Road": its district first
    rf"(?:{_EN_UNIT}(?:\s*,\s*|\s*))*"  # "Room 1203, Building 5, 88 Jianguo Road"
    r"(?:\d{1,5}[a-z]?(?:\s*[-/]\s*\d{1,5}){0,3}(?:\s+|\s*,\s*(?=(?:lane|ln|alley)\s+\d))"  # "12 Baker Street", "3-2-501 Xinyuan Road"
    r"|(?=(?:lane|ln|alley)\s+\d))"  # "Building 2, Lane 188, Xinhua Road"
    # "No. 7, Lane 5, Dongzhimen Street", "7 lane 188 xinhua road": a lane off the street, as Shanghai numbers them
    r"(?:(?:lane|ln|alley)\s+\d{1,5}(?:\s*,\s*|\s+)(?=[a-z]))?"
    # Its name: words, and ordinals ("39 East 3rd Ring Road"); never a possessive or a pronoun,
    # which make the words a sentence ("2 clean my place": "2" is "to", and "place" no street).
    r"(?:(?:(?!(?:on|at|in|by|for|and|pm|am|tomorrow|today|tonight|please|my|your|our|his|her|their|u|you)\b)"
    r"[a-z][a-z'.-]*|\d{1,3}(?:st|nd|rd|th))\s+){0,4}?"
    # (?![a-z0-9]), not \b: Chinese may follow with no space ("从88 Jianguo Road搬到…").
    rf"(?:{_EN_STREET_WORDS})(?![a-z0-9])\.?"
    # "7 Hill Road": a street word can be part of the name before the real one.
    rf"(?:\s+(?:{_EN_STREET_WORDS})(?![a-z0-9])\.?)?"
    # "12 Baker Street, Apt 3B", "9 Rose Lane apt 3C", "88 Jianguo Road Chaoyang apt 1203"
    rf"(?:(?:\s*,\s*|\s+)(?:{_EN_UNIT}|(?:in\s+)?{_EN_DISTRICT}))*"  # "…, Flat 3 in Chaoyang"
)
# A named building before its street, with its units: "Unit 5 Smith and Sons Building, 12
# Dongzhimen St". Read back from where the street starts (`_building_start`); its words stop
# at a word that belongs to the sentence ("clean at Jade Tower, …" is "Jade Tower, …").
_EN_BUILDING_WORDS = (
    "building|bldg|tower|towers|mansion|mansions|plaza|centre|center|house|apartments|residence|"
    "residences|court|estate|soho|garden|gardens|complex|hotel|mall|block|compound"
)
_EN_NOT_NAME = (
    r"(?:at|on|in|to|from|for|by|with|near|is|am|pm|my|our|your|the address|address|tomorrow|today|"
    r"tonight|please|clean|cleaning|deep|book|need|want|come|send|move|moving|it|its|it's|we|i)(?![a-z'])"
)
_EN_BUILDING_BEFORE_RE = guarded.compile(
    rf"(?<![a-z0-9])(?P<units>(?:{_EN_UNIT}(?:\s*,\s*|\s+))*)"
    rf"(?P<name>(?:(?<![a-z0-9'.-])(?!{_EN_NOT_NAME})(?:&|[a-z][a-z'.-]*)\s+){{0,5}}"
    rf"(?<![a-z0-9'.-])(?:{_EN_BUILDING_WORDS}))"
    r"(?:\s+(?:[a-z]?\d{1,3}[a-z]?|[a-z]))?\.?(?:\s*,\s*|\s+)\Z"
)
# The units and the estate's name before its street, the name any capitalised words (not a
# building word: "Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave", "Room 5, Park View,
# 8 Dongsanhuan Rd"): dropped, the estate was lost and the units read as said apart.
_EN_UNITS_NAME_BEFORE_RE = guarded.compile(
    rf"(?<![a-z0-9])(?P<units>(?:{_EN_UNIT}(?:\s*,\s*|\s+))+)"
    rf"(?P<name>(?:(?!{_EN_NOT_NAME})[a-z][a-z'.-]*\s+){{0,3}}(?!{_EN_NOT_NAME})[a-z][a-z'.-]*)\s*,\s*\Z"
)
# A flat in a building that is named, not numbered on a street: "Flat 1203, Tower 1, Wangjing
# SOHO" (its name is the place after the units, `_place_end`), or units alone ("Flat 12, Block C").
_EN_BUILDING_RE = guarded.compile(rf"(?<![a-z0-9]){_EN_UNIT}(?P<more>(?:(?:\s*,\s*|\s*){_EN_UNIT})+)?")
# The estate named before the units, up to four words ("Chaoyang Park Plaza building 6"): not a
# word of the sentence ("at", "clean"), nor a greeting.
_EN_ESTATE_NAME_WORD = (
    rf"(?<![a-z0-9'.-])(?!{_EN_NOT_NAME}|(?:hi|hello|hey|dear|thanks|thank|ok|okay|yes|no|sorry|sir|and)(?![a-z']))"
    r"(?:&|[a-z][a-z'.-]*)")
_EN_ESTATE_BEFORE_RE = guarded.compile(
    rf"(?P<name>(?:{_EN_ESTATE_NAME_WORD}\s+){{0,3}}{_EN_ESTATE_NAME_WORD})(?:\s*(?P<comma>,)\s*|\s+)\Z")
_WORD_RE = guarded.compile(r"[^\s,]+")
# The last word of an estate's name that says it is one ("Seasons Park", "Sanlitun Soho").
_EN_ESTATE_WORD_RE = guarded.compile(
    rf"(?:{_EN_BUILDING_WORDS}|park|village|heights|city|town|villas?|square)")
# A flat's number said bare before its building, after a comma: "from 2201, Tower A": three or
# four digits, not a time ("at 1030, …").
_EN_FLAT_BEFORE_RE = guarded.compile(
    r"(?<![a-z0-9:.+-])(?<!at )(?<!by )(?<!until )(?<!till )(?<!around )(?<!about )"
    r"(?P<flat>[a-z]?\d{3,4}[a-z]?)\s*,\s*\Z")
# A flat's number said bare after its building: "Central Park Tower A 2201" (not a time, "… 10am").
_EN_FLAT_AFTER_RE = guarded.compile(r"\s+#?\d{3,5}[a-z]?(?![a-z0-9:]|\.\d)")
# The building named right after the units without a comma, as a chat message runs it on
# ("Rm 1203 Tower 2 Jianwai SOHO"): up to three words ending in a building word.
_EN_NAMED_AFTER_RE = guarded.compile(
    rf"\s+(?:(?!{_EN_NOT_NAME})[a-z][a-z'.-]*\s+){{0,3}}(?:{_EN_BUILDING_WORDS})(?![a-z0-9])")
# Chinese right after the units: the estate is named in Chinese ("Room 808, Tower 1, 仁恒滨江"),
# which find_address reads with its units.
_CJK_NEXT_RE = guarded.compile(r"[\s,，]*[\u4e00-\u9fff]")
# Street words whose full stop is an abbreviation's ("St."), not the sentence's ("Lane.").
_EN_STREET_ABBREVIATIONS = frozenset(
    {"st", "rd", "ave", "ln", "dr", "blvd", "pl", "ct", "sq", "pkwy", "hwy", "apt", "fl", "bldg", "rm"})
_EN_UNIT_PART_RE = guarded.compile(_EN_UNIT, re.IGNORECASE)
_EN_UNITS_AFTER_RE = guarded.compile(rf"(?:(?:\s*,\s*|\s+){_EN_UNIT})*")
# The flat's number said bare after the units of a named building ("…, Jianwai SOHO tower B 1502",
# "…, Tower 2, 1502"): three to five digits, not a time ("… tower B 10:30").
_EN_BARE_FLAT_AFTER_RE = guarded.compile(r"(?:\s*,\s*|\s+)#?\d{3,5}[a-z]?(?![a-z0-9:]|\.\d)")
# Up to three words: "Tsim Sha Tsui", "Pok Fu Lam" (Hong Kong districts), "New York".
_EN_CITY_RE = guarded.compile(
    r"\s*,\s*(?P<city>[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+(?![A-Za-z0-9])){0,2}(?: [A-Z0-9]{2,4} ?[0-9][A-Z]{2})?)"
)
_EN_NUMBERED_NAME_RE = guarded.compile(r"\s*,\s*\d{1,4}[A-Za-z]?\s+(?P<name>[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,2})(?![A-Za-z0-9])")
# One more part of the place after its first, a clause of its own: capitalised names ("…,
# Liangmaqiao", "…, Chaoyang District"), or a numbered street ("…, 39 East 3rd Ring Road"), which
# the day may follow ("Shunyi, 8 Lake View Road on saturday": a name alone there may be a verb);
# a name, the next line too ("…, Liangmaqiao\nPlease come on time": the line break is a space
# once normalised, and the capitalised word that starts the line is cut off by `_city_words`).
_EN_NAMES = r"[A-Z][A-Za-z'-]+(?: (?:[A-Z][A-Za-z'-]+|\d{1,3}(?:st|nd|rd|th))){0,4}"
_EN_CLAUSE_END = r"\s*(?:[,;!?\x00\n]|\.(?:\s|$)|$)"
_EN_MORE_PLACE_RE = guarded.compile(
    rf"(?:\s*,\s*|\s+)(?:(?P<city>\d{{1,4}}[A-Za-z]?\s+{_EN_NAMES}"
    rf"(?={_EN_CLAUSE_END}|\s+(?:on|at|this|next|tomorrow|today|tonight|please)\b)"
    rf"|{_EN_NAMES}(?={_EN_CLAUSE_END}|\s+(?:[A-Z]|(?:tomorrow|today|tonight|please)\b)))"
    rf"|(?i:{_EN_DISTRICT}))")
_NOT_CITY = {"Tomorrow", "Today", "Tonight", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
             "Saturday", "Sunday", "Please", "Thanks", "Thank", "Call", "Phone", "My", "And", "At", "I",
             "Next", "This", "Cheers", "Regards", "Best", "Morning", "Afternoon", "Evening", "Noon", "Asap", "ASAP",
             "Urgent", "Yes", "No", "Ok", "OK", "Okay", "Sorry", "Hi", "Hello", "Hey", "Need", "Can", "Could", "We",
             "Deep", "Clean", "Cleaning", "Book", "Booking", "Repair", "Moving", "Pest", "Want", "Come",
             "Jan", "January", "Feb", "February", "Mar", "March", "Apr", "April", "May", "Jun", "June", "Jul", "July",
             "Aug", "August", "Sep", "Sept", "September", "Oct", "October", "Nov", "November", "Dec", "December"}

_LABEL_RE = guarded.compile(
    r"(?:上门地址|服务地址|详细地址|收货地址|家庭地址|住址|地址|地点|address)\s*"
    r"(?:(?:应该|是|为|在|is(?![\w'])|(?:要|想|需要|得)?(?:改成|改为|换成|改到)|写错了)\s*)*[:：]?\s*"
)
# What follows a label without any address word and opens with a modal, a verb or a
# "later" is about the address, not one: 地址要改, 地址稍后发你, 地址我问一下家里人.
_ABOUT_THE_ADDRESS_RE = guarded.compile(
    r"^(?:我|我们)?(?:先|再)?(?:要|想|需要|得|能|可以|会|等|稍|一会|马上|回头|晚点|待会|改|换|修改|更改|重新|发|告诉|问|查|找)"
)
_STRONG_MARKER_RE = guarded.compile(
    r"^(?:我|我们|我家|家|我们家)?(?:就)?(?:住在|家在|位于|送到|上门到|住|地点在|小区(?:是|在|叫))\s*")
# The same inside a run-on segment, as voice input writes it ("三点左右我家在朝阳区…"):
# what comes before it is another part of the sentence.
_INNER_MARKER_RE = guarded.compile(r"(?:我|我们)?(?:家在|住在|家住|地点在)\s*")
# 我现在在 / 人目前在: "where I am right now" before the place; 具体是 / 从 lead into it too
# (not the 从 of 从化区, a district, or of 从容, an estate name).
_WEAK_MARKER_RE = guarded.compile(
    r"^(?:(?:具体(?:地址)?|从(?!容|化))(?:是|在)?"
    r"|(?:我|我们|我家|家)?(?:现在|目前|这会儿)?(?:应该|其实)?(?:就|人)?(?:在|来|到|去|过来|是|改到|改成|改为|换到|换成|换为))\s*"
)
# "to 12 Baker Street" answering "where are you moving to?", "at 5 Marina Bay" answering "where?".
_EN_MARKER_RE = guarded.compile(r"(?:(?:i'?m|we'?re|i am|we are)\s+)?(?:moving\s+)?(?:to|at|in)\s+(?=\S)")
# "地址写错了，是…": the clause after the label says what the address is.
_AFTER_LABEL_RE = guarded.compile(r"[，,]\s*(?:应该是|是|在)\s*")
_RELAXED_SPLIT_RE = guarded.compile(r"[。；！？;!?\n\x00]+|\.(?:\s|$)")
_COMMA_RE = guarded.compile(r"[，,、]")
# WeChat messages use a single space as a comma ("开锁吗 我在阳光100小区"): a space
# next to a Chinese character splits a segment that is not an address as a whole.
_CJK_SPACE_RE = guarded.compile(r"(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])")
# "在中山路上" is "on Zhongshan Road": the 上 is not part of the road's name.
_ON_ROAD_RE = guarded.compile(r"(?<=[路街道])上$")
_LABEL_STOP_RE = guarded.compile(r"[。；！？;!?\n\x00]|\.(?:\s|$)")
_CUT_RE = guarded.compile(
    r"做|搞|(?<!\d)弄|帮|给我|需要|要|想|打扫|清洗|维修|修理|安装|上门|电话|手机|联系|我叫|我姓|预约|的时候|时候|"
    r"吧|呢|吗|啊|谢谢|麻烦|请|可以|能不能|有没有|师傅|服务|你们|您|出发|搬出|搬走|"
    r"(?<=\d)\s*(?:修|装|洗|擦)"  # "…1号楼101修马桶": the job begins after the room number
    # "…2单元401我电话是…我姓李", said in one breath to voice input: the next clause begins at 我
    r"|我的?(?=\s*(?:电话|手机|号码|联系方式|姓|叫|名字|\x00))"
)
_EN_CUT_RE = guarded.compile(r"\s(?:and|phone|tel|call|my name|please|thanks)\b")

_STRONG_TOKENS = guarded.compile(
    r"省|市|区|县|镇|乡|路|街|大道|胡同|巷|(?<=\d)弄|小区|大厦|公寓|花园|广场|号楼|栋|幢|单元|soho|tower|新村|家园|苑|"
    r"大楼|写字楼|商城|园区|宿舍|村"
)
_WEAK_TOKENS = guarded.compile(r"室|楼|层|号|院|园|城|座|门|里|府|庭|湾|阁|居|邸|中心|公司|酒店|宾馆|学校|医院")
_UNIT_TOKENS = guarded.compile(r"[a-z]\d+|\d+\s*-\s*\d+|\d{3,4}")
# 地址错了 / 写错的: a complaint about the address, not one; 了 ends a clause
# that tells what happened ("里了 人在门口" left over from 钥匙锁家里了), never a place.
# 问题/好像/有误: "地址好像有问题" doubts the address, it gives none.
# A home's size said alone after 住 ("住两室一厅", "住个三居室"): no place.
_HOME_SIZE_ALONE_RE = guarded.compile(r"(?:的|个|一套|套)?[1-9一二两三四五六七八九]\s*(?:室\s*[1-9一二两三四五六七八九]?\s*厅|房\s*[1-9一二两三四五六七八九]\s*厅|居室?)(?:的房子|的房|房子)?")
_NOT_ADDRESS = guarded.compile(r"什么|怎么|多少|哪|吗|呢|几|不|没|谁|错|了|你|您|问题|好像|似乎|有误")  # 你: "发地址给你" promises one
# "the address is wrong", "address isn't right", "address: not right yet": what is said of the
# address, not one.
_NOT_AN_EN_ADDRESS = guarded.compile(
    r"(?:(?:is|was|seems|looks)\s+)?(?:wrong|incorrect|(?:not|isn'?t|wasn'?t) (?:right|correct|it)|changed|different|the same|same"
    r"|missing|incomplete|outdated|old)\b", re.IGNORECASE)
# Words that hold an address character but name no place: 股市 (stock market),
# 在路上 (on the way), 区别 (difference), 两居室 (a home's size: two bedrooms). Their characters score nothing.
_NOT_PLACE_WORDS = guarded.compile(
    r"股市|上市|城市|市民|市价|市面|市值|开市|收市|行市|(?<!\d)[1-9一二两三四五六七八九]\s*居室?|"
    r"(?:^|(?<=[在半到]))路上|路过|路线|路费|路程|路况|一路|走路|迷路|带路|顺路|"
    r"区别|区分|逛街|街坊|号码|几号|楼下|楼上|家里|这里|那里|屋里|心里|"
    r"^公司|(?<=[在回到去])公司|"  # "我在公司": where the customer is, no address; 华为公司 is one
    # "小区可以停车", "小区里有车位": what the estate is like, no name of it
    r"^小区(?:里|内|门口|外面?)?(?=$|有|没|可以|能|停|车|很|挺|比较|不|方便)"
)
# An English answer that names a place: a number (a street's, a unit's), a street word or a
# building word. "oh wait, make it" (left of "make it Sunday") and "right now" name none.
_EN_PLACE_RE = guarded.compile(
    rf"\d|(?<![a-z])(?:{_EN_STREET_WORDS}|flat|apt|apartment|unit|suite|room|rm|floor|building|bldg|block|tower|"
    r"estate|mansions?|centre|center|heights|residences?|apartments|village|park|hotel|mall|soho|district|"
    r"city|town)(?![a-z])", re.IGNORECASE)


def _city_words(city: str) -> str:
    """The district or city words, up to a known given name or a word that starts the next
    sentence: in "Mayfair Jane Doe" the name that signs the message starts at Jane, in
    "Chaoyang Thanks" (a line break between) the thanks."""
    words = city.split(" ")
    for i, w in enumerate(words[1:], 1):
        if w.lower() in GIVEN_NAMES or w in _NOT_CITY:
            return " ".join(words[:i])
    return city


def find_en_street(norm: str, wide: str, pos: int = 0) -> Span | None:
    """An English one-line address: '12 Baker Street, Flat 3', 'Room 1203, Building 5, 88
    Jianguo Road, Chaoyang', or a flat in a named building, 'Flat 1203, Tower 1, Wangjing
    SOHO' (run before dates: "at 12" must not become a time). Its parts are separated by
    commas, which elsewhere separate the parts of a message, so it is read whole here
    rather than left to find_address, which would keep the best part alone ("Tower 1").
    The first from `pos` on."""
    m = _EN_STREET_RE.search(norm, pos)
    if m:
        end = m.end()
        if norm[end - 1] == "." and norm[:end - 1].rsplit(None, 1)[-1] not in _EN_STREET_ABBREVIATIONS:
            end -= 1  # "…at 5 King Street. My name is Tom": the sentence ends, not the street's name
        end = _place_end(norm, wide, end)
        start = _building_start(norm, wide, pos, m.start())
        return Span(start, end, wide[start:end].strip())
    for b in _EN_BUILDING_RE.finditer(norm, pos):
        named = _EN_NAMED_AFTER_RE.match(norm, b.end())
        end = named.end() if named else b.end()
        flat = _EN_FLAT_AFTER_RE.match(norm, end)
        end = _place_end(norm, wide, flat.end() if flat else end)
        start = _estate_start(norm, wide, pos, b.start())
        if end == b.end() and start == b.start() and not b["more"]:
            continue  # one unit alone ("room 2") is no address
        if _CJK_NEXT_RE.match(wide, end):
            return None
        return Span(start, end, wide[start:end].strip())
    return None


def _estate_start(norm: str, wide: str, pos: int, start: int) -> int:
    """Where a flat in a named building starts, its units at `start`: with the estate named
    in front of them ("Seasons Park building 5 room 302", "Shimao Tower 1, unit 2305"), which
    is the place, the units only its door; else with the flat's number said bare before them
    ("from 2201, Tower A, Central Park"); else `start`."""
    flat = _EN_FLAT_BEFORE_RE.search(norm, pos, start)
    if flat is not None:
        return flat.start("flat")
    name = _EN_ESTATE_BEFORE_RE.search(norm, pos, start)
    if name is None:
        return start
    words = list(_WORD_RE.finditer(norm, name.start(), name.end("name")))
    if _EN_ESTATE_WORD_RE.fullmatch(words[-1].group()):
        return words[0].start()  # "at seasons park building 5", "Seasons Park, building 5": in any case
    if name["comma"]:
        return start  # "Mike, Tower 2 apt 5": before a comma, only an estate's own word names one
    # Without a word of its own, an estate is named as names are, capitalised ("Shimao Tower
    # 1"): a lower-case sentence ("can you clean tower 2 …") lends it no words.
    named = list(takewhile(lambda w: wide[w.start()].isupper(), reversed(words)))
    return named[-1].start() if named else start


def _building_start(norm: str, wide: str, pos: int, start: int) -> int:
    """Where an English street address that starts at `start` starts with the building
    named before it ("Unit 5 Smith and Sons Building, 12 Dongzhimen St"), else `start`.
    Without a unit in front, the name is capitalised as names are ("Jade Tower"), so that
    a lower-case sentence ("we clean the house, 12 …") lends it no words."""
    b = _EN_BUILDING_BEFORE_RE.search(norm, pos, start)
    if b is None:
        named = _EN_UNITS_NAME_BEFORE_RE.search(norm, pos, start)
        name = wide[named.start("name"):named.end("name")] if named else ""
        return named.start() if named and name[0].isupper() and _names_a_place(name) else start
    if not b["units"] and not wide[b.start("name")].isupper():
        return start
    return b.start()


def _place_end(norm: str, wide: str, end: int) -> int:
    """Where an English address that reaches `end` ends, with the district, city or building
    named after a comma ("…, Chaoyang", "…, Wangjing SOHO", "…, London SW1A 1AA"), the places
    after that ("…, Seasons Park, Liangmaqiao"), and the units anywhere among them; not a word
    that starts the next sentence ("…, Tomorrow", "…, phone"). A known given name there signs
    the message ("5 Main Street, Bob"; nlu.given_names)."""
    end = _units_after(norm, end)  # "Tower 2 Wangjing SOHO apt 1203"
    c = _EN_CITY_RE.match(wide, end)
    if c is not None and _names_a_place(c["city"]):
        end = c.start("city") + len(_city_words(c["city"]))
        # "Apt 12C, Park View, 8 Dongsanhuan": the street, numbered, after the building's name (a
        # ring road or a pinyin name has no street word to be read by).
        n = _EN_NUMBERED_NAME_RE.match(wide, end)
        if n is not None and _names_a_place(n["name"]):
            end = n.end()
        # "88 Jianguo Road, Chaoyang District, Apt 1203": units may follow the district too.
        end = _units_after(norm, end)
    # "…, Seasons Park, Liangmaqiao", "…Seasons Park Liangmaqiao", "…wangjing soho chaoyang
    # district": a part more, when it is a whole clause of names (not "…, Need pest control"), a
    # numbered street or a district.
    while (more := _EN_MORE_PLACE_RE.match(wide, end)) is not None and (
            more["city"] is None or _names_a_place(more["city"])):
        words = _city_words(more["city"]) if more["city"] else None
        if words is not None and words != more["city"]:  # "…, Chaoyang\nThanks!": the place ends
            return more.start("city") + len(words)
        end = _units_after(norm, more.end())
    return end


def _units_after(norm: str, end: int) -> int:
    """Where the units said from `end` on end, with the flat's number said bare after them
    ("…, Jianwai SOHO tower B 1502"): left there, the flat was cut off the address."""
    units = _EN_UNITS_AFTER_RE.match(norm, end)
    flat = _EN_BARE_FLAT_AFTER_RE.match(norm, units.end()) if units.end() > end else None
    return flat.end() if flat else units.end()


def _names_a_place(words: str) -> bool:
    """Whether capitalised words after a comma may name a place: not a word that starts the
    next sentence ("Tomorrow", "Please") nor a given name signing the message."""
    first = words.split()[0]
    return first not in _NOT_CITY and first.lower() not in GIVEN_NAMES


def _score(cand: str) -> int:
    if not has_cjk(cand):
        return 1 if _EN_PLACE_RE.search(cand) else 0
    cand = _NOT_PLACE_WORDS.sub(" ", cand)
    strong = len(set(_STRONG_TOKENS.findall(cand)))
    weak = len(set(_WEAK_TOKENS.findall(cand)))
    units = 1 if _UNIT_TOKENS.search(cand) else 0
    return 2 * strong + min(weak, 2) + units


# 小区 said before the estate's name, as a form's label without its colon ("小区远洋山水，12号楼…",
# "小区名远洋山水"): no part of the address. Not 小区门口, 小区里 (a place in it), nor 小区3号楼.
_ESTATE_WORD_RE = guarded.compile(r"小区(?:名字?|名称)?(?:是|叫)?\s*(?=[\u4e00-\u9fff]{2})(?![门里内外的楼物保没有都])")


def _trim(wide: str, start: int, end: int) -> tuple[int, int]:
    junk = " ，,.。:：-—~"
    while start < end and wide[start] in junk:
        start += 1
    if (lead := _ESTATE_WORD_RE.match(wide, start, end)) is not None:
        start = lead.end()
    while end > start and wide[end - 1] in " ，,。:：-—~":
        end -= 1
    return start, end


def _en_marker(seg: str) -> re.Match[str] | None:
    """An English "at"/"in"/"to" before the address: in English text, or right before a
    Chinese one ("…3pm at 北京市朝阳区…"), which is the place's name without that word."""
    m = _EN_MARKER_RE.match(seg)
    if m is None or (has_cjk(seg) and not has_cjk(seg[m.end():m.end() + 1])):
        return None
    return m


def _candidate(norm: str, start: int, end: int, labelled: bool,
               min_score: int = 2) -> tuple[int, int, int] | None:
    """(start, end, score) of the address in norm[start:end], or None."""
    while start < end and norm[start].isspace():
        start += 1  # "urgent!!! 在望京SOHO": the marker is read after the spaces
    seg = norm[start:end]
    bonus = 0
    if not labelled and _LABEL_RE.match(seg):
        return None  # the label's own reading (find_address) turned it down: 地址等会儿发你
    if not labelled:
        m = _STRONG_MARKER_RE.match(seg) or _INNER_MARKER_RE.search(seg) or None
        if m:
            bonus = 2 if "小区" in m.group() else 1  # "小区是远洋山水": the estate's word, said in its marker
        else:
            m = _WEAK_MARKER_RE.match(seg) or _en_marker(seg)
        if m:
            start += m.end()
            seg = norm[start:end]
    else:
        m = _AFTER_LABEL_RE.match(seg)
        if m:
            start += m.end()
            seg = norm[start:end]
    cut = _CUT_RE.search(seg, 1) if has_cjk(seg) else None
    if cut:
        end = start + cut.start()
        seg = norm[start:end]
    if not has_cjk(seg):
        en_cut = _EN_CUT_RE.search(seg)
        if en_cut:
            end = start + en_cut.start()
            seg = norm[start:end]
    on_road = _ON_ROAD_RE.search(seg.rstrip())
    if on_road:
        end = start + on_road.start()
        seg = norm[start:end]
    if len(seg.strip()) < 2:
        return None
    if _NOT_ADDRESS.search(seg) or _LABEL_RE.fullmatch(seg.strip()) or _NOT_AN_EN_ADDRESS.match(seg.strip()):
        return None  # a question or complaint, or the label alone ("地址要改" cut at 要)
    if _HOME_SIZE_ALONE_RE.fullmatch(seg.strip()):
        return None  # "我们住两室一厅": the home's size (nlu.notes.bedrooms), not where it is
    if labelled:
        if not _score(seg) and _ABOUT_THE_ADDRESS_RE.match(seg):
            return None
        return start, end, 100
    score = _score(seg) + bonus
    return (start, end, score) if score >= min_score else None


def _labelled_end(norm: str, start: int, end: int) -> int:
    """Where a labelled address in Chinese text ends: at the first comma, unless
    what follows it is one more part of the address.

    "地址是 Suite 902, Tower A, 银泰中心" is one address in three parts, while in
    "地址：望京SOHO，麻烦快点" the comma ends it. A part counts when it has an
    address word or unit number of its own, or is a unit (Flat 2, Block C), and
    nothing that ends an address (a request, a question, a verb from _CUT_RE).
    """
    comma = _COMMA_RE.search(norm, start, end)
    if comma and not norm[start:comma.start()].strip():
        return comma.start()  # "地址写错了，是…": no address after the label itself
    before = norm[start:comma.start()].strip() if comma else ""
    while comma:
        following = _COMMA_RE.search(norm, comma.end(), end)
        part = norm[comma.end():following.start() if following else end].strip()
        looks_like_part = (_score(part) >= 1 or _EN_UNIT_PART_RE.fullmatch(part)
                           or _estate_after_units(before, part))
        if not looks_like_part or _CUT_RE.search(part) or _NOT_ADDRESS.search(part):
            return comma.start()
        comma, before = following, part
    return end


# An estate or building name, written after its English unit parts ("Room 1203, Tower 2, 汤臣一品"):
# English order goes from the flat to the estate, so what follows the units is the estate,
# whose name need not hold an address word. Not a request ("…, 快点来").
_ESTATE_NAME_RE = guarded.compile(r"[\u4e00-\u9fff·]{2,8}")
_ASKS_RE = guarded.compile(r"快|急|马上|赶紧|尽早|[来去到]$")


def _estate_after_units(before: str, part: str) -> bool:
    return bool(_EN_UNIT_PART_RE.fullmatch(before) and _ESTATE_NAME_RE.fullmatch(part)
                and not _ASKS_RE.search(part))


def _best_space_part(norm: str, start: int, end: int) -> tuple[int, int, int] | None:
    """The best address among the space-separated parts of a segment that is not
    one as a whole ("打扫下卫生不 朝阳区望京西园三区312楼"): only as a fallback, so an
    address written with spaces ("世纪大道100号 环球金融中心 45F") stays whole."""
    best: tuple[int, int, int] | None = None
    pos = start
    for sep in [*_CJK_SPACE_RE.finditer(norm, start, end), None]:
        part_end = sep.start() if sep else end
        if part_end - pos >= 2:
            # the part, or all from it on: "修热水器 不出热水 东城区 安定门 … 15号院 2号楼 3单元 101" is
            # no address as a whole (不), and its best part alone was "2号楼"
            for cand in (_candidate(norm, pos, part_end, labelled=False), _candidate(norm, pos, end, labelled=False)):
                if cand and (best is None or cand[2] > best[2]):
                    best = cand
        if sep:
            pos = sep.end()
    return best


# A district or city starting a space-separated part: "… 卫生间地漏 朝阳区 南磨房…".
_IN_THE_HOME_RE = guarded.compile(r"卫生间|厕所|洗手间|浴室|厨房|客厅|卧室|阳台|书房|地漏|马桶|下水道|水槽|水池"
                             r"|空调|油烟机|冰箱|洗衣机|热水器|燃气灶|柜|床|沙发|家具|锁")
_DISTRICT_PART_RE = guarded.compile(r"\s+(?=[\u4e00-\u9fff]{1,4}(?:区|市|县)(?![\u4e00-\u9fff]*(?:楼|层|室)))")


def _from_the_district(norm: str, start: int, end: int) -> int:
    """Where an address with words before its district starts: at the district, when those
    words, set apart by a space, name a place in the home and none outside ("来通下水道 卫生间地漏 朝阳区 南磨房…
    1号楼1205": where in the home was the address's start, for the technician to read)."""
    m = _DISTRICT_PART_RE.search(norm, start, end)
    before = norm[start:m.start()] if m is not None else ""
    return m.end() if m is not None and _IN_THE_HOME_RE.search(before) and not _score(before) else start


# A number of one or two digits: no address on its own ("10" answered to "what's the address?"
# is the hour of the morning asked before), as one digit is too short to be one.
_HOUR_LIKE_RE = guarded.compile(r"\d{1,2}")


def find_address(norm: str, wide: str, relaxed: bool = False, *, bare: bool = False) -> Span | None:
    """The best address in masked norm text.

    `relaxed` is for the answer to "what is the address?": the whole remaining
    text is the address (commas included) unless it is a question, and one
    sign of a place is enough (西单大悦城, 阳光100, Raffles Place) where a sentence
    needs two. Not none: what is left of "还是下午3点吧" or "oh wait, make it
    Sunday" once the time is taken ("还是", "oh wait, make it"), or "好的那就这样",
    "家里", "我在公司", would be saved as the address. `bare` (with `relaxed`) takes a
    name with no sign of a place too: where a move ends ("回龙观") is often an area,
    all a mover needs, where a visit needs the door ("请写到门牌号").
    """
    best: tuple[int, int, int] | None = None
    for m in _LABEL_RE.finditer(norm):
        stop = _LABEL_STOP_RE.search(norm, m.end())
        end = stop.start() if stop else len(norm)
        if has_cjk(norm[m.end():end]) and not relaxed:
            end = _labelled_end(norm, m.end(), end)
        cand = _candidate(norm, m.end(), end, labelled=True)
        if cand:
            best = cand
            break
    if best is None:
        for s, e in segments(norm, _RELAXED_SPLIT_RE if relaxed else SEGMENT_SPLIT_RE):
            if e - s < 2:
                continue
            cand = _candidate(norm, s, e, labelled=False, min_score=(0 if bare else 1) if relaxed else 2)
            if cand is None and not relaxed:
                cand = _best_space_part(norm, s, e)
            if cand and (best is None or cand[2] > best[2]):
                best = cand
    if best is None:
        return None
    s, e = _trim(wide, _from_the_district(norm, best[0], best[1]), best[1])
    if e - s < 2 or _HOUR_LIKE_RE.fullmatch(wide, s, e):
        return None
    joined = None if relaxed else _estate_and_units(norm, wide, Span(s, e))
    return joined or Span(s, e, wide[s:e].strip())


# A clause that is only the building, unit and room, as said after the estate's clause
# ("金隅汇景苑，6号楼3单元902", "…，具体是6号楼…", "…，房号6-3-902"): its lead-in, then the units.
_UNITS_CLAUSE_RE = guarded.compile(
    r"\s*(?P<lead>(?:具体(?:地址)?|房号|门牌号?)?(?:是|在)?[:：]?)\s*"
    r"(?P<units>(?:[a-z]?\d+[a-z]?\s*(?:号楼|号院|楼|栋|幢|座|单元|层|室|号)\s*)+(?:[a-z]?\d+[a-z]?\s*室?)?"
    r"|[a-z]?\d+(?:\s*-\s*\d+){1,3}(?:\s*室)?)\s*")
_CLAUSE_GAP_RE = guarded.compile(r"\s*[，,、]\s*")
# A building, unit or room already named: that clause needs no other (a street's own number,
# 建国路88号, is no unit).
_HAS_UNITS_RE = guarded.compile(r"\d+[a-z]?\s*(?:号楼|号院|楼|栋|幢|座|单元|层|室)|\d+\s*-\s*\d+|[a-z]\d{2,}|\d{3,}(?!\s*号)")


def _estate_and_units(norm: str, wide: str, found: Span) -> Span | None:
    """The estate's clause and the units' clause right after it, read as one address:
    "我家在朝阳区东坝金隅汇景苑，6号楼3单元902" is 朝阳区东坝金隅汇景苑6号楼3单元902. Apart, the
    units clause outscores the estate's (号楼, 单元, a room number) and the estate was left
    to the note, or the estate won and the room was. Joined without the comma, as an
    address is written; None when `found` has no such neighbour."""
    clause = next(s for s, e in segments(norm) if s <= found.start <= e)  # with its lead-in (具体是)
    if units_clause := _UNITS_CLAUSE_RE.fullmatch(norm, clause, found.end):
        gap = _gap_before(norm, clause)
        estate = _estate_clause(norm, gap.start()) if gap else None
        if estate is None:
            return None
        units = units_clause
    else:
        estate = Span(found.start, found.end)
        if _HAS_UNITS_RE.search(norm, found.start, found.end):
            return None
        gap = _CLAUSE_GAP_RE.match(norm, found.end)
        end = next((e for s, e in segments(norm) if s == gap.end()), None) if gap else None
        units = _UNITS_CLAUSE_RE.fullmatch(norm, gap.end(), end) if gap and end is not None else None
        if units is None:
            return None
    s, e = _trim(wide, estate.start, estate.end)
    return Span(s, units.end("units"), with_units(wide[s:e].strip(), [wide[units.start("units"):units.end("units")].strip()]))


def _gap_before(norm: str, start: int) -> re.Match[str] | None:
    """The comma between a clause and the one before it, if only a comma parts them."""
    pos = start
    while pos > 0 and norm[pos - 1] in " ，,、":
        pos -= 1
    gap = _CLAUSE_GAP_RE.fullmatch(norm, pos, start)
    return gap if gap and pos > 0 else None


def _estate_clause(norm: str, end: int) -> Span | None:
    """The place named in the clause that ends at `end`, when it names no unit of its own
    (an estate, a street and its number, a district), with its lead-in (我家在, 小区是) left out."""
    start = next((s for s, e in segments(norm) if e == end), None)
    cand = _candidate(norm, start, end, labelled=False) if start is not None else None
    if cand is None or _HAS_UNITS_RE.search(norm, cand[0], cand[1]):
        return None
    return Span(cand[0], cand[1])


# A move's two addresses: "从望京SOHO搬到回龙观", "望京SOHO搬去回龙观", "moving from 18 Orchard
# Road to 5 Marina Bay". Only in a message about moving (MOVING_RE): elsewhere 从…到… is a
# span of time or a route to somewhere.
MOVING_RE = guarded.compile(r"搬|\bmov(?:e|es|ing|ers?)\b|\brelocat|\bremoval", re.IGNORECASE)
_PART = r"[^，,。；;!！?？\x00]{2,40}?"
# A start already taken (masked) is an English street read before dates ("从 88 Jianguo Road
# apt 1203 搬到 5 Dongzhimen St"): the route gives its end only.
_ROUTE_ZH_RE = guarded.compile(
    rf"从\s*(?P<a>{_PART}|\x00+)\s*(?:搬|运|拉|送)?(?:到|去|至|往)\s*(?P<b>[^，,。；;!！?？\x00]{{2,40}})"
    rf"|(?P<a2>[^从搬，,。；;!！?？\x00\s]{{2,40}}?)\s*搬(?:到|去|往|至)\s*(?P<b2>[^，,。；;!！?？\x00]{{2,40}})")
# Where a move ends, said on its own: "搬到回龙观" opening the message, "新家地址改成…",
# "目的地写错了，是…", "搬去的地址是…". No start: the address stays what it was.
_DESTINATION_ZH_RE = guarded.compile(
    r"(?:^\s*(?:我|我们|我家)?(?:要|想)?搬(?:到|去|往|至)(?!的)\s*[:：]?"
    r"|(?:新家|目的地|搬(?:到|去)的(?:地址|地方))(?:的?地址)?[^，,。；;!！?？\x00]{0,4}?"
    r"(?:写错了|错了|不对)?\s*[，,]?\s*(?:改成|改为|换成|应该是|是|在|[:：]))"
    r"\s*(?P<b>[^，,。；;!！?？\x00]{2,40})")
# The same in English, before a street: "moving to 12 Baker Street", "change the destination
# to …", "our new home is …". Only a street follows "moving to" ("move to Friday" is a new
# time) or an area ("moving to Shunyi", as "搬到顺义"); after a label ("destination: …", "to: …",
# "new home is …") any place named does.
_DESTINATION_EN_RE = guarded.compile(
    r"(?:\b(?P<verb>(?:moving|move|relocating|relocate)\s+(?:house\s+)?to)"
    r"|^\s*to\s*:"
    r"|\bdestination(?:\s+address)?\s*(?:is now|is|should be|to|:)"
    r"|new (?:home|place|flat|house|apartment)(?:'s address)?\s*(?:is|will be|:))\s*", re.IGNORECASE)
# A move's end in English, up to what follows it in the sentence (then `_place_end` adds the
# district after a comma: "… to 12 Lake View, Shunyi").
_EN_END = (r"(?P<b>[^,;!?\x00]{3,60}?)"
           r"(?=\s+(?:on|at|this|next|tomorrow|today|tonight|please|my|and|from)\b|\s*[,;.!?\x00]|\s*$)")
_ROUTE_EN_RE = guarded.compile(rf"\bfrom\s+(?P<a>[^,;!?\x00]{{3,60}}?)\s+to\s+{_EN_END}", re.IGNORECASE)
_EN_END_RE = guarded.compile(_EN_END, re.IGNORECASE)
# Rooms of one home (furniture moved from one to another is no move between addresses),
# and the customer's home said as such: no place to go to.
_NOT_A_PLACE_RE = guarded.compile(r"^(?:卧室|主卧|次卧|客厅|厨房|阳台|书房|房间|餐厅|卫生间|楼上|楼下|一楼|二楼|门口|我|家|咱)")


def find_route(norm: str, wide: str, *, latin: bool, move: bool = False) -> tuple[Span | None, Span] | None:
    """Where a move starts and where it ends, in (masked) norm text; None when the
    message names no such pair, and no start when it is no place we can go to
    ("我家要搬到回龙观") or one already read (an English street, masked). The start is the
    visit's address. `latin` reads "from … to …"
    (before English streets are taken), else 从…到… (after dates and times are
    masked, so "搬到回龙观周六上午" ends at the place). `move`: the booking is known to be a
    move, so "from … to …" needs no word of moving."""
    if not latin:
        m = _DESTINATION_ZH_RE.search(norm)
        if m is not None:
            end = _route_end(wide, m.start("b"), m.end("b"))
            return None if end is None else (None, end)
    for m in _DESTINATION_EN_RE.finditer(norm) if latin and "from" not in norm else ():
        street = find_en_street(norm, wide, m.end())
        if street is not None and street.start == m.end():
            return None, street
        verb = m.group("verb") is not None
        named = _moved_to(norm, wide, m.end()) if verb else _labelled_place(norm, wide, m.end())
        if named is not None:
            return None, named
    if not (move or MOVING_RE.search(norm)):
        return None
    if latin:
        route = _street_route(norm, wide)
        if route is not None:
            return route
    if latin:  # "moving tomorrow from 9am to 1pm from Wangjing to Shunyi": the hours are no route
        m = next((m for m in _ROUTE_EN_RE.finditer(norm)
                  if not any(_is_when(norm[m.start(g):m.end(g)]) for g in ("a", "b"))), None)
    else:
        m = _ROUTE_ZH_RE.search(norm)
    if m is None:
        return None
    a, b = ("a2", "b2") if not latin and m.group("a") is None else ("a", "b")
    starts = [_past_the_home(norm, m.start(g), m.end(g)) if latin else m.start(g) for g in (a, b)]
    if latin and not all(wide[s].isupper() or wide[s].isdigit() for s in starts):
        return None  # "from the bedroom to the living room": no places
    ends = [m.end(a), _place_end(norm, wide, m.end(b)) if latin else m.end(b)]
    start, end = (None if norm[s] == MASK else _route_end(wide, s, e) for s, e in zip(starts, ends))
    return None if end is None else (start, end)


# A home said before the place it is in: "from a 2 bedroom flat in Wangjing", "to our new house in
# Shunyi". The home's size is the note's (nlu.notes.home_size); the place is the move's end.
_HOME_IN_RE = guarded.compile(
    r"(?:an?|my|our|the)\s+(?:[\w-]+\s+){0,3}?(?:flat|apartment|apt|house|home|place|condo|villa|studio)\s+(?:in|at)\s+",
    re.IGNORECASE)


def _past_the_home(norm: str, start: int, end: int) -> int:
    """Where the place of one end of an English route starts: past a home said before it
    ("a 2 bedroom flat in Wangjing" → Wangjing), else `start`."""
    m = _HOME_IN_RE.match(norm, start, end)
    return m.end() if m is not None and m.end() < end else start


# Any day: which one does not matter to whether words name a day or an hour (`_is_when`).
_SOME_DAY = date(2026, 1, 1)


def _is_when(side: str) -> bool:
    """Whether one side of "from … to …" is a day or an hour and no place: nothing with a
    letter in it is left once the day and time read in it are set aside ("3pm", "Friday",
    "Friday 9am", "10"), as "8 Park Road" or "Shunyi" has."""
    rest = mask(side, extract_when(side, _SOME_DAY, time_expected=True).spans)
    return not any(ch.isalpha() for ch in rest)


# Between a move's two ends when they are English streets, which hold commas and Chinese may
# follow with no space: "from Unit 5 X Building, 12 Dongzhimen St to 88 Jianguo Rd", "从 88
# Jianguo Road apt 1203 搬到 5 Dongzhimen St".
_FROM_RE = guarded.compile(r"(?:(?<![a-z])from|从)\s*\Z")
_TO_RE = guarded.compile(r"\s+to\s+|\s*(?:搬|运|拉|送)?(?:到|去|至|往)\s*")


def _street_route(norm: str, wide: str) -> tuple[Span | None, Span] | None:
    """A move's ends where its end is an English street, read before dates as streets are:
    from a street (or, in Chinese, from a place named in Chinese, "从望京SOHO搬到 5 Dongzhimen
    St") to a street. A Chinese end after an English street is left to the 从…到… reading after
    dates (the street is the address by then, `_ROUTE_ZH_RE`), which ends it before a time."""
    pos = 0
    while (a := find_en_street(norm, wide, pos)) is not None:
        to = _TO_RE.match(norm, a.end)
        # the first end read right after "to": a street, else an area ("Yizhuang, 8 Lake View Road":
        # a street further on is not the end)
        ends = (find_en_street(norm, wide, to.end()), _moved_to(norm, wide, to.end()),
                _named_end(norm, wide, to.end())) if to else ()
        b = next((e for e in ends if e is not None and e.start == to.end()), None)
        if _FROM_RE.search(norm, 0, a.start) and b is not None:
            return a, b
        pos = a.end
    m = _ROUTE_ZH_RE.search(norm)
    if m is None or m.group("a") is None or norm[m.start("a")] == MASK:
        return None
    b = find_en_street(norm, wide, m.start("b"))
    if b is None or b.start != m.start("b") or b.end > m.end("b"):
        return None
    start = _route_end(wide, m.start("a"), m.end("a"))
    named = start is not None and (has_cjk(start.value) or _score(start.value) > 0)  # "Unit 5 X Building"
    return (start, b) if named else None


def _named_end(norm: str, wide: str, pos: int) -> Span | None:
    """A move's end after "to" that is neither a street nor an area alone, written as a place
    is (capitalised or numbered) and no day or hour: "12 Lake View, Shunyi" after a street."""
    m = _EN_END_RE.match(norm, pos)
    if m is None or not (wide[pos].isupper() or wide[pos].isdigit()) or _is_when(m.group("b")):
        return None
    return _route_end(wide, pos, _place_end(norm, wide, m.end()))


# An area named alone as a move's end ("from Apt 5, 18 Xinyuan Road to Shunyi"), as "从…搬到顺义"
# is: a mover needs no more. Capitalised words, then the end of the clause or what comes after.
_NAMED_AREA_RE = guarded.compile(r"[A-Z][A-Za-z'-]+(?: [A-Z][A-Za-z'-]+){0,3}"
                            r"(?=\s*(?:[,;.!?\x00]|$)|\s+(?:on|at|this|next|tomorrow|today|please|and)\b)")


_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())


def _named_area(wide: str, pos: int) -> Span | None:
    """The area `_NAMED_AREA_RE` reads at `pos`, unless it is a day or a word of the sentence."""
    m = _NAMED_AREA_RE.match(wide, pos)
    if m is None or m.group().split()[0] in _NOT_CITY or m.group().split()[0].lower() in _MONTHS:
        return None
    return Span(m.start(), m.end(), m.group())


# Where a place said after a label gives way to the rest of the sentence ("to: Villa 12,
# Yosemite next saturday"): the day is read apart, after the place.
_CLAUSE_NEXT_RE = guarded.compile(r"[\s,]+(?:on|at|this|next|tomorrow|today|tonight|please)\b", re.IGNORECASE)


def _labelled_place(norm: str, wide: str, pos: int, *, numbered: bool = False) -> Span | None:
    """The place after an English label of a move's end ("destination: Villa 12 Yosemite"),
    to the end of its clause: it need not be a street. One that opens with a capital or a
    digit, as places are written ("destination is wrong" names none), and no day ("to:
    Friday"). `numbered` (after "moving to", which a day may follow too): only a named place
    with a number in it ("moving to Villa 12, Yosemite compound")."""
    stop = _LABEL_STOP_RE.search(norm, pos)
    end = stop.start() if stop else len(norm)
    after = _CLAUSE_NEXT_RE.search(norm, pos, end)
    place = _route_end(wide, pos, after.start() if after else end)
    if place is None or not (place.value[0].isupper() or place.value[0].isdigit()):
        return None
    first = place.value.split()[0].strip(",")
    if first in _NOT_CITY or first.lower() in _MONTHS:
        return None
    if numbered and not (place.value[0].isupper() and any(ch.isdigit() for ch in place.value)):
        return None
    return place


def _moved_to(norm: str, wide: str, pos: int) -> Span | None:
    """Where a move goes after "to" when it is no street: an area ("Shunyi") or a named place
    with a number ("Villa 12, Yosemite compound, Shunyi"), not a day ("to Friday")."""
    area = _named_area(wide, pos)
    if area is not None:  # "Shunyi, 8 Lake View Road": the street in it too
        return _route_end(wide, pos, _place_end(norm, wide, area.end))
    return _labelled_place(norm, wide, pos, numbered=True)


def _route_end(wide: str, s: int, e: int) -> Span | None:
    """One end of a move, if it names a place: not a room of the home, not "我家"."""
    s, e = _trim(wide, s, e)
    text = wide[s:e].strip()
    if len(text) < 2 or _NOT_ADDRESS.search(text) or _NOT_A_PLACE_RE.match(text):
        return None
    return Span(s, e, text)


# A move's two ends said with no 搬, as an answer in a move being booked: "从望京西园三区到五道口
# 华清嘉园", "昌平回龙观到朝阳双井". `find_route` reads 从…到… only in a message about moving
# (elsewhere it is a span of time or a way somewhere); the dialogue knows the booking is a move.
_SAID_ROUTE_RE = guarded.compile(
    r"(?:^|(?<=[，,。；;!！?？\s从]))\s*(?P<a>[^从到搬，,。；;!！?？\s]{2,30}?)\s*(?:搬|运|拉|送)?(?:到|至)(?!了)"
    r"\s*(?P<b>[^，,。；;!！?？\s]{2,30}?)[吧啊呢哈]?(?=[，,。；;!！?？\s]|$)")
# A side that is a day or an hour, not a place: "3点到5点", "明天到后天", "上午到下午".
_WHEN_WORD_RE = guarded.compile(r"\d|[今明后昨前]天|[上中下]午|早上|晚上|周|星期|礼拜|点|月|号$")
# A side that is what is moved, who moves it, or a change asked for, not a place: "地址改到…",
# "东西拉到…", "师傅直接到…", "帮我送到…", "那就到…吧".
_NOT_ROUTE_SIDE_RE = guarded.compile(r"地址|地方|新家|目的地|师傅|东西|家具|行李|帮|请|麻烦|直接|就|要|想|能|可以|[改换挪调]")


def find_said_route(text: str) -> tuple[str, str] | None:
    """Where a move starts and ends in `text` said as "从A到B", "A到B" or "from A to B" without
    搬 or "move", when both sides look like places (a place's signs, or a name that is no day, hour, room or "我家");
    None otherwise. For the dialogue, once it knows the booking is a move."""
    for m in _SAID_ROUTE_RE.finditer(text):
        ends = [_route_end(text, m.start(g), m.end(g)) for g in ("a", "b")]
        if all(e is not None and not _NOT_ROUTE_SIDE_RE.search(e.value)
               and (_score(e.value) > 0 or not _WHEN_WORD_RE.search(e.value)) for e in ends):
            return ends[0].value, ends[1].value  # type: ignore[union-attr]
    said = normalize(text)  # "from Chaoyang Park … to Haidian …": the English route, no "move" needed
    route = find_route(said.norm, said.wide, latin=True, move=True)
    return (route[0].value, route[1].value) if route is not None and route[0] is not None else None


# "The same address as last time", named as such: 上次那个地址, 还是原来的地址, 老地方, 地址一样,
# 地址跟上次一样, 同一个地址, "same address as last time", "the usual place". No address: the dialogue
# looks up the customer's last one.
_LAST = r"(?:上次|上回|之前|以前|原来|老)"
_SAME_ADDRESS_RE = guarded.compile(
    rf"(?:还是|就是|就|也|都|用)?(?:跟|和|同|与)?{_LAST}(?:一样)?(?:的|那个|那)?(?:地址|地方)"
    rf"|(?:地址|地方)\s*(?:还是|也|都|就)?(?:跟|和|同|与)?{_LAST}?(?:的)?(?:一样|相同|不变|没变|照旧|同上)"
    # "后天除蟑螂，同一个地址" from a customer with an order booked there
    r"|(?:还是|就是|就|也|都|用)?(?:同一个?|同个|一样的|相同的?)(?:地址|地方)"
    r"|(?<![a-z])(?:(?:the\s+)?same\s+(?:address|place|location)(?:\s+as\s+(?:last\s+time|before|usual))?"
    r"|(?:the\s+|my\s+)?(?:usual|previous|last|old)\s+(?:address|place)"
    r"|(?:address|place)\s+(?:is\s+)?(?:the\s+)?same(?:\s+as\s+(?:last\s+time|before))?)(?![a-z])")
# Said to "what is the address?", the same words need not name it: 跟上次一样, "same as last time",
# 还是那里.
_SAME_AS_BEFORE_RE = guarded.compile(
    rf"^\s*(?:还是|就是|就|也)?(?:跟|和|同|与)?{_LAST}(?:一样|那里|那儿|那个|那)\s*(?:吧|的|啊|哈)?\s*[。.!！~]*\s*$"
    # "还是那里" to "上次是…，还是这里吗？" (a returning customer's address offered)
    r"|^\s*(?:(?:是的?|对|嗯)\s*[，,]?\s*)?(?:还是|就是?|也是)(?:那里|那儿|这里|这儿|那个地址|这个地址)\s*(?:吧|的|啊|哈)?\s*[。.!！~]*\s*$"
    r"|^\s*(?:the\s+)?same(?:\s+as\s+(?:last\s+time|before|usual))?\s*(?:please|thanks)?\s*[.!]*\s*$"
    r"|^\s*as\s+(?:before|last\s+time|usual)\s*[.!]*\s*$")


def find_same_address(norm: str, *, asked: bool) -> Span | None:
    """Where the message says the address is the one used before ("地址跟上次一样",
    "same address as last time"), or is only that answer to the address question
    (`asked`: "跟上次一样"); else None. Read before `find_address`, which would keep
    the words themselves ("一样", "上次那个地址") as the address."""
    m = _SAME_ADDRESS_RE.search(norm) or (_SAME_AS_BEFORE_RE.search(norm) if asked else None)
    if m is None or _NOT_THE_SAME_BEFORE_RE.search(norm, 0, m.start()) \
            or _NOT_THE_SAME_AFTER_RE.match(norm, m.end()):
        return None
    return Span(m.start(), m.end(), True)


# "不是上次那个地址", "之前的地址写错了", "原来的地址不对，改成…": the old address is what is changed.
_NOT_THE_SAME_BEFORE_RE = guarded.compile(r"(?:不是|不要|别|不用|not|don't|dont)\s*(?:用|去|写)?\s*$")
_NOT_THE_SAME_AFTER_RE = guarded.compile(r"\s*(?:写?错|不对|有误|要?改|换|不用|不要|作废|is wrong|was wrong|changed)")


# A clause that is only a building, unit, floor or room: "T1栋1203", "3号楼", "6楼", "T1-1203",
# "apt 1203", "Flat 5, Block C" (the comma splits it into two such clauses).
_UNITS_ONLY_RE = guarded.compile(
    r"\s*(?:(?:[a-z]?\d+[a-z]?\s*(?:号楼|号院|楼|层|室|单元|栋|幢|座)\s*)+(?:[a-z]?\d+[a-z]?\s*(?:室|号)?)?"
    rf"|[a-z]\d*-\d+(?:\s*室)?|{_EN_UNIT}(?:\s*,?\s*{_EN_UNIT})*)\s*", re.IGNORECASE)


def find_units_apart(work: str, wide: str) -> list[Span]:
    """Clauses, apart from the address read, that are only its building, unit or room:
    "朝阳区望京SOHO，13812345678，T1栋1203" (the phone cut the address in two, and the
    room was lost with nothing to ask for it again). Clauses with anything else in them
    (masked readings, words) are not taken: "住6楼" may be a note, "3台" a quantity."""
    return [Span(s, e, wide[s:e].strip()) for s, e in segments(work)
            if e > s and _UNITS_ONLY_RE.fullmatch(work, s, e)]


# A line under an English address's line that is more of it: a street, units, or a place's
# capitalised name ("London", "Chaoyang District", "London SW1A 1AA").
_EN_PLACE_LINE_RE = guarded.compile(r"[A-Z][A-Za-z'-]+(?: [A-Z][A-Za-z'-]+){0,3}(?: [A-Z0-9]{2,4} ?[0-9][A-Z]{2})?")


def continues_address(line: str) -> bool:
    """Whether `line`, under an address's line in a form ("地址：朝阳区望京\n望京西园三区310号楼",
    "Address: Flat 3\n8 Park Road\nLondon"), is more of the address: in Chinese, signs of a
    place as a sentence needs them, or units alone ("1101"); in English a street, units or a
    place's name. Not a line of the booking's own ("明天下午3点保洁", "tomorrow 3pm")."""
    line = line.strip()
    if has_cjk(line):
        return not _NOT_ADDRESS.search(line) and not _CUT_RE.search(line) and (
            _score(line) >= 2 or _UNITS_ONLY_RE.fullmatch(line) is not None or _UNIT_TOKENS.fullmatch(line) is not None)
    lower = line.lower()
    if _EN_STREET_RE.fullmatch(lower) or _UNITS_ONLY_RE.fullmatch(lower):
        return True
    return _EN_PLACE_LINE_RE.fullmatch(line) is not None and _names_a_place(line) and line.lower() not in _MONTHS


def units_only(text: str) -> str | None:
    """The message when it is nothing but a building, unit or room ("Apt 5B", "Rm 1203", "unit 3",
    "building 6 room 601", "1203室", "T1-1203"), else None: sent alone once the street is known, it is that address's
    rest, not a whole address to replace it (nlu.corrections.room_fix)."""
    bare = text.strip(" \t.,，。;；!！")
    return bare if bare and _UNITS_ONLY_RE.fullmatch(bare) else None


def en_units(text: str) -> list[Span]:
    """The English units in `text` ("Building 5", "room 302", "Tower A"), in order: what a unit
    sent alone puts right is the one of its kind (nlu.corrections.with_room)."""
    return [Span(m.start(), m.end(), m.group()) for m in _EN_UNIT_PART_RE.finditer(text)]


def lacks_units(address: str) -> bool:
    """Whether an address names no room or unit yet ("朝阳区望京SOHO", "88 Jianguo Road"): only
    then is a unit said apart its own ("…T1-1203，没有电梯，6楼" says the stairs, a note)."""
    if has_cjk(address):
        return not any(c.isdigit() for c in address)
    return _EN_UNIT_PART_RE.search(address) is None


def with_units(address: str, units: list[str]) -> str:
    """The address with the units said apart joined on, as people write them: in Chinese
    right after it ("金隅汇景苑6号楼3单元902"), after a space where two Latin words or numbers
    would run together ("朝阳区望京SOHO T1栋1203"); after a comma in English."""
    if not has_cjk(address):
        return ", ".join([address, *units])
    for unit in units:
        address += (" " if address[-1:].isascii() and address[-1:].isalnum() and unit[:1].isascii() else "") + unit
    return address


# The Chinese punctuation that `normalize` folds to ASCII in `wide` (，→, （→( …): a Chinese
# address is shown as typed ("…505，地铁站旁边", "902室（靠近地铁3号线）").
_TYPED_PUNCTUATION = frozenset("，：；！？（）")


def with_typed_punctuation(wide: str, text: str) -> str:
    """`wide` with the customer's full-width punctuation from `text` put back, for cutting the
    address from; `wide` itself where the two do not align character for character, or
    for an English message (its address keeps the ASCII commas its finders read)."""
    if len(text) != len(wide) or not has_cjk(wide):
        return wide
    return "".join(t if t in _TYPED_PUNCTUATION else w for w, t in zip(wide, text))
