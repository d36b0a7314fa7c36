"""Intent keywords and the rules that weigh them against the slots found.

The keyword data is a plain mapping (intent -> language -> regex sources) on
purpose: the next step trains a classifier from Rasa-format YAML, and these
tables can then be loaded from the same files or used as its fallback. Nothing
else in this module knows a keyword.

The decision is ordered, not scored, because the intents are not symmetric:
a message that names a human or a cancellation must never be read as a booking
even when it also carries a date ("取消明天的预约"), while a bare "好的" is an
answer to the bot's last question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

from nlu import guarded
from nlu.corrections import DETAIL_GIVEN_UP, SAID_WRONG_EN
from nlu.datetime_rules import HOUR_CHANGED_RE, MOVED_TO_A_TIME_RE
from nlu.staff_questions import STAFF_ZH

# "move it to Friday", "move my cleaning to next week": a move whose "to" names a time. Things
# are moved to places ("move the sofa to the bedroom tomorrow", "… from the bedroom to …").
_MOVE_TO_A_TIME = (r"(?:move|push|bump|shift) (it|my|the|our)\b(?:(?!\bfrom\b).){0,25}\bto (?:the |this |next |a |an )?"
                   r"(?:\d|mon|tue|wed|thu|fri|sat|sun|tomorrow|today|tonight|noon|midday|morning|afternoon|"
                   r"evening|night|later|earlier|another|other|different|week|weekend|jan|feb|mar|apr|may|jun|jul|"
                   r"aug|sep|oct|nov|dec|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)")

# "change my haircut to 4pm", "switch the lesson to Sunday": any service's visit moved to a day or
# an hour (a bare number may be a new address's: "change my address to 5 Baker Street").
_CHANGE_TO_A_TIME = (r"(?:change|switch|shift) (?:my|the|our)\b(?:(?!\b(?:from|address|phone|number|name|notes?)\b).)"
                     r"{0,25}\bto (?:the |this |next )?(?:\d{1,2}(?::[0-5]\d)?\s*[ap]\.?\s?m|mon|tue|wed|thu|fri|sat|"
                     r"sun|tomorrow|today|tonight|noon|midday|morning|afternoon|evening|later|earlier)")

# "move from 3pm to 5pm", "move to friday": a visit moved (nlu.datetime_rules), as keywords, which
# are joined into one pattern and so name no group.
_HOUR_CHANGED, _MOVED_TO_A_TIME = (rx.pattern.replace("(?P<verb>", "(?:") for rx in (HOUR_CHANGED_RE, MOVED_TO_A_TIME_RE))

# Complaining in so many words, a complaint and a request for a person; not "没什么可投诉的",
# "no complaints, great job", "can't complain": praise.
_COMPLAIN_ZH = r"(?<!没什么可)(?<!没什么好)(?<!没什么)(?<!没啥可)(?<!没啥)(?<!没有)(?<!无可)(?<!不用)投诉"
_COMPLAIN_EN = r"(?<!\bno )(?<!\bnothing to )(?<!\bcan't )(?<!\bcannot )(?<!\bcant )\bcomplain"

# intent -> {"zh": [...], "en": [...]}: regex sources matched on normalised text.
INTENT_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "human": {
        "zh": ("转人工", "人工客服", "人工服务", "人工", "找客服", "联系客服", "客服电话", r"(?<![是还])真人(?![吗嘛么啊])", "活人", "找个人",
               _COMPLAIN_ZH, "负责人", "找老板", "找经理", r"(叫|找|让)你们?(的)?(经理|老板|领导|主管)", "客服", "给我打电话", "打电话给我", "打个电话给我",
               r"(回|打)个?电话给我", r"给我回(个)?电话", r"给我(打|来)个电话",
               r"(别|不要)用?机器人", r"(叫|找|换)个?(真)?人(来|跟|和|聊)", r"工作人员", "人工的",
               r"没(有)?人(回|理|管|接)"),
        "en": (r"\bhuman\b", r"real person", r"\bagent\b", r"\boperator\b", r"representative", r"call me back", r"(have|get) (someone|somebody) (to )?call",
               r"\b(your|the) (manager|supervisor|boss)\b",
               r"talk to (a |an |some)?(person|one|body|human|staff|manager)", r"speak (to|with) (a |an |some)?"
               r"(person|one|body|human|manager|staff)", r"customer service", _COMPLAIN_EN, r"\bcall me\b(?! [a-z])",
               ),
    },
    "cancel": {
        "zh": (r"(?<![不别])取消", "不要了", "不用来了", "不用过来了", "别来了", "不来了", "不约了", "不做了", "不订了",
               "退单", "撤单", "撤销", r"撤了", r"(单|订单|预约)[^，,。]{0,3}(删|退)掉?", "作废", "算了不要", "不想要了", "不想约了", r"不(需要|要|用)[^，,。]{1,8}了"),
        "en": (r"(?<!don't )(?<!do not )\bcancel", r"\bcancl", r"call (it )?off", r"don'?t (come|need (it|you|the))",
               r"no longer need", r"\bcancle"),
    },
    "reschedule": {
        "zh": ("改时间", "改日期", "改期", "改约", "改天", "改一下时间", "改个时间", "改到", "改成", "改为", "换个时间",
               "换一个时间", "换时间", "换到", "换成", "延期", "推迟", "推后", "往后推", "往后挪", "往后延", "提前", "挪到", r"往后(推|挪|延)一",
               "挪一下", "调整时间", "调一下时间", "调时间", "改签", "能不能晚点", "能不能早点", r"时间.{0,3}(改|换|调)",
               r"(改|换|调).{0,2}(时间|日期)",
               # "保洁能推到下午两点吗": pushed to a day or an hour
               r"推到(?=.{0,4}(\d|[一二三四五六七八九十两]|明|后|今|下|上|晚|早|中|周|星期|礼拜))"),
        "en": (r"re-?schedul", r"reshedul", r"\bresched\b", r"change (the |my )?(time|date|appointment|booking|day)",
               r"change (it|that) to", _MOVE_TO_A_TIME, _CHANGE_TO_A_TIME, r"postpone", r"push (it |that )?(back|to)",
               r"bring (it |that )?forward", r"(different|another) (time|day|date)", _HOUR_CHANGED, _MOVED_TO_A_TIME,
               # "could the plumber come Thursday instead?": with a day or an hour, the visit moves
               r"\binstead\b",
               # "sorry, 4pm not 3", "4 not 3": an hour put right
               r"\b\d{1,2}(:\d{2})?\s*(am|pm|o'?clock)?,?\s+not\s+\d{1,2}(:\d{2})?\s*(am|pm|o'?clock)?\s*[.!?]*$"),
    },
    "status": {
        "zh": (r"订单(状态|进度|怎么样|到哪|呢|情况|在哪|处理)", r"我的(订单|预约|单子)", r"(查|看)(一下|询|查)?(我的)?(订单|预约|进度)",
               r"(?<!能)(?<!可以)什么时候(到|来)", r"几点(到|来)(?!几)", r"怎么还没(到|来|人)", r"到哪(了|儿)", r"还没(到|来)",
               r"多久(到|能到)", r"派单|接单了吗|有人接单", r"(预约|订单|下单)(成功|确认)了(吗|没)", r"师傅(出发|到)了(吗|没)",
               r"在路上了?吗", r"^(师傅|人)?到了(吗|没)", r"(确认|安排|搞定|处理)(好)?了(吗|没有?)", r"(预约|订单|单子|预定)还在(吗|不)",
               r"出门了(吗|没)", r"出发了(吗|没)", r"(?<![个位\d一二两三四五六七八九十几])人呢", r"进度", r"有(消息|回复)了?(吗|没)",
               r"(还有|有)(哪些|哪几个|几个|什么)(订单|预约|单子)",
               # "我昨天约的开锁怎么没人联系我": an order booked, nobody heard from (no new booking)
               r"(怎么|为什么|为啥|咋)(还|都|一直)?没(有)?人?(联系|打电话|给我打电话|来电话|回复|回电话|理)",
               # 都等了40分钟了 / 人到底来不来: still waiting (等了半小时才到 is a review's past)
               r"等了[^，,。才]{0,6}(分钟|小时|钟头|半天|好久)了", r"(到底|究竟)?(来不来|到不到)(啊|呀|了)?\W*$"),
        "en": (r"where('s| is) my (order|booking|cleaner|technician|plumber|guy)", r"order status", r"\bstatus\b", r"where('s| is| are) (the|my|our) (?!(?:studio|shop|salon|store|office|place|clinic|cent(?:re|er)|workshop|address|parking|entrance|building|car ?park)\b)[a-z]+\s*\??$", r"where('s| is| are) (the|my|our) (?!(?:studio|shop|salon|store|office|place|clinic|cent(?:re|er)|workshop|address|parking|entrance|building|car ?park)\b)[a-z]+\s*[?,.!]",
               r"track(ing)?\b.{0,10}(order|booking)", r"when (will|is|does) (the|my|your)?\s?.{0,20}(arrive|come|coming|get here|be here)",
               r"is (my|the) (order|booking) confirmed", r"check (on )?(my )?(order|booking)", r"what about my order",
               r"any update", r"\b(left|arrived|here) yet\b", r"\bconfirmed\s*\?", r"still (on|booked|happening)",
               r"is (he|she|they|someone|somebody|anyone|anybody) (actually |still |even )?(coming|on the way)",
               # "how long until they arrive?"
               r"\bhow long (until|till|before) (they|he|she|someone|somebody|the [a-z]+) "
               r"(arrives?|gets? here|comes?|(is|are|will be) here)\b",
               # "is my cleaner coming?", "is the plumber on his way?"
               r"\b(is|are) (my|the|our) (cleaners?|technician|tech|plumber|locksmith|worker|guy|ayi|movers?|handyman) "
               r"(actually |still |even )?(coming|on (the|his|her|their) way)",
               r"\b(hasn'?t|has not|haven'?t|have not|didn'?t|did not) (shown up|show up|turned up|turn up|arrived|come)",
               r"\bconfirmed (yet|already)\b", r"\b(waited|been waiting) (for )?(over |about |almost |nearly )?"
               r"(an?|\d+|half an) (hours?|minutes?|mins?)\b",
               # "what time is my appointment", "is my cleaning done?", "has the cleaner finished?"
               r"\b(what time|when)('s| is| was|s) my (appointment|booking|visit|order|cleaning|service)\b",  # "whens my booking"
               r"\bwhen'?s (the|my) [a-z]+ (coming|arriving)\b",
               r"\b(is|was) (my|the) (cleaning|order|booking|job|visit|service|repair|work) "
               r"(done|finished|complete|completed|over)\b",
               r"\b(has|have|is|are|did) (the|my) (cleaners?|technician|tech|plumber|worker|guy|ayi|movers?) "
               r"(finished|finish|done|completed|left)\b",
               r"^(is|was) it (done|finished|complete|completed|over)\b",
               # "my bookings", "what bookings do i have", "do i have any appointments?"
               r"^((show|list|check|see|view) )?(me )?(all )?my (orders?|bookings?|appointments?)\s*\??$",
               r"\bwhat (orders|bookings|appointments) (do|have|did) i\b",
               r"^what (do|have) i (got )?(booked|scheduled|(have )?(now|coming up|booked))\b",
               r"\bwhat('s| is| are) my (orders|bookings|appointments)\b",
               r"\b(do|have|did) i (have|got|make|made) (any )?(orders|bookings|appointments)\b"),
    },
    "price": {
        "zh": ("多少钱", "价格", "价钱", "价位", "怎么收费", "如何收费", "收费", "费用", "报价", "贵不贵", "贵吗", "几块钱",
               "多少费用", "怎么算钱", "要多少", "什么价", "啥价", "价目",
               # "空调清洗一台多少", "一小时多少": the price of one of something
               r"[一每1]\s*(台|个|次|件|间|套|位|趟|(个)?小时)[^，。,.!?！？]{0,2}多少", r"费.{0,2}多少", r"多少.{0,2}费", "上门费", r"报个?价", "优惠", "便宜", "打折", "折扣",
               # "卸甲要钱吗", "上门要不要钱", "另外收钱吗": whether it costs anything
               r"(?:要|收|另收|另外收|额外收)(?:不要|不收)?钱(?:吗|么|嘛|不)", r"要不要钱", r"收不收钱", r"免费吗",
               # "晚上开锁加钱吗": a surcharge asked about
               r"(?<![再多])加(钱|价)(吗|不|么|没)", r"额外(收费|收钱|加钱|费用)", r"另(外)?收(费|钱)"),
        "en": (r"how much", r"\bprices?\b", r"\bpricing\b", r"\bcosts?\b", r"\bfees?\b", r"\bcharge", r"\bquote\b",
               r"\brates\b", r"\bexpensive\b", r"\bdiscount", r"\bcheaper\b", r"\bdeal\b",
               # "whats the total?", "total?": what the order comes to
               r"\bwhat(?:'?s| is| will be| would be) (?:the |my |our )?total\b", r"^\W*(?:the )?total\W*$"),
    },
    "review": {
        "zh": ("好评", "差评", "评价", "评分", "打分", r"打\d+分", "五星", r"服务(很|挺|非常|太|真|蛮|特别|还)?(好|棒|差|不错|满意|专业|到位|周到|赞|一般|烂)",
               r"(很|非常|挺|太|特别|十分)(满意|专业|认真|负责|细心|棒)", "不满意", "点赞", "师傅(很|挺|非常|太|真)(好|棒|专业|认真|负责|细心)", "师傅(专业|认真|负责|细心)",
               "打星", "给个星", "满分", r"下次还(找|约|用)", "推荐给", "五颗星",
               # the result of the job (打扫得很干净), how it went (十分钟搞定, 一件没坏), a letdown
               r"(打扫|擦|洗|修|装|搬|弄|做|干)得(很|挺|特别|非常|真|太|超|蛮|不)?(干净|好|快|仔细|认真|细致|棒|漂亮|差|慢|马虎)",
               r"(分钟|小时|钟头|一会儿?)(就)?(搞定|修好|弄好|通好|装好)(?![吗没]|了吗)", r"点个?赞", r"(一件|一样|啥|什么)都?没(坏|碰坏|磕)",
               r"(弄|碰|磕|刮)(坏|花)了", r"失望", r"(挺|很|太|真)辛苦", r"跟没(擦|洗|扫|修|做|打扫)一样"),
        "en": (r"\breview\b", r"\brating\b", r"\brate (you|it|them|the|your|him|her|my)", r"\bstars?\b",
               r"(great|good|excellent|terrible|bad|awful|poor|amazing|fantastic) (service|job|work)", r"well done",
               r"\bsatisfied\b", r"\bfeedback\b",
               # "did a really neat job", "very happy with the service", "we were very happy"
               r"\bdid (a|an|such a)( really| very| great| good| super)* (neat|nice|great|good|brilliant|lovely|"
               r"decent|fantastic|perfect|superb|terrible|poor|sloppy|bad|awful|lousy) job\b",
               r"\b(very|so|really|super|quite|not) (happy|pleased|impressed) with\b",
               r"\b(happy|pleased|impressed|unhappy|disappointed) with (the|your|their|his|her|how)\b",
               r"\b(we|i) (was|were) (very |so |really )?(happy|pleased|impressed|disappointed|unhappy)\b",
               r"\bnot (happy|impressed)\b", r"\b(was|were) (late|rude|careless|sloppy|friendly|polite|brilliant)\b",
               # "the cleaner was great", "the movers were so nice": the visit judged, no booking (unless
               # one is asked for with it: "…was great, I'd like another one")
               r"\b(was|were) (very |so |really |super |just )?(great|nice|lovely|amazing|wonderful|excellent|careful|"
               r"helpful|efficient|awesome|fantastic|thorough)\b(?![^.!?]*\b(?:another|again|book)\b)",
               r"\bdid (the|my|our) [a-z]+ (really |very |so )?well\b", r"\bfixed it (quickly|fast|in no time)\b", r"\b(terrible|awful|horrible|excellent|amazing|fantastic|"
               r"disappointed|disappointing|rude|unprofessional|professional|thorough job)\b"),
    },
    "greet": {
        "zh": (r"你好(?![笨蠢烦傻慢坏差菜])", "您好", "哈喽", "哈啰", "嗨", "在吗", "在不在", "有人吗", "早上好", "上午好", "中午好", "下午好",
               "晚上好", "早安", "你们好", "大家好", "老板好", "师傅好"),
        "en": (r"^\W*(hi|hello|hey|hiya|howdy|yo|greetings|morning)\b", r"good (morning|afternoon|evening|day)",
               r"\bhello\b", r"\bhey there\b", r"anyone there",
               # small talk, as "你好吗" is: "how are you?", "how's it going" (not "how are you open")
               r"^\W*how(?: are|'re| r) (?:you|u|ya)(?: doing| today)?\W*$", r"^\W*how(?:'s| is) it going\W*$"),
    },
    "book": {
        # 下单(?!号): "找下单号" asks for an order number, not to order
        "zh": ("预约", "预定", "预订", r"订(一个|个|一)", r"约(一个|个|一|个时间)", r"下单(?!号)", "我想", "我要", "想要", "想找", "想约",
               "需要", r"帮我(安排|约|订|找|叫)", "请个", "找个", "上门", r"来(一个|个|一下|一趟|趟)", "安排", "能来", "可以来",
               "有空吗", "能不能来"),
        "en": (r"\bbook", r"\bschedule\b", r"appointment", r"\bi need\b", r"\bi want\b", r"\bi'?d like\b",
               r"\bi would like\b", r"\bneed (a|an|someone|somebody|some)\b", r"send (someone|somebody|a|an)\b",
               r"come (over|and|to)\b", r"can (you|someone) (come|send)", r"looking for", r"\bhire\b",
               r"\bavailable\b", r"\bget (a|an|my|the)\b"),
    },
}

# Phrases that hold an intent's keyword without meaning that intent; they are blanked
# out before that intent's keywords are looked for. "到了给我打电话" asks the technician
# to ring on arrival, not for a person. "不用取消了" keeps the order (see KEEP_ORDER_PATTERNS).
_ARRIVAL_ZH = (r"(?:(?:到|来|出发|上门|上楼|进门|快到)(?:了|前|之前|以前|的时候|时|后|以后|之后)"
               r"|到(?:楼下|门口|小区门口|小区|楼上|家门口|附近)(?:了|时|的时候|后)?)")
KEEP_ORDER_PATTERNS: tuple[str, ...] = (
    # not after 为什么/怎么/还: "怎么还不取消" complains that the cancellation has not happened
    r"(?<!为什么)(?<!怎么)(?<!咋)(?<![还就])(?:不|别|不用|不要|不必|无需|不需要|先不|暂时不|还是不)(?:要|用|想|打算)?取消",
    r"\b(?:don'?t|do not|no need to|not going to|won'?t|not) (?:want to |need to )?cancel",
    r"\bkeep (?:the|my|our) (?:order|booking|appointment)\b",
)
NOT_KEYWORD_PATTERNS: dict[str, tuple[str, ...]] = {
    "human": (
        _ARRIVAL_ZH + r"[^，,。!！?？]{0,4}?(?:打|回|来|拨)个?电话(?:给我)?",
        # "想找人来洗一下油烟机", "叫个人来修": someone to come and do the job is a visit, not staff to talk to
        r"(?:叫|找|请|派)个?人(?:来|过来|上门)(?:帮我|给我|帮忙)?"
        r"(?:洗|修|清|擦|通|疏|装|安|搬|开|换|灭|杀|除|打扫|收拾|弄|处理|看|做)",
        _ARRIVAL_ZH + r"[^，,。!！?？]{0,3}?联系我",

        r"\b(?:call|ring|phone|text) me (?:when|once|before|as soon as|after) [a-z' ]{0,20}?"
        r"\b(?:arriv\w*|here|there|outside|downstairs|nearby|close|on (?:the|your|his|her|their) way|leav\w*|set off)\b",
    ),
    # "不用改了" says nothing is to change, which is a yes, not a cancellation; "不要这个地址了"
    # gives up the address, to be given again
    "cancel": (*KEEP_ORDER_PATTERNS, r"不(?:用|需要|必)(?:再)?(?:改|修改|更改|变)了?", DETAIL_GIVEN_UP),
    # "我想问一下…", "I'd like to ask": the wish is to ask, not to book.
    "book": (r"我?想(?:要)?(?:问|咨询|了解|打听)", r"\bi'?d like to (?:ask|know|check)\b",
             r"\bi (?:want|wanted|would like) to (?:ask|know)\b",
             # "需要我在家吗", "do i need to be home?": what the customer must do, asked; no wish to book
             r"(?:是否|要不要)?需要(?:我|我们|家里)(?=[^，,。!！?？]{0,10}(?:吗|么|嘛|[?？]))",
             r"\b(?:do|does|will|would|should|must) (?:i|we|someone|somebody|anyone) (?:need|have) to\b"),
}
# The human keywords that only ask to be rung ("打电话给我", "call me"), not called back
# or handed to a person: in a booking with its details ("…，有事打电话给我", "…, call me
# 138…") they say how to reach the customer. Their hit is "call_me", not "human".
CALL_ME_PATTERNS: tuple[str, ...] = (
    r"打个?电话给我", r"给我打个?电话", r"\b(?:call|ring) me\b(?! back)", r"\bgive me a (?:call|ring)\b",
)
# Saying no person is needed after all ("不需要人工了", "no need for a human"): a no,
# whose human keyword must not alert staff once more.
NO_PERSON_PATTERNS: tuple[str, ...] = (
    r"(?:不|别|不用|不要|不需要|无需|无须|不必|不想|没必要)再?(?:转接|转|找|联系|叫|要)?(?:人工|客服|真人)",
    r"(?:转|找)?(?:人工|客服|真人)(?:客服|服务)?(?:就|也)?(?:不用|不需要|不要|不必|算)(?:了|\W*$)",
    r"\b(?:no need|don'?t need|do not need|not need|no longer need|don'?t want|do not want)\b"
    r"(?: for| to talk to| to speak to| to be transferred to)? (?:a |an |the )?"
    r"(?:person|human|agent|operator|real person|staff|customer service)\b",
    r"\bno (?:humans?|persons?|people|agents?)(?: please| thanks)?\W*$",
    r"\b(?:don'?t|do not) (?:transfer|put|connect|pass) me (?:to|through to|with) (?:a |an |the )?"
    r"(?:person|human|agent|operator|staff)\b",
    r"\bno (?:human|person|agent) (?:needed|necessary)\b",
    r"\b(?:never ?mind|forget) (?:the |about the )?(?:person|human|agent)\b",
)
# A complaint about a visit, its price or the people ("师傅迟到了半小时了", "多收了我50块钱",
# "阿姨把花瓶打碎了，怎么赔", "the plumber never showed up", "I want a refund"): a person must
# put it right, so it is a request for one (intent human, flag ``complaint`` with its kind),
# never a booking or a cancellation, though it names a service or 退款. Kept narrow: what
# the technician did, said of the technician; a past "was late" with a verdict is a review.
# Who can be late, in English: the people we send.
_EN_LATE_ONE = (r"\b(?:cleaner|technician|tech|plumber|electrician|locksmith|worker|guy|man|lady|mover|movers|handyman|"
                r"he|she|they|your (?:guy|man|people|team|staff))")
# Work done that came off or lifted ("掉了", "翘了", "起皮", "脱落"), not in a question.
_CAME_OFF = (r"(?<!不)(?<!会)(?:掉了|掉光|掉得|掉色|掉完|掉一|掉两|掉好|掉几|翘了|翘起|起翘|翘边|起皮|脱落|剥落|开胶|崩了|断了|裂了|花了)"
             r"(?![^，,。!！]{0,8}[吗么嘛?？])")
# Between how soon and "就": nothing, or a few words of what ("两天睫毛就掉了").
_WITHIN = r"[^，,。!！?？\d]{0,4}?"
COMPLAINT_PATTERNS: dict[str, tuple[str, ...]] = {
    # first: what was charged, and what the customer asks for, outweigh the rest ("…2 hours late, I want my
    # money back": a refund; "师傅多收钱了 我要退款": overcharged)
    "charge": (
        r"多收(?:了|我|钱|费)(?![^，,。?？]{0,6}[吗么嘛?？])", r"乱收(?:费|钱)", r"多(?:扣|要|算)了(?:我)?",
        r"\bover-?charg", r"\bcharged (?:me|us) (?:too much|extra|twice|double|more)\b", r"\bdouble[- ]charg",
    ),
    "refund": (r"退(?:款|钱|费)", r"\brefund", r"\b(?:want|get|give me|need) (?:my|our|the) money back\b"),
    "late": (
        r"(?<![别不要会能])迟到",
        # "阿姨来晚了", "师傅到得太晚了"; not a wish ("让阿姨来晚一点") nor a question ("师傅会来晚吗")
        rf"(?:{STAFF_ZH}|保洁|你们的?人)[^，,。!！?？]{{0,6}}?(?:来|到)得?(?:太|这么|那么|很)?晚(?:了|到了)"
        r"(?![^，,。!！]{0,8}[吗么嘛?？])", r"放(?:了)?(?:我|我们)?鸽子", r"爽约", r"(?:根本|压根|一直|始终|都)没(?:来|到(?!家)|上门|出现)",
        r"\bnever (?:showed|turned|came|arrived|show|turn)\b", r"\bno[- ]show\b", r"\bstood (?:me|us) up\b",
        _EN_LATE_ONE + r"(?:'s| is| are|'re)(?: still| already| now| very| so| really)?"
        r"(?: \w+)?(?: (?:minutes?|mins?|hours?|hrs?))? late\b",
        # past, with how late: "the cleaner was 2 hours late", "your guy came an hour late"; "was late"
        # alone, as a verdict ("cleaner was late and missed the bathroom, not happy"), is a review
        _EN_LATE_ONE + r" (?:was|were|came|arrived|showed up|turned up)(?: \w+){1,2}? (?:minutes?|mins?|hours?|hrs?) late\b",
    ),
    "damage": (
        rf"(?:{STAFF_ZH}|保洁|你们的?人|搬家的)[^，,。]{{0,12}}"
        r"(?:打碎|打破|打烂|摔碎|摔坏|弄丢|偷|刮花|划花|划伤|碰坏|弄坏|搞坏|损坏)",
        r"赔", r"\bcompensat",
        r"\b(?:cleaner|technician|plumber|electrician|locksmith|worker|guy|man|lady|movers?|handyman|"
        r"stylist|hairdresser|barber|photographer|teacher|tutor|"
        r"he|she|they)\b(?:(?!said|says|say|thinks?|told)[\w' ]){0,30}\b(?:broke|smashed|damaged|scratched|ruined|"
        r"stole|lost)\b",
    ),
    "manner": (r"态度(?:(?:很|太|非常|极|特别|真)?(?:差|恶劣|不好)|不太好)",),
    # the work asked to be done again ("明天来返工", "can someone come back and redo the bathroom?"):
    # putting a visit right is for a person to arrange, not a new paid booking (the pipeline's intent)
    "redo": (
        r"返工", r"重做", r"(?:回来|过来)重新(?:打扫|擦|洗|做|弄|收拾|清洁|修)",
        r"\bre-?do\b", r"\bcome back (?:and|to) (?:finish|fix|redo)\b",
    ),
    # work left undone on a past visit, said of the people or the visit ("上次阿姨没擦窗户", "the cleaner
    # forgot the balcony"); not a question ("师傅还没修好吗") nor a thing alone ("窗户好久没擦了")
    "missed": (
        r"(?:上次|上回|那次|阿姨|师傅|保洁员?|小时工|钟点工|工人|你们的?人)[^，,。!！?？]{0,10}?"
        r"(?:没有?|忘了?|忘记了?)(?:给我|帮我)?(?:擦|扫|洗|拖|打扫|清洁|清理|收拾|弄|做|修|装|通|搞)"
        r"(?![^，,。!！]{0,8}[吗么嘛?？])",
        r"(?:上次|上回|阿姨|师傅|保洁员?)[^，,。!！?？]{0,10}?漏(?:掉|了)(?![^，,。!！]{0,8}[吗么嘛?？])",
        # done badly, said of the thing ("窗户没擦干净", "厨房打扫得不干净", "地板还是脏的"): a wish to have it
        # cleaned says no 没/不 ("帮我把厨房打扫干净"), and "好久没擦了" says nothing of a visit
        r"(?:没有?|不)(?:擦|扫|洗|拖|打扫|清洁|清理|收拾)(?:得)?干净(?![^，,。!！]{0,8}[吗么嘛?？])",
        r"(?:擦|扫|洗|拖|打扫|清洁|清理|收拾)得(?:不|没有?)(?:太|怎么|很)?干净(?![^，,。!！]{0,8}[吗么嘛?？])",
        r"还是(?:很|有点|挺|好)?脏(?![^，,。!！]{0,8}[吗么嘛?？])",
        r"\b(?:cleaners?|technician|tech|plumber|worker|guy|lady|she|he|they|you guys|your (?:cleaners?|team|staff|guy)"
        r"|last time)\b[\w' ]{0,30}?\b(?:forgot|missed|skipped|left out|didn'?t (?:clean|do|wipe|finish|touch|vacuum|"
        r"mop|dust|fix)|did not (?:clean|do|wipe|finish|touch|vacuum|mop|dust|fix))\b(?![^,.!?]{0,30}\?)",
        # said of the thing: "the bathroom wasn't cleaned", "the floor is still dirty"
        r"\b(?:wasn'?t|weren'?t|was not|were not)(?: \w+)? (?:cleaned|done|wiped|vacuumed|mopped|washed|dusted)\b"
        r"(?![^,.!?]{0,30}\?)",
        r"\b(?:is|are|was|were|'s|'re) still (?:dirty|filthy|dusty|greasy|not clean)\b(?![^,.!?]{0,30}\?)",
    ),
    # work that did not last ("美睫两天就掉了好几根", "指甲做完第二天就翘了", "我上周做的美甲掉了一个"): after-care
    # for a person to put right, not the same work booked and paid again; said of the work done
    # (做完, 做的, 接的) or of how soon (两天就, 第二天), not a question ("美睫一般能保持多久", "多久会掉")
    "wore_off": (
        rf"(?:做完|做好|接完|刚做|才做|做的|接的|种的|贴的)[^，,。!！?？]{{0,8}}?{_CAME_OFF}",
        rf"(?:[一两三四五几]天|第二天|隔天|没几天|没多久|才几天|几个小时){_WITHIN}(?:就|又|都)(?:已经)?{_CAME_OFF}",
        r"\b(?:lashes|lash extensions?|nails?|gel|polish|extensions?)\b[\w' ]{0,30}?\b(?:fell (?:off|out)|came off|"
        r"(?:are|is|started|keep)(?: already| all)? (?:lifting|chipping|peeling|falling (?:off|out))|(?:lifted|chipped|peeled) (?:after|within|already)"
        r"|(?:already|all) (?:lifted|chipped|peeled|gone))\b(?![^,.!?]{0,30}\?)",
    ),
    # complaining in so many words ("我要投诉", "I want to complain"), of nothing the kinds above
    # name: a request for a person, who hears what it is about (never a review's comment)
    "general": (_COMPLAIN_ZH, _COMPLAIN_EN),
}
# Where a complaint ends and a request may begin: the clauses of a message ("上次阿姨没擦窗户，这次再约
# 一次…", "… last time, can you come tomorrow …"), a new clause also at "这次" (this time).
_COMPLAINT_CLAUSE_RE = guarded.compile(r"[^,，.。!！?？;；~～]+?(?=这次|这回|[,，.。!！?？;；~～]|$)")
# A case supposed, not a visit's ("如果不满意能返工吗", "返工的话…", "if I'm not happy").
HYPOTHETICAL_RE = guarded.compile(r"如果|要是|的话|万一|\bif\b", re.IGNORECASE)

# Words that rate a visit ("差评", "1 star"): a complaint said with them is a review.
RATED_PATTERNS: tuple[str, ...] = (
    r"差评|好评|中评|评价|评分|打分|打星|[1-5一二三四五]\s*颗?星", r"\bstars?\b|\breview\b|\brating\b|\bfeedback\b",
)
# A console or Telegram command ("/start", "/help@jiedan_bot") is the whole message.
_COMMAND_RE = guarded.compile(r"^\s*/(?P<cmd>[a-z][a-z0-9_]*)(?:@\w+)?\s*$")

# Whole-message answers (after trimming punctuation, particles and spaces).
AFFIRM_ANSWERS: frozenset[str] = frozenset({
    "确认", "确定", "好", "好的", "好滴", "好嘞", "好啊", "好吧", "好哒", "好好", "好的好的", "行", "行的", "行吧", "可以",
    "可以的", "对", "对的", "对啊", "对呀", "是", "是的", "是啊", "是呀", "没问题", "没错", "嗯", "嗯嗯", "恩", "恩恩",
    "就这样", "同意", "妥", "要得", "没毛病", "确认无误", "正确", "ok", "okay", "okk", "ok的", "好的确认", "确认下单",
    "确认预约", "对的没错", "是的没错", "可以可以", "行行", "成", "中", "嗯好", "嗯对", "对对", "对对对", "好的呢",
    "不用改了", "不用改", "不用修改", "不用修改了", "没有要改的", "no changes", "no change", "nothing to change",
    "yes", "yeah", "yep", "yup", "ya", "y", "k", "kk", "sure", "confirm", "confirmed", "correct", "right",
    "that's right", "thats right", "sounds good", "fine", "alright", "all right", "go ahead", "perfect",
    "great", "good", "yes please", "sounds good to me", "works for me", "fine by me", "that works", "absolutely", "of course", "definitely", "exactly", "yes, confirm",
    "ok, confirm", "looks good", "ok thanks", "ok thank you", "yes thanks", "yes that's right", "do it",
    "👍", "👌", "✅", "🙆", "👍🏻", "👌🏻",
})
# Whole-message "never mind" (a no that drops what was under way: a booking being taken,
# a wait for a person), as opposed to a plain no to a question ("不对", "no").
NEVER_MIND_ANSWERS: frozenset[str] = frozenset({
    "算了", "不用了", "算了吧", "那算了", "算了不用了", "算了算了", "没事了", "那就算了", "不用了谢谢", "算了谢谢",
    "never mind", "nevermind", "forget it", "forget about it", "no need", "no need now",
    "stop", "stop it", "quit", "exit", "退出", "停止",
})

DENY_ANSWERS: frozenset[str] = NEVER_MIND_ANSWERS | frozenset({
    "不", "不对", "不是", "不用", "不用了", "不要", "不行", "不可以", "错了", "否", "没有", "算了", "不需要", "不需要了",
    "不了", "不确认", "不好", "不对哦", "不是的", "不对不对", "不不不", "不用谢", "不用啦", "先不用", "先不用了", "暂时不用",
    "暂时不用了", "暂时不需要", "先不需要", "目前不需要", "现在不需要", "暂时不要",
    "没事",
    "no", "nope", "nah", "n", "not really", "no thanks", "no thank you", "wrong", "incorrect", "not right",
    "don't", "no way", "not now", "never mind", "nevermind", "no, thanks",
    "❌", "👎", "🙅",
})
# A reply that opens with one of these and then says nothing else of use.
_AFFIRM_PREFIX_RE = guarded.compile(r"^(好的|好|行|可以的?|对|是的|没问题|确认|嗯|ok|okay|yes|yeah|sure)(?=[\s,，.。!！~]|$)")
# "不用改了，确认", "no changes, go ahead": nothing is to change, a yes (before "no" reads as one)
_NO_CHANGE_PREFIX_RE = guarded.compile(r"^(不用(?:再)?(?:改|修改|更改)了?|没有要改的|no changes?|nothing to change)"
                                  r"(?=[\s,，.。!！~]|$)")
_DENY_PREFIX_RE = guarded.compile(r"^(不对|不是|不用了?|不需要|不要|不行|错了|no|nope)(?=[\s,，.。!！~]|$)")

# A detail of the order an English correction names: "wrong address", "the address is incorrect".
_DETAIL_EN = r"(address|number|phone|phone number|date|day|time|unit|apt|flat|room)"
CORRECTION_PATTERNS: tuple[str, ...] = (
    "改成", "改为", "改到", "换成", "换到", "换为", "不对", r"不是.{0,12}是", "写错了", "错了", "更正", "纠正",
    "有误", "不正确", "应该是", "其实是", "我是说", "我的意思是", "说错了", "搞错了", "修改", "重新填",
    r"(推迟|延期|推|挪|延|调|改期)到",
    r"\b(postpone|push|move) (it |that |this )?(back )?to\b", _HOUR_CHANGED,
    r"(不行|没空|不方便|不可以|有事)\s*[，,]",
    r"\bactually\b", r"change (it|that|this)? ?to\b", r"\binstead\b", r"\bmake it\b", r"\bi meant\b",
    r"\bsorry,? (it'?s|i meant|make it)", r"\bcorrection\b", r"\bnot .{1,20}, (it'?s|but)\b",
    r"^\W*(no|nope|nah)\s*[,，]\s*(?!thanks|thank you|sorry)\w",
    # "wrong address, it's …", "the address is incorrect, it is …", "address isn't right. …", "sorry
    # wrong number", "typo, should be 1302": 写错了, 地址有误 in English
    rf"\bwrong {_DETAIL_EN}\b",
    rf"\b{_DETAIL_EN}{SAID_WRONG_EN}",
    r"\btypo\b",
    r"\b(my bad|my mistake)\b", r"\bshould (be|have been|read)\b",
)
HELP_PATTERNS: tuple[str, ...] = (
    "帮助", "怎么用", "如何使用", "使用说明", "你能做什么", "你会做什么", "你会什么", r"你(能|可以)(干|做)(什么|嘛|啥)",
    "菜单", "功能",
    r"\bhelp\b", r"\bmenu\b", r"what can you do", r"how (does|do) (this|it|you) work", r"\boptions\b",
)
# Asking which services there are ("你们有什么服务", "what do you offer"): answered with the
# price list, which names them all.
SERVICE_LIST_PATTERNS: tuple[str, ...] = (
    r"(有|提供|做|接)(些)?(什么|哪些|啥)(服务|项目|业务)", r"服务(项目|列表|清单)", r"都(做|干|接)(什么|哪些|啥)",
    # texted too: "wat services do u have", "what do u offer"
    r"(?:what|wat|wot|wut) (kinds? of |sort of )?services", r"services do (?:you|u)\b",
    r"(?:what|wat|wot|wut) do (?:you|u) (do|offer)\b",
    # the whole price list, asked for as such ("价目表", "your prices"): not the price of
    # the order the customer already has, which a bare "多少钱" after booking asks
    r"价(目|格)(表|单|清单|列表)", r"收费(标准|表|清单)", r"(各|每)(项|个)?(服务)?(都|分别)?(是)?(多少钱|什么价)",
    r"\bprice ?list\b", r"\byour (prices|rates|pricing)\b", r"\ball (the |your )?prices\b",
    r"what (are|r) (the |your )?(prices|rates)\b",
)
# Asking for a visit in so many words ("再约一次", "can you come again"), as opposed to the
# broad booking keywords ("我想", "上门", "I need") that opinions use too ("上门很准时").
# A review comment that names the service is told from a new booking by these.
REQUEST_PATTERNS: tuple[str, ...] = (
    "预约", "预定", "预订", r"下单(?!号)", r"(?<!下次)(再|想|要|帮我|给我|还想|能不能|可以)(约|订|安排)",
    r"约(一|个|下)", r"(?<!下次)再(来|做|上门|安排|叫|来做)(一|个|次|趟|下)", r"(能|可以|能不能|可不可以)再?(来|上门)",
    r"(想|要)再?(做|请|找)(一|个|次)",
    r"帮我(安排|约|订|找|叫)",
    r"(?<!will )(?<!'ll )\b(book|schedule|reserve)\b(?! you)", r"\bappointment\b",
    r"\b(can|could|would) (you|someone|somebody) (come|send|do)\b", r"\bcome (again|back|over)\b",
    r"\bi'?d like\b", r"\bi would like\b", r"(?<!do )(?<!will )\bi (want|need) (a|an|to|another|someone)\b",
    r"\bsend (someone|somebody)\b", r"\banother (one|visit|clean|cleaning|session|appointment)\b",
)
# Asking for a job, not for a service ("你们招人吗", "do you guys hire students?"): the
# booking words in such messages (我想, hire) do not make them a booking.
JOB_PATTERNS: tuple[str, ...] = (
    "招人", "招聘", "招工", "招不招", "兼职", "应聘", "求职", "找工作", "缺人吗",
    r"\bhiring\b", r"\bhire (students|people|staff|workers|part-?timers)\b", r"\bjob (opening|vacanc)",
    r"\bvacanc(y|ies)\b", r"\bpart-?time (job|work)\b", r"\bwork for (you|your company)\b",
    r"\bapply (for a job|to work)\b",
)
# A whole message (its core_text) that says "I don't know" ("不知道", "我也不清楚", "说不好",
# "not sure", "no idea"): no answer to the bot's question, and no "no" either (the classifier
# read "不知道" as deny for its 不). Intent other with the flag `dont_know`.
# What is not known may be said, the day asked for most ("还不确定哪天", "not sure about the day yet").
_WHICH_DAY_ZH = r"(?:(?:要|是|约|定)?(?:哪天|哪一天|哪个日子|什么时候|几号|日期|时间)(?:来|方便|合适|有空)?)?"
_WHICH_DAY_EN = r"(?: (?:where|when|which day|what day|which date|(?:about|of|on) (?:the |a )?(?:day|date|time)))?"
DONT_KNOW_PATTERNS: tuple[str, ...] = (
    r"(?:我|我也|也|我还|还|我真|真)?(?:的|是)?(?:真的|确实|实在)?(?:不太|不大|不)(?:知道|清楚|晓得|确定|记得了?)"
    rf"{_WHICH_DAY_ZH}(?:诶|耶|欸)?",
    rf"(?:我|我也|也)?(?:忘了|忘记了|记不得了?|记不清了?|(?:还)?没想好{_WHICH_DAY_ZH}|说不好|说不准|不好说|没数)",
    # Not settled yet (a move's new home, a day): "还没定", "新家还没确定", "待定", "还不知道搬哪".
    r"(?:(?:新家|新房子?|新地址|目的地|搬去的地方)(?:的?地址)?)?(?:我|我们)?(?:也)?(?:还|暂时|目前)?"
    r"(?:(?:没|没有|未)(?:定|确定|决定|定下来|定好|找好)|待定)"
    r"(?:\s*(?:到时候|以后|之后|回头|定了)再(?:说|告诉你|告诉您|发你|发给你|通知你))?",
    r"(?:我|我们)?(?:也)?(?:还|暂时)?不(?:知道|确定|清楚)(?:要|会)?(?:搬|去)(?:到|去)?哪(?:儿|里)?",
    rf"(?:i )?(?:don'?t|do not|dont) know{_WHICH_DAY_EN}(?: yet)?|idk|dunno",
    rf"(?:i'?m |im |i am )?(?:not (?:sure|certain)|unsure){_WHICH_DAY_EN}(?: yet)?",
    r"(?:(?:i|we) )?(?:have ?n'?t|have not|haven'?t) (?:decided|found (?:a|the|our|my) (?:place|flat|house|home))"
    rf"{_WHICH_DAY_EN}"
    r"(?: yet)?|(?:not |un)decided(?: yet)?|tbd|tbc|to be (?:confirmed|decided)",
    r"(?:i have |i've got |i got )?no (?:idea|clue)|(?:i )?forgot",
)
# A whole message (its core_text) that is chat, not content: thanks, "wait", laughter,
# "don't know", a wish to change something. Asked for the address or the name, the bot
# must not take one of these as the answer ("稍等" is no address, "谢谢" no name).
CHATTER_PATTERNS: tuple[str, ...] = (
    r"(?:谢谢|多谢|感谢|谢了)(?:你|您|你们|啦|了|哈)?", r"(?:稍等|等等|等会儿?|等(?:一)?下|一会儿?|马上|稍后|回头)(?:一下|哈|再说|发|给你|告诉你)?",
    r"(?:稍后|晚点|晚些|待会儿?|等会儿?|一会儿?|回头|马上|等下)(?:再|就)?(?:发|告诉|给|说)(?:你|您|给你|给您)?",
    # "早点吧，10点", "earlier please, like 10": which way the hour said with it moves, no note of its own
    r"(?:那|那就)?(?:再|稍微|能)?(?:早|晚)(?:一)?(?:点儿?|些)(?:吧|呗)?|(?:再)?提前(?:一)?点儿?",
    r"(?:(?:a )?(?:bit|little|lil) )?(?:earlier|sooner)(?: (?:please|pls|if possible|then))?",
    # "let me check", "let me ask my wife first": only whom is asked may follow
    r"(?:(?:等我|我)(?:先|再)?|先|再)?(?:查一?下|找一?下|看一?下|看看|想想|想一下|确认一下|问一?下|问问)"
    r"(?:我|我的|家里人|家人|老婆|老公|爱人|房东|物业|爸妈|我妈|我爸|朋友|室友|同事)*",
    r"[哈呵嘿嘻]{2,}", r"[嗯额呃唔噢哦]+", r"收到|明白了?|知道了|了解|懂了|啥(?:意思)?|什么意思|抱歉|不好意思|对不起",
    *DONT_KNOW_PATTERNS, r"(?:我)?(?:要|想|得)?(?:改|修改|更改|换)(?:一下|下)?",
    r"重新(?:填|来|输入|写)?", r"随便|都行|随意|你猜|干嘛|为啥|为什么|测试",
    r"(?:thanks?|thank (?:you|u)|thx|ty|cheers)(?: (?:a lot|so much|very much))?",
    r"wait|hold on|(?:just )?(?:a|one) (?:sec|second|moment|min|minute)|later|brb|hang on",
    r"(?:ha){2,}h?|(?:he){2,}|lol|lmao|hmm+|um+|uh+|er+m?|what|why|test(?:ing)?",
    r"(?:i (?:want|need) to )?change(?: it| that)?|(?:let me )?(?:check|think|ask)(?: first)?",
    r"sorry|got it|noted|understood|what do you mean",
    # goodbyes at the end of a booking ("…, see you then"): no note for the technician
    r"再见|拜拜|回头见|到时见|到时候见|(?:see you|see ya|bye(?: ?bye)?|goodbye|talk soon)(?: (?:then|soon|later))?",
)
# Asking when the business opens or closes ("几点开门", "周日开门吗", "what time do you open?"):
# 开门 there is the shop's door, not the customer's (开门 is a lock-service term, nlu.services),
# so these phrases are masked before the service is looked for. Not after 帮/来/能…
# ("能来开门吗", "师傅几点能来开门"): that asks for a locksmith; nor 锁开门没反应 (a lock).
# "As soon as you can" (马上来开锁, "can you come now", not "不着急"): no day or hour, but a wish for the
# first one the business can do; the dialogue proposes it.
ASAP_PATTERNS: tuple[str, ...] = (
    r"马上|立刻|立即|尽快|赶紧|越快越好|尽早|火速|急需|(?<![不别用太])(?:很急|着急)|现在(?:就)?(?:能|可以|过来|来|上门|派|安排|有人)|现在就要(?![走出去下回])",
    # 快点来, 快来人, 快派个师傅: a visit asked for quickly. Not 快点回复 (the answer), 师傅快来了吗
    # (is he nearly here?), 快到了 (almost there), 快点打扫 (how, not when).
    r"(?<![不别很用])快(?:点儿?|一点|些)?(?:过来|来|上门|派|安排)(?!了|没|吗)",
    # 急！, 急急急, 加急, 十万火急, 急着出门, 紧急 (not 紧急联系人): as soon as can be
    r"^\s*急+[!！,，。\s]|急急|加急|十万火急|急着(?:用|出门|上班|回家|要)|紧急(?!联系)",
    r"\b(?:right now|asap|as soon as (?:possible|you can)|immediately|urgent(?:ly)?|right away|straight away)\b",
    r"\b(?:come|get here|send (?:someone|somebody|a [a-z]+)) (?:over )?now\b",
    # "need a locksmith now", "want someone here now pls": a wish said with "now" at its end
    r"(?<!n't )(?<!not )(?<!dont )\b(?:need|want)s?\b(?:\s+(?!not\b|now\b)[a-z']+){1,4}\s+(?:right )?now\b"
    r"(?!\s*(?:and|or|on|that|then|i|we|it|is)\b)",
    # "locksmith now", "deep clean now pls": a service wanted now, in so few words (not "not now", "ok now")
    r"^\W*(?!(?:not|no|ok|okay|and|so|but|what|why|how|i|i'm|im|we|it|it's|is|are|just|yes|yeah|even|until|till"
    r"|by|from|for|up|right|busy|home|here|there)\b)[a-z]+(?: [a-z]+){0,2} now(?: please| pls| thanks)?\W*$",
    # the answer to "which day and time?": "现在", "现在就要 急", "now please", "急"
    r"^\s*(?:那就|那|就)?\s*(?:现在|now)(?:就要?)?\s*(?:吧|啊|呀|please|pls)?[\s\W]*(?:(?:很|挺|好|特别|非常|比较)?急(?:的|用)?)?\W*$",
    r"^\s*(?:很|挺|好|特别|非常|比较)?急(?:的|用)?(?:啊|呀|吧)?\W*$",
    r"^\s*(?:那就|那|就)?\s*(?:快点儿?|快一点|快些|越早越好)(?:吧|啊|呀|哈)?\W*$",
)
# "凌晨" alone: the small hours, which the contract's "night" (from 21:00) does not mean.
SMALL_HOURS_PATTERNS: tuple[str, ...] = (r"凌晨|后半夜|\b(?:small|early|wee) hours\b",)
# A standing arrangement ("每周二周五上午", "固定的小时工", "every Tuesday"): an order is one
# visit, so the dialogue books the first and notes the wish for staff to settle.
# Each match is the arrangement's own words, which go on the order's note ("每周二周五上午",
# "every Tuesday and Friday 9am"): the days it names and their hour, not the rest of the message.
_ZH_WEEKDAY = r"[一二三四五六日天1-7](?![次遍回趟个])"
_ZH_HOUR = r"(?:上午|下午|晚上|早上|中午)?(?:\d{1,2}|[一二两三四五六七八九十]{1,3})[点:](?:\d{2}|半)?|上午|下午|晚上|早上|中午"
_EN_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_EN_HOUR = r"\s+(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\s+(?:morning|afternoon|evening)s?\b"
RECURRING_PATTERNS: tuple[str, ...] = (
    rf"每(?:个)?(?:(?:周|星期|礼拜)(?:{_ZH_WEEKDAY}(?:[、,，和跟及与]?(?:周|星期|礼拜)?{_ZH_WEEKDAY})*)?"
    rf"|月|天|日|两周|两个星期|隔一周|半个月)(?!都|吗|么|嘛)(?:[一两二三四1-4]次)?(?:{_ZH_HOUR})?"
    r"|固定(?:的)?(?:每|时间|小时工|钟点工|阿姨)|长期(?:的)?(?:保洁|小时工|钟点工|请|找|合作)|定期",
    rf"\bevery (?:other )?(?:week|day|month|fortnight|{_EN_WEEKDAY}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_EN_WEEKDAY})*)"
    rf"s?\b(?:{_EN_HOUR})?",
    r"\b(?:weekly|fortnightly|biweekly|bi-weekly|monthly)\b|\bon a regular basis\b",
)
BUSINESS_HOURS_PATTERNS: tuple[str, ...] = (
    r"(?:几点|几点钟|什么时候|啥时候|几时|什么时间|多早|多晚)(?:开始)?(?:开门|关门|营业|开业|上班|下班|打烊)",
    r"(?:营业|开门|关门|上班|下班|办公)时间",
    r"(?<![帮给来替能要请锁])(?:开门|营业|开业)(?:吗|嘛|么|了吗|了没|(?:不|没)(?![\u4e00-\u9fff]))",
    r"\bopen(?:ing)? (?:hours|times|days)\b", r"\bbusiness hours\b",
    # "what are your hours?": a business without an hours FAQ answers it from its catalog
    r"\bwhat(?:'s| is| are) (?:your|the) (?:opening |business |working )?hours\b",
    r"\b(?:what time|when) (?:do|does|are|will) "
    r"(?:you|u|y'?all|you guys|your (?:shop|store|office|team)) (?:open|close|start work)\b",
)
# What the staff bring to a job ("cleaning supplies", "清洁用品"): things, no cleaning service asked for,
# so they are masked before the service is looked for ("do you bring your own cleaning supplies?"
# asks the FAQ, it books no regular cleaning).
SUPPLIES_PATTERNS: tuple[str, ...] = (
    r"(?:清洁|保洁|打扫)(?:的)?(?:工具|用品|用具|剂|液|材料|设备)",
    r"\bclean(?:ing|er)? (?:supplies|products?|tools?|equipment|materials?|stuff|agents?|chemicals?|gear|kit)\b",
)
# A question about a named service that asks for none of it (what it is, not a visit): "how long"
# (its length, in the catalog with its price) or a "detail" (what it includes, what to bring or
# have ready), which the owner's FAQ may answer, else a person. "深度保洁要多久？", "空调清洗包括什么？",
# "do you bring your own supplies for regular cleaning?", "开锁需要带什么证件吗".
SERVICE_QUESTION_PATTERNS: dict[str, tuple[str, ...]] = {
    "length": (
        r"(?:多久|多长时间|多少时间|几个?(?:小时|钟头))(?!\s*(?:能|可以|才|就)?(?:到|来|上门))",
        r"\bhow long (?:does|do|will|would|is|it|for|should)\b", r"\bhow many hours\b", r"\bhow much time\b",
        # "how long until the cleaning is done?": its length too ("how long until they arrive?" is its status)
        r"\bhow long (?:until|till|'?til|before)\b.{0,40}\b(?:done|finished|finish|over|complete|completed)\b",
    ),
    "detail": (
        r"包括|包含|包不包|含不含|哪些(?:项目|内容|步骤|地方)|(?:都|具体)(?:做|干|弄|洗|打扫|清洁)(?:哪些|些?什么|啥)|流程|步骤",
        r"(?:需要|要|得)(?:我|我们)?(?:带|准备|提供|出示)|证件|身份证|房产证|自带|(?:带|用)(?:什么|啥)?(?:工具|清洁剂|药|材料)",
        r"保修|质保|有毒|安全吗",
        r"\binclud", r"\binvolve", r"\bwhat(?:'s| is) (?:in|covered)\b",
        r"\bbring (?:your|their|his|her|its|own|the|any|tools|supplies|equipment|products)\b",
        r"\b(?:supplies|equipment)\b", r"\b(?:do|will|should|must) (?:i|we) (?:need to )?(?:provide|prepare|bring|show)\b",
        r"\bwarrant(?:y|ies)\b", r"\bguarantee", r"\b(?:is it|are they|is that) safe\b", r"\b(?:id|identification)\b",
        # Where the technician parks: "is there parking for the cleaner?", "师傅来了车停哪"
        r"\bpark(?:ing)?\b", r"停车|车位|车停",
        # What happens if a visit goes wrong: "what if the plumber needs parts?", "万一师傅修不好怎么办"
        # (asked first: "fix my tap, what if it needs parts?" books, the question passed on with it)
        r"^(?:and |but |so |ok |also )?what (?:if|happens if|happens when|do (?:i|we) do if)\b",
        r"^(?:and |but |so )?who (?:pays|is responsible) (?:if|for)\b",
        r"^(?:那|那么|请问)?(?:万一|如果).{1,20}(?:怎么办|咋办|怎么算|谁负责|谁出|赔|收费吗|收钱吗)",
        r"(?:弄坏|打坏|损坏|坏了|修不好|打不开|没修好|通不开|洗不干净|没弄好).{0,6}(?:怎么算|谁负责|谁出钱|赔吗|负责吗|退钱吗|收钱吗)",
    ),
}
# Whether a visit takes long, asked yes or no ("deep clean, will it take long?", "深度保洁，要很久吗"):
# said with the service booked, the booking goes on and the length is answered from the catalog
# (flag ``asks_length``), as "我想约个深度保洁，要多久？" is; not a question about the service instead.
TAKES_LONG_PATTERNS: tuple[str, ...] = (
    r"\b(?:will|would|does|do|is|should) (?:it|that|this|they|the \w+) (?:take|last|be) (?:very |too |that |so )?"
    r"(?:long|a (?:long )?while|a long time|ages|all day)\b",
    r"(?:要|需要|得|做)(?:很|好|挺|特别)?(?:久|长时间)(?:吗|么|嘛|不)|久不久|时间(?:长|久)(?:吗|么|嘛|不)",
)
# A length question about the visit itself, its service named as "the …" ("how long until the
# cleaning is done?", "how long till you're done"): the length of the service booked or being
# booked, as "how long will it take?" is, not of the service its word names ("cleaning" is a
# regular cleaning's synonym).
VISIT_LENGTH_PATTERNS: tuple[str, ...] = (
    r"\bhow long (?:until|till|'?til|before) (?:the|my|our|your|it|it'?s|you|you'?re|they|they'?re)\b"
    r".{0,30}\b(?:done|finished|finish|over|complete|completed)\b",
    r"(?:多久|多长时间|几个?小时)(?:才|就)?(?:能|可以)?(?:做|弄|搞|打扫|清洁|修|干)(?:完|好)",
    r"^(?:要|那)?(?:做|弄|搞|打扫|清洁|修|干)(?:完|好)(?:大概|大约)?(?:要|需要|得)?(?:多久|多长时间|几个?小时)",
    # the whole message a length asked of the visit, no service named ("要多久", "做多久", "大概要多长时间？")
    r"^(?:那|请问|这个|那个)?(?:大概|大约|一共|总共)?(?:要|需要|得)?(?:做|弄)?(?:大概|大约)?(?:要|需要|得)?"
    r"(?:多久|多长时间|多少时间|几个?(?:小时|钟头))(?:啊|呀|呢|吗|哦)?[?？。.]*$",
)
# Saying the visit is somewhere else than last time, to "上次是…，还是这里吗？" ("换个地址",
# "different address"), without giving it yet.
OTHER_ADDRESS_PATTERNS: tuple[str, ...] = (
    r"^(?:不是[，,\s]*)?(?:换|另|别)(?:一)?个?(?:地址|地方)", r"^(?:地址|地方)(?:不一样|变了|换了|不同)", r"^(?:是)?新(?:的)?地址",
    r"^(?:no[,\s]+)?(?:a |an )?(?:different|another|new|other) (?:address|place|location)\b",
    r"^(?:no[,\s]+)?(?:we|i)(?:'ve| have)? moved\b",
)
# Asking when visits may start, beside the opening hours ("你们几点开始", "最早几点能来",
# "how early can you come"): answered with the hours the catalog gives.
HOURS_QUESTION_PATTERNS: tuple[str, ...] = (
    r"你们?(?:一般|每天|平时|都)?(?:几点|什么时候|啥时候|什么时间)(?:开始|结束|收工)",
    r"最(?:早|晚)(?:能|可以)?(?:几点|什么时候|啥时候|什么时间)", r"几点到几点", r"几点都(?:可以|行|能)",
    r"(?:哪些|什么|哪个)时间段?(?:可以|能|有空|方便|上门)",
    r"\bwhat time do (?:you|u) (?:start|finish)\b", r"\bhow (?:early|late) (?:can|do|could) (?:you|u)\b",
    r"\bwhat times? (?:are|is|do you have) (?:available|free|open)\b", r"\b(?:earliest|latest) (?:time|you can)\b",
    r"\bwhen are (?:you|u) available\b",
    # "周日上班吗", "礼拜天干活吗", "do you work on sundays?": whether visits are had on such days
    r"(?:周|星期|礼拜)[一二三四五六日天末]?(?:也|都|还)?(?:上班|干活|开工|营业|工作)(?:吗|么|嘛|不|没)",
    r"\b(?:do|does|will) (?:you|u|y'?all|you guys|your (?:team|staff|company|cleaners?)) (?:work|operate|come out)"
    r"(?: on)? (?:weekends?|the weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|(?:public )?holidays?)\b",
)
# Questions about the business or the day itself (opening days, the weather), not a visit:
# in "周日营业吗" or "are you open on Sunday?" the day is what is asked about, not when to come.
ABOUT_THE_DAY_PATTERNS: tuple[str, ...] = (
    *BUSINESS_HOURS_PATTERNS,
    "营业", "关门", "上班", "干活", "开工", "休息", "放假", "歇业", "打烊", "值班", "天气", "下雨", "下雪", "刮风", "气温", "温度",
    r"\b(?:are|r) (?:you|u|y'?all|you guys) (?:open|closed|working|off)\b",
    r"\bweather\b", r"\b(?:rain|snow)(?:ing|s)?\b", r"\b(?:a )?(?:holiday|day off)\b",
    r"\b(?:do|does) (?:you|your (?:team|staff|company)) work\b",
)
# "后天是周几来着", "what day of the week is dec 3?": the weekday of the day said, no visit asked for.
WEEKDAY_QUESTION_PATTERNS: tuple[str, ...] = (
    r"(?:周|星期|礼拜)几", r"是(?:周|星期|礼拜)[一二三四五六日天]吗", r"\bwhat day (?:of the week )?(?:is|'s|will|was)\b",
    r"\bwhich day of the week\b",
)
# "能便宜点吗", "can you do it cheaper?": a price asked lower, not the price asked.
HAGGLE_PATTERNS: tuple[str, ...] = (
    r"便宜(?:一)?(?:点|些)|(?:再)?(?:优惠|少收?)(?:一)?(?:点|些)|打(?:个)?折|抹(?:个)?零|砍(?:个)?价|讲价|议价",
    r"(?:太|好|有点|有些)贵(?!重)|有(?:没有)?(?:优惠|折扣)", r"\btoo (?:expensive|pricey)\b",
    r"\bcheaper\b", r"\b(?:lower|reduce|better|best) (?:the |your )?price\b", r"\bknock\b.{0,20}\boff\b",
    r"\bnegotiat", r"\bany (?:discount|deal)s?\b", r"\bgive (?:me|us) a (?:discount|deal)\b",
)
QUESTION_PATTERNS: tuple[str, ...] = (
    r"[?？]", r"吗(?:\W|$)", r"呢\W*$", r"什么", r"怎么", r"多少", r"哪", r"几点", r"能不能", r"可不可以", r"是不是",
    # "到时候要几个师傅" (not "十几个箱子", "好几个")
    r"(?<![十好百千0-9])几(?:个|位|名|人|台|次|天)",
    r"^\W*(what|wat|wot|wut|how|why|when|where|who|which|can|could|is|are|will|would)\b",
    # "do you…", "does the cleaner bring…": asked of someone; not "do the kitchen first", an instruction
    r"^\W*(?:do|does)\s+(?:you|u|i|we|they|he|she|it|your|my|our|any|the\s+\w+(?:\s+\w+)?\s+(?:need|have|bring|come|work"
    r"|take|use|speak|charge|do|know|clean|fix|include|cost|get))\b",
)

_LONGEST_CHATTER = 40
_FILLER = r"[嗯额呃唔哦]+|um+|uh+|hmm+|er+m?|sorry|抱歉"
_CLAUSE_SPLIT_RE = guarded.compile(r"[,，.。!！?？~～、;；]+")
_PARTICLES = "啊呀哦吧呢嘛哈啦噢哟呐哇～~ "
_PUNCT_RE = guarded.compile(r"[\s,，.。!！?？~～、;；:：…\-—\"()（）【】\[\]]+")

_WHEN_SLOTS = frozenset({"date", "time", "period"})
# Slots that mean the customer is giving booking details.
BOOKING_SLOTS = ("service", "date", "time", "period", "address", "phone", "name", "quantity")


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regex that matches where any of `patterns` does."""
    return guarded.compile("|".join(f"(?:{p})" for p in patterns))


def _compile(patterns: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
    return _any(p for lang in patterns.values() for p in lang)


@dataclass(frozen=True, slots=True)
class IntentRules:
    """Compiled keyword tables; build once, share between parser instances."""

    keywords: dict[str, re.Pattern[str]]
    not_keyword: dict[str, re.Pattern[str]]
    call_me: re.Pattern[str]
    no_person: re.Pattern[str]
    complaints: dict[str, re.Pattern[str]]
    service_questions: dict[str, re.Pattern[str]]
    visit_length: re.Pattern[str]
    takes_long: re.Pattern[str]
    rated: re.Pattern[str]
    asap: re.Pattern[str]
    small_hours: re.Pattern[str]
    recurring: re.Pattern[str]
    keep_order: re.Pattern[str]
    correction: re.Pattern[str]
    help: re.Pattern[str]
    service_list: re.Pattern[str]
    other_address: re.Pattern[str]
    job: re.Pattern[str]
    chatter: re.Pattern[str]
    dont_know: re.Pattern[str]
    about_the_day: re.Pattern[str]
    weekday_question: re.Pattern[str]
    haggle: re.Pattern[str]
    business_hours: re.Pattern[str]
    supplies: re.Pattern[str]
    hours_question: re.Pattern[str]
    request: re.Pattern[str]
    question: re.Pattern[str]

    @classmethod
    def build(cls, table: Mapping[str, Mapping[str, tuple[str, ...]]] = INTENT_KEYWORDS) -> "IntentRules":
        return cls(
            keywords={intent: _compile(langs) for intent, langs in table.items()},
            not_keyword={intent: _any(ps) for intent, ps in NOT_KEYWORD_PATTERNS.items()},
            call_me=_any(CALL_ME_PATTERNS),
            no_person=_any(NO_PERSON_PATTERNS),
            complaints={kind: _any(ps) for kind, ps in COMPLAINT_PATTERNS.items()},
            service_questions={kind: _any(ps) for kind, ps in SERVICE_QUESTION_PATTERNS.items()},
            visit_length=_any(VISIT_LENGTH_PATTERNS),
            takes_long=_any(TAKES_LONG_PATTERNS),
            rated=_any(RATED_PATTERNS),
            asap=_any(ASAP_PATTERNS),
            small_hours=_any(SMALL_HOURS_PATTERNS),
            recurring=_any(RECURRING_PATTERNS),
            keep_order=_any(KEEP_ORDER_PATTERNS),
            correction=_any(CORRECTION_PATTERNS),
            help=_any(HELP_PATTERNS),
            service_list=_any(SERVICE_LIST_PATTERNS),
            other_address=_any(OTHER_ADDRESS_PATTERNS),
            job=_any(JOB_PATTERNS),
            chatter=_any(CHATTER_PATTERNS),
            dont_know=guarded.compile(rf"(?:(?:{_FILLER})\s*)?(?:{_any(DONT_KNOW_PATTERNS).pattern})"),
            about_the_day=_any(ABOUT_THE_DAY_PATTERNS),
            weekday_question=_any(WEEKDAY_QUESTION_PATTERNS),
            haggle=_any(HAGGLE_PATTERNS),
            business_hours=_any(BUSINESS_HOURS_PATTERNS),
            supplies=_any(SUPPLIES_PATTERNS),
            hours_question=_any(BUSINESS_HOURS_PATTERNS + HOURS_QUESTION_PATTERNS),
            request=_any(REQUEST_PATTERNS),
            question=_any(QUESTION_PATTERNS),
        )

    def only_chatter(self, norm: str, core: str) -> bool:
        """The whole message, or each of its clauses ("稍等，我查一下"), is chat (CHATTER_PATTERNS)."""
        if len(core) > _LONGEST_CHATTER or not self.chatter.match(core):
            return False  # chat is short, and its first clause is chat too
        if self.chatter.fullmatch(core):
            return True
        clauses = [c for c in (core_text(part) for part in _CLAUSE_SPLIT_RE.split(norm)) if c]
        return bool(clauses) and all(self.chatter.fullmatch(c) for c in clauses)

    def complaint(self, norm: str) -> str | None:
        """The kind of complaint the message makes (COMPLAINT_PATTERNS), unless it rates
        the visit too ("迟到了很久，差评": a review), or judges work left undone ("missed")."""
        kind = next((k for k, rx in self.complaints.items() if rx.search(norm)), None)
        if kind == "missed" and self.keywords["review"].search(norm):
            return None  # "cleaner … missed the bathroom, not happy": work left undone, judged, is a review
        if kind == "redo" and HYPOTHETICAL_RE.search(norm):
            return None  # "返工的话要另外收费吗", "do you redo it if I'm not happy?": the policy, asked
        return None if kind is None or self.rated.search(norm) else kind

    def complained(self, norm: str) -> list[tuple[int, int]]:
        """The spans of the clauses of `norm` that complain (COMPLAINT_PATTERNS): "上次阿姨没擦窗户"
        in "上次阿姨没擦窗户，这次再约一次明天下午保洁", whose rest may be a booking of its own."""
        return [m.span() for m in _COMPLAINT_CLAUSE_RE.finditer(norm)
                if any(rx.search(m.group()) for rx in self.complaints.values())]

    def about_a_service(self, norm: str) -> str | None:
        """What a question about a service asks of it (SERVICE_QUESTION_PATTERNS): "length" or
        "detail" (a detail only in a question: "深度保洁，包括厨房" says what to do), else None."""
        if self.service_questions["length"].search(norm):
            return "length"
        if self.service_questions["detail"].search(norm) and self.question.search(norm):
            return "detail"
        return None

    def says_dont_know(self, core: str) -> bool:
        """The whole message says "I don't know" (DONT_KNOW_PATTERNS)."""
        return bool(self.dont_know.fullmatch(core))

    def asks_about_the_day(self, norm: str, hits: set[str], request: bool,
                           slots: Mapping[str, object]) -> bool:
        """A question about the business or the day ("周日营业吗", "今天天气怎么样") whose only
        slots are when-slots: the day is its topic, not a visit's date. A booking word or
        a request ("周日能来吗") keeps it a booking. Asking the opening hours is a question
        whatever its ending ("周六营业没")."""
        return (not request and "book" not in hits and bool(slots) and set(slots) <= _WHEN_SLOTS
                and (bool(self.question.search(norm) and self.about_the_day.search(norm))
                     or bool(self.business_hours.search(norm))))

    def hits(self, norm: str) -> set[str]:
        """The intents whose keywords occur, each looked for after its NOT_KEYWORD_PATTERNS are
        blanked; "call_me" instead of "human" when only CALL_ME_PATTERNS name it."""
        found = set()
        for intent, rx in self.keywords.items():
            if not rx.search(norm):
                continue
            blank = self.not_keyword.get(intent)
            text = norm
            if blank is not None:
                text = blank.sub(" ", norm)
                if text != norm and not rx.search(text):
                    continue
            if intent == "human" and not rx.search(self.call_me.sub(" ", text)):
                intent = "call_me"
            found.add(intent)
        return found


def core_text(norm: str) -> str:
    """The message reduced to what decides a one-word answer: no punctuation, no trailing particles."""
    core = _PUNCT_RE.sub(" ", norm).strip()
    core = core.rstrip(_PARTICLES).strip()
    return " ".join(core.split())


def _without_symbols(core: str) -> str:
    """`core` without emoji and other symbols: "Sounds good to me 👍" answers like "sounds good to me"."""
    return " ".join("".join(c for c in core if not unicodedata.category(c).startswith("S")).split())


# "sorry不用了", "不好意思 不需要": the apology does not change the answer.
_APOLOGY_RE = guarded.compile(r"^(sorry|抱歉|不好意思|对不起)\s*")
# "那确认吧", "那就确认", "那好吧": a "then" in front of an answer does not change it either.
_THEN_RE = guarded.compile(r"^那么?\s*")
_THEN_JUST_RE = guarded.compile(r"^那就\s*")


def _answer_forms(core: str) -> tuple[str, ...]:
    """`core` as said, and without an apology, symbols or a "then" in front ("那就这样" is
    "就这样", "那就确认" is "确认")."""
    plain = _without_symbols(_APOLOGY_RE.sub("", core)) or core
    return core, plain, _THEN_RE.sub("", plain) or plain, _THEN_JUST_RE.sub("", plain) or plain


def _one_of(core: str, answers: frozenset[str]) -> bool:
    """Whether `core` is one of `answers`, or several said together ("ok confirm" of "ok,
    confirm", "yes sure", "好的 确认": the comma between them is gone from the core)."""
    return any(form in answers or form.replace(" ", "") in answers
               or (" " in form and all(word in answers for word in form.split()))
               for form in _answer_forms(core))


def short_answer(core: str) -> str | None:
    """"affirm" / "deny" when the whole message is a yes/no answer."""
    if _one_of(core, AFFIRM_ANSWERS):
        return "affirm"
    if _one_of(core, DENY_ANSWERS):
        return "deny"
    return None


def says_never_mind(core: str) -> bool:
    """The whole message is a "never mind" (NEVER_MIND_ANSWERS), in any spacing or apology."""
    return _one_of(core, NEVER_MIND_ANSWERS)


def answer_prefix(norm: str) -> str | None:
    """"affirm" / "deny" when the message opens with a yes/no word (好的，谢谢 / no, 4pm)."""
    s = norm.strip()
    if _NO_CHANGE_PREFIX_RE.match(s):
        return "affirm"
    if _DENY_PREFIX_RE.match(s):
        return "deny"
    if _AFFIRM_PREFIX_RE.match(s):
        return "affirm"
    return None


# Reschedule words that need no date to mean "move my appointment".
_EXPLICIT_RESCHEDULE_RE = guarded.compile(
    r"改时间|改期|改约|改日期|换时间|换个时间|延期|推迟|往后(推|挪|延)|时间.{0,3}(改|换|调)|(改|换|调).{0,2}(时间|日期)"
    r"|re-?schedul|reshedul|postpone|change (the |my )?(time|date|appointment|booking|day)"
)


@dataclass(frozen=True, slots=True)
class Decision:
    intent: str
    confidence: float


def decide(norm: str, core: str, hits: set[str], slots: Mapping[str, object], correction: bool,
           expected: str | None, expected_filled: bool, job: bool = False, keep_order: bool = False,
           request: bool = False, dont_know: bool = False, no_person: bool = False,
           complaint: bool = False, days: bool = False) -> Decision:
    """The ordered rules (see module docstring). `hits` are the keyword intents found;
    `job` says the message asks for work (JOB_PATTERNS); `keep_order` that it takes a
    cancellation back (KEEP_ORDER_PATTERNS: 不用取消了, "don't cancel"); `request` that it
    asks for a visit in so many words (REQUEST_PATTERNS); `dont_know` that it only says
    "I don't know" (DONT_KNOW_PATTERNS), which is neither a no nor an answer; `no_person`
    that it says no person is needed after all (NO_PERSON_PATTERNS), a no; `complaint` that
    it complains (COMPLAINT_PATTERNS): a request for a person unless it also asks the bot
    for something it does (a cancel, a new time, a booking with its details). `days` that it
    names a few days to choose from ("这周末"), which is a when: "把保洁改到这周末" moves the order."""
    command = _COMMAND_RE.match(norm)
    if command:
        # Typed at a console or a bot's menu: no keyword or model reading applies.
        return Decision("greet" if command["cmd"] == "start" else "other", 0.95)
    if not core:
        if "rating" in slots:
            return Decision("review", 0.8)
        return Decision("other", 0.3)
    has_booking = any(k in slots for k in BOOKING_SLOTS)
    has_when = days or any(k in slots for k in ("date", "time", "period"))
    answer = short_answer(core)

    if no_person and not has_booking:  # with a booking's details it is that booking
        return Decision("deny", 0.9)
    if "human" in hits or ("call_me" in hits and not _is_booking(slots, request=True)):
        return Decision("human", 0.95)
    if job or dont_know:
        return Decision("other", 0.9)
    if "cancel" in hits and not ("reschedule" in hits and has_when):
        return Decision("cancel", 0.95)
    if "reschedule" in hits and has_when:
        return Decision("reschedule", 0.9)
    if complaint and "rating" not in slots and not _is_booking(slots, request):
        return Decision("human", 0.9)
    if keep_order:
        return Decision("deny", 0.9)
    if answer:
        return Decision(answer, 0.95)
    if "status" in hits:
        return Decision("status", 0.9)
    if "price" in hits:
        return Decision("price", 0.9)
    if expected == "rating" and "rating" in slots:
        return Decision("review", 0.9)
    if "rating" not in slots and _is_booking(slots, request):
        # "…book a deep clean Saturday 9am, 18 Orchard Road. Great job last time!": praise
        # said in passing does not turn a request with its details, or details down to the
        # phone number, into a review ("今天的深度保洁师傅很专业" has a service and a date
        # but asks for nothing).
        return Decision("book", 0.9)
    if "rating" in slots or "review" in hits:
        return Decision("review", 0.9 if "rating" in slots and "review" in hits else 0.8)
    if correction and has_booking:
        return Decision("book", 0.85)
    if "reschedule" in hits and _EXPLICIT_RESCHEDULE_RE.search(norm):
        return Decision("reschedule", 0.85)
    if has_booking:
        return Decision("book", 0.9 if "book" in hits else 0.85)
    if expected_filled:
        return Decision("book", 0.85)
    prefix = answer_prefix(norm)
    if prefix:
        return Decision(prefix, 0.8)
    if "book" in hits:
        return Decision("book", 0.7)
    if "greet" in hits:
        return Decision("greet", 0.9)
    if "order_ref" in slots:
        return Decision("status", 0.7)
    return Decision("other", 0.5)


def _is_booking(slots: Mapping[str, object], request: bool) -> bool:
    """Booking details that only a booking gives, whatever else the message says in passing:
    a service with when, where or how to reach the customer, in a request; or the phone
    number with when or where (no comment on a finished job gives a phone number)."""
    when = any(k in slots for k in _WHEN_SLOTS)
    details = sum((when, "address" in slots, "phone" in slots))
    return ("service" in slots and details >= 1 and request) or ("phone" in slots and details >= 2)


# A learned reading overrides a rule decision only where the rules had little
# to go on, and never to drop booking details the customer gave: the rules are
# precise where they fire, the model covers the phrasings they do not know.
LEARNED_MIN_PROBABILITY = 0.6
LEARNED_OVER_KEYWORD = 0.75   # to overrule a keyword the rules did find
_RULES_SURE = 0.9
_ABOUT_AN_ORDER = {"status", "price", "review", "reschedule", "cancel"}


def wants_second_opinion(rules: Decision, expected_filled: bool) -> bool:
    """Whether the classifier could change `rules` at all: most messages are settled
    by the rules, and then the model is not run."""
    return rules.confidence < _RULES_SURE and not expected_filled


def second_opinion(rules: Decision, learned: tuple[str, float], slots: Mapping[str, object],
                   expected_filled: bool) -> Decision:
    """Combine the rule decision with the trained classifier's (intent, probability)."""
    intent, p = learned
    if intent == rules.intent or not wants_second_opinion(rules, expected_filled) or p < LEARNED_MIN_PROBABILITY:
        return rules
    if intent == "book":
        # "book" needs evidence (slots), not style.
        return rules
    has_booking = any(k in slots for k in BOOKING_SLOTS)
    if has_booking and intent not in _ABOUT_AN_ORDER:
        return rules
    if rules.intent != "other" and not has_booking and p < LEARNED_OVER_KEYWORD:
        return rules
    return Decision(intent, round(min(p, 0.89), 4))
