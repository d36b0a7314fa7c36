"""The rule-based NLU: one message in, one `ParseResult` out.

Extractors run in a fixed order on a progressively masked copy of the
normalised text, most unambiguous first, so a later one cannot re-read what an
earlier one took:

    phone → order_ref → English street address → date/time/period → quantity
    → service → rating → name → address

Then the intent is decided from keywords *and* the slots found (nlu.intents).

A pasted form ("小区：…\n楼号：…", "Estate: …; Room: …") is first said as the readers know it:
its address's parts as one address, its lines as clauses, its note last (nlu.form).

`flags` on the result (never part of the contract output):

- ``correction``: the text corrects something said before (改成…, 不对，是…,
  actually…, I meant…). With several dates/times/phones in such a message the
  last one is taken ("不是明天，是后天"). A value said not to be, with one of its kind said
  instead ("不要明天了，后天吧", "不是深度保洁，是日常保洁", "not 3pm, 4pm"), is masked
  before any reader runs, its no with it: no slot, and no cancel (nlu.corrections.said_not).
- ``help``: asks what the bot can do (帮助, 怎么用, what can you do); only set
  when the intent is greet or other.
- ``services``: asks which services there are (你们有什么服务, what do you offer), on intent
  greet or other (instead of ``help``): the dialogue answers with the price list.
- ``question``: reads as a question (?, 吗, 什么, how…).
- ``request``: asks for a visit in so many words (再约一次, 预约, can you come again):
  a review comment that names the service is told from a new booking by it.
- ``greeting``: opens with a greeting although the intent is something else.
- ``truncated``: the text was longer than `MAX_CHARS` and only its start was read.
- ``expected_filled``: the slot in `expected` was filled from a bare answer.
- ``thanks`` / ``wait``: the whole message only thanks us, or only asks us to wait
  ("稍等，我找一下地址", "one sec"): small talk the contract has no intent for
  (nlu.courtesy).
- ``more``: the message asks for a second booking after the first ("明天上午保洁，后天下午
  修空调"): its text and slots; the result's slots are the first one's (nlu.requests).
- ``also`` / ``also_services``: on a booking of one visit, the other services it asks for
  then ("深度保洁和擦玻璃", "保洁，再擦玻璃", "深度保洁顺便擦玻璃", "deep clean plus window cleaning"): their clauses as written ("擦玻璃"), which go on
  the note, and their ids, which the dialogue offers to book for the same visit once the
  first is confirmed; the service slot is the first named (nlu.requests.one_visit).
- ``items``: on a booking of one service, the different things it names for it ("空调清洗跟
  油烟机清洗", "修空调和洗衣机", "2台空调和1台油烟机"): [(the thing as written, with its count if
  said, "2台空调"; its count, 1 unless said)], at least two; the quantity slot stays the
  contract's (none for counts that add up). The dialogue notes them, and counts them for a
  service priced per item (nlu.items).
- ``destination``: where a move ends ("从望京SOHO搬到回龙观"); the address is where it starts.
- ``other_phones``: [(label, phone)] the numbers besides the ``phone`` slot, which is the
  customer's own ("我的…", "my number…") or else the first ("我老公电话138…，我的139…" →
  phone 139…, [("我老公", "138…")]): the dialogue keeps them on the order's note.
- ``faq``: the index of the catalog's `faq:` entry the message asks about ("能开发票吗");
  on intent other (nlu.faq), which a greeting in front ("你好！请问几点上班", with flag
  ``greeting``) or a question that books nothing ("请问你们周末上门吗") is then
  (_may_ask_the_faq); or on a booking, in a clause no reader took from ("…，13812345678，
  可以开发票吗？"; nlu.notes.asked).
- ``counted``: the quantity with the thing in the home it counts, as written ("2个马桶", "衣柜两个",
  "10 windows"; none for "3个深度保洁" or hours): a service priced by the visit notes it for
  the technician rather than booking so many visits (nlu.slots.counted_thing).
- ``other_address``: the visit is somewhere else than last time, the place not said yet
  ("换个地址", "different address", "we moved"): declines the last address offered.
- ``hours``: asks when visits may start ("你们几点开始", "最早几点能来", "how early can you
  come", "礼拜天干活吗", "do you work on sundays?") and no `faq:` entry answers it, on a message
  that may ask the FAQ: the dialogue answers with the catalog's hours. A day said with it
  ("how early can you come tomorrow?") is what is asked about, no date slot.
- ``asks``: such a question in a booking that no `faq:` entry answers ("…，师傅是男的还是女的？"),
  or a whole message that asks only that ("do i need to be home?", "需要我在家吗？"), as written:
  mid-booking the dialogue passes it on, on the order's note.
- ``technician``: asks about the technician of an order booked, not for a booking:
  "who" ("哪位师傅来", "who is coming?") or "phone" ("师傅电话多少", "what's the
  technician's number?"); intent other, no slots (nlu.staff_questions.technician_question).
- ``dont_know``: the whole message only says "I don't know" ("不知道", "我也不清楚",
  "not sure"): intent other, not deny, and no answer to the question asked
  (nlu.intents.DONT_KNOW_PATTERNS).
- ``day_choice``: the message names a few days instead of one ("周末", "下周末", "this
  weekend", "月底", "end of the month") while the day is asked for (or with a service):
  {"kind": "weekend" | "month_end" | "month_start", "dates": [ISO dates, none past]} ("12月初",
  "early december": the month's first days), which the dialogue
  offers to choose from. With "哪天都行" ("any day") the first of them is flag ``any_day``
  instead, which the dialogue books: the contract's date slot is left out, as no one day
  was said (never guess a slot).
- ``window``: HH:MM a range of hours said as the time ends at ("tmrw between 2 and 4" → "16:00"):
  what the dialogue notes for a service the range gives no hours of work to.
- ``range_hours``: the whole hours of the range of hours the time starts ("2-5pm" → 3, "下午2点到5点",
  "from 9 to 12"), unless the range is when it suits ("下午3点到5点都可以", "anytime between 2 and
  5"). No quantity slot (the contract's is a count said as such), but for a service priced by the
  hour it is how long to book it for, when no hours are said.
- ``length``: a length of work said other than as whole hours ("两个半小时", "2.5 hours", "半天",
  "half a day"): (minutes, the words as written); no quantity slot, but a service priced by the
  hour is booked for the whole hours that hold it (nlu.lengths).
- ``at_noon``: the period "noon" is the English word said alone ("deep clean tmrw noon"): the
  contract's slot (and the eval's gold) is the part of the day, as for "around noon", but the
  customer means 12:00, as "at noon" (time 12:00) is.
- ``after_midnight``: the time is 00:00 read as the midnight that ends a day ("晚上12点",
  "半夜12点", "midnight"), or an hour in the small hours after an evening ("晚上2点": 02:00), and
  the message names no day: the dialogue moves the day it knows on by one ("明天" then "晚上12点"
  is the night between tomorrow and the day after).
- ``coming_morning``: ISO day: "明早七点", "明天上午", "tomorrow morning 7am" said after midnight and
  before 05:00 mean the coming morning, the calendar's today ("后天早上" then: the calendar's
  tomorrow), which the dialogue books and says so. The date slot stays the calendar's, as the
  contract reads "明天" and "后天" at any hour.
- ``tomorrow_at_night``: ISO day: "明天下午3点", "tomorrow" said then, with no morning in it, may
  mean this afternoon or the next day's ("后天", "the day after tomorrow": the calendar's tomorrow
  or the day after); the dialogue keeps the calendar's and says how to have the other
  (nlu.datetime_rules.tomorrow_after_midnight).
- ``bedrooms``: how many bedrooms the home has, as the message says it ("两室一厅", "两居室", "三房两厅",
  "2 bedroom", "3-bed flat": nlu.notes.bedrooms); the words stay a note (or the contract's quantity,
  "2 bedrooms cleaned"), and a service priced by the hour is booked for the catalog's usual hours
  for such a home (`hours_by_bedrooms`) when no hours are said.
- ``same_time_next_week``: the last order booked again a week after it, at its hour ("下周同一时间再约一次",
  "下周这个时候再来一次", "same time next week"), with ``repeat``: the dialogue fills the day and hour
  from that order (nlu.requests.SAME_TIME_NEXT_WEEK_RE); no ``week`` flag.
- ``just_past``: the date slot is a month-day without a year that passed in the last two
  months ("11月20号" said on 11-27): the slot is next year's, as the contract says, and the
  flag the ISO day just gone, which the dialogue refuses as past instead of booking a year on.
- ``said_weekday``: the weekday said beside the date when it is not the date's ("周五12月5号",
  a Saturday; 0 = Monday): the date is taken, and the dialogue points out its weekday
  (nlu.datetime_rules._beside_a_date).
- ``weekday_today``: the date slot is today, named by its weekday alone ("周五" said on a Friday,
  "make it friday"): the contract's reading, but said once today's visits are over (its hour gone,
  or no start left) it means next week's, which the dialogue books instead.
- ``weekday_alone``: the date slot is a weekday said alone, with no 这/下/next ("周六上午", "saturday
  morning"): the first such day, as the contract reads it; the dialogue moves it into the week
  said before in the conversation, if one was (``week``).
- ``week``: the Monday (ISO) of a week said with no day of it ("我下周要搬家", "we're moving next
  week", "这周"), when no date is: the dialogue keeps it for the weekday said alone later ("周六上午":
  next week's). Said in one message with the weekday ("下周，周六上午"), the date slot is that week's.
- ``complaint``: the kind of complaint ("late", "charge", "damage", "refund", "manner", "missed", "redo", or
  "general" for "我要投诉" with none of those) a request for a person makes ("师傅迟到了半小时了", "多收了我50块钱", "the cleaner forgot the balcony"):
  the dialogue apologises (nlu.intents.COMPLAINT_PATTERNS). Also on a booking that comes with one
  ("上次阿姨没擦窗户，这次再约一次明天下午保洁"), whose complaining clauses are read for no slot:
  the dialogue hands the complaint to a person and books the visit.
- ``service_question``: what a question about the service it names asks, when it asks for no visit
  ("length": "深度保洁要多久？"; "detail": "空调清洗包括什么？", "开锁需要带什么证件吗"): intent other,
  the service slot kept; with ``faq`` when the owner answers it, else a detail is ``asks``
  (nlu.intents.SERVICE_QUESTION_PATTERNS). The dialogue answers it, books nothing and changes no draft.
- ``note``: a note for the technician ("备注：带梯子", "…. Note: we have a dog", a last clause
  "…，家里有猫请别开阳台门"): its words, cut off the message before it is read (nlu.notes).
  Also, on a booking, its clauses that no reader took anything from, wherever they sit
  ("…，13812345678，家里有猫", "明天上午10点深度保洁，厨房和卫生间重点打扫，望京SOHO…"), unless they
  are courtesy, a name, an address's rest or a question (nlu.notes.aside). And first, on a
  booking of one service, the thing of that service it names with what is wrong with it ("冰箱不制冷了",
  "washing machine is broken"), or the thing alone when only its repair is asked for ("修热水器" →
  "热水器"; nlu.notes.trouble).
- ``remark``: a whole message of intent other from which nothing else is read, that says
  something of the visit's circumstances or tells the technician what to do ("东西不多 大概十几个
  箱子 有电梯", "门口有保安，报我名字就行", "there's a dog, please ring first"), as written
  (nlu.notes.remark): said to the summary, the dialogue puts it on the order's note; elsewhere
  it is not understood, as before.
- ``recurring``: the words of a standing arrangement ("每周二周五上午", "固定的小时工", "every Friday 3pm"),
  only those (nlu.intents.RECURRING_PATTERNS): an order is one visit, so the dialogue books the first
  and notes these for staff ("每周五下午三点" said on a Friday evening: ``weekday_today`` moves it on).
- ``same_address``: the address is the customer's last one, said as such ("地址跟上次一样",
  "上次那个地址", "same address as last time"; "跟上次一样" only to the address question):
  no address slot, the dialogue looks it up (nlu.address.find_same_address).
- ``repeat``: no service named, but the last order's asked for again ("还是上次那个服务", "再约一次",
  "老样子", "same as last time", "book it again"): the dialogue looks it up (nlu.requests.REPEAT_RE).
  Those words are no note. The person asked back ("再请她来", "book her again") is ``same_staff``
  and ``repeat`` both (nlu.requests.PERSON_AGAIN_RE).
- ``same_staff``: asks for the person who came last time ("还是上次那个阿姨来", "上次的师傅吧",
  "same cleaner as last time please"); ``staff_named``: asks for a staff member by name, the name
  as written ("让王师傅来" → "王师傅", "can Li come again?" → "Li"). Either request's words are read
  first and taken out of the message: no note, no service ("cleaner"), no customer's name ("王师傅");
  the dialogue looks the person up, among the business's staff or on the last completed order
  (nlu.staff_questions.same_staff, staff_named). ``asks_staff``: either asked as a question
  ("还是上次那个阿姨来吗", "will it be the same cleaner as last time?", "can Li Na come?"): a wish
  all the same, which the dialogue answers (noted, we ask them first), not one for staff.
  ``staff_maybe``: {"name": "李娜", "words": "让李娜来"}: a full name without a title asked to come
  ("让李娜来", "能让李娜明天来吗"), a request only if a staff member is so called, which the
  dialogue looks up; its words stay in the message, read as before (nlu.staff_questions.staff_maybe).
- ``few_words``: a price question in a bare English phrase of at most three words ("how much?",
  "price pls"): too little to say a Chinese-speaking customer switched to English
  (handlers.conversation.reply_lang keeps the conversation's language for it).
- ``bare_hour``: the time's hour says nothing of which half of the day ("3点", "3:00",
  "3" to "what time?"), so `time` is the contract's guess (15:00); the dialogue may
  know better from the part of the day asked about ("凌晨几点？").
- ``moved_by``: the signed minutes the message moves a visit by ("提前一个小时" -60, "推迟半小时" 30,
  "push it back an hour" 60, "推迟一天" 1440): the dialogue moves the draft's time, or a booked
  order's, by so much (nlu.shifts).
- ``quantity_delta``: the signed count the message changes the amount by ("再加一个小时" 1, "再多洗一台"
  1, "少一个小时" -1, "2 more hours" 2): no ``quantity`` slot then, which states an amount; the dialogue
  adds it to the draft's or the booked order's (nlu.deltas). ``delta_per``: what it counts, "hour" or
  "item" (a service's ``price_per``): "再加一台" is no more hours of a clean. ``delta_thing``: the
  catalog object counted, when named ("再加一台空调", "one more aircon please": 空调, aircon).
- ``count_only``: the message is a count and nothing else ("两台", "2 units", "4台吧"; not "我要洗4台"):
  right after a booking, how many of what was booked.
- ``replaces``: the parts of an address the message puts right, [(old, new), …] ("是T2不是T1" →
  [("T1", "T2")]); ``room_fix``: the room number it gives as such ("门牌号是1503" → "1503"). The
  dialogue applies them to the address it read back (nlu.corrections.fixed_address).
- ``wrong_field``: the detail the message says is wrong without the right one ("电话错了" →
  "phone", "wrong address" → "address"), or the whole message asks to change ("改电话",
  "change my phone number"): the dialogue asks for it again.
- ``yes_but``: the message goes on with a "but" ("对 但是…", "好的，不过…", "yes, but…"): with a yes
  it is no yes to the summary as it stands.
- ``cancel_the_order``: a cancel of the order itself, not of a change under way ("算了 直接取消吧",
  "cancel it instead").
- ``word_rating``: the stars a rating word opening the message gives ("满意" → 5, "一般" → 3,
  "差评！师傅态度很差" → 1, "👍" → 5); the rating slot stays the contract's ("5星").
- ``rating_comment``: the comment said after the rating that opens the message ("4星，阿姨挺好的
  就是阳台没擦" → "阿姨挺好的就是阳台没擦"), none when the rest changes the rating or says nothing.
- ``no_comment``: the whole message says there is nothing to add ("没有了", "no thanks"), to
  "anything to tell us?" (nlu.review_words).
- ``fault``: the whole message only describes a fault, naming no object ("不排水", "it won't
  drain"): during a booking it is about the thing booked, a note, not another service (nlu.notes.fault).

These eleven, from ``moved_by``, are read on the whole message as typed (a note's words and a
second booking's too), as the dialogue read them before they were the NLU's (nlu.corrections).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from nlu import guarded
from nlu.address import (
    find_address, find_en_street, find_route, find_same_address, find_units_apart, lacks_units, with_typed_punctuation,
    with_units,
)
from nlu.datetime_rules import (
    HOUR_CHANGED_RE, MOVED_TO_A_TIME_RE, SMALL_HOURS_END, When, bare_day, bare_hour, bare_range, bare_when, day_choice,
    either_day, extract_when, framed_hour,
    any_time, moved_to_hour,
    range_hours, tomorrow_after_midnight,
)
from nlu.deltas import delta_per, quantity_delta, thing_added
from nlu.classifier import NO_SERVICE, models_for
from nlu.corrections import cancel_the_order, part_fixes, room_fix, said_not, wrong_field, yes_but
from nlu.courtesy import asks_language, is_goodbye, is_thanks, is_wait
from nlu.faq import FaqMatcher
from nlu.form import as_read
from nlu.intents import (
    HYPOTHETICAL_RE, IntentRules, core_text, decide, says_never_mind, second_opinion, short_answer, wants_second_opinion,
)
from nlu.names import bare_name, find_name, may_be_a_name
from nlu.items import find_items, one_thing, sorts_counted
from nlu.lengths import length_said
from nlu.notes import (
    after_the_first_clause, as_asked, aside, asked, asked_alone, asked_beside, bedrooms, fault, fault_of_it,
    faults_of_it, find_note, home_size, instruction, lessons, plight, praise,
    refers_back, remark, trouble, with_trouble,
)
from nlu.normalize import detect_lang, has_cjk, has_english_word, is_mixed, normalize
from nlu.offers import asked_for, names_the_trade
from nlu.variants import variant_for
from nlu.unoffered import owners_kinds, unoffered_kinds, what_it_is, without_kinds, without_reasons
from nlu.phone import find_phones, labelled_phone_attempt, own_and_others, phone_attempt
from nlu.requests import (
    ADDS_RE, CONTACT_SLOTS, PERSON_AGAIN_RE, REPEAT_RE, SAME_TIME_NEXT_WEEK_RE, not_wanted, one_visit,
    second_request,
)
from nlu.review_words import comment_with_rating, is_no_comment, rating_from_words
from nlu.services import ServiceMatcher
from nlu.shifts import relative_move
from nlu.slots import (
    bare_quantity, bare_rating, counted_thing, names_a_party, find_order_refs, hours_and_heads, find_quantities, find_ratings, framed_quantity,
)
from nlu.spans import MASK, Span, mask
from nlu.staff_questions import (about_the_staff, asked_as_question, mentions_staff, same_staff, staff_maybe,
                                 staff_named, technician_question)
from nlu.training_data import TrainingData
from nlu.training_data import load as load_training_data
from nlu.types import SLOT_NAMES, CatalogLike, ParseResult

log = logging.getLogger(__name__)

# Intents whose keywords mean a free-text answer is *not* the slot the bot asked for.
_NOT_A_FREE_ANSWER = {"human", "call_me", "cancel", "status", "price", "greet", "reschedule", "review"}
# Intents whose messages may describe a service in words no rule knows ("厨房老有小强").
_MAY_NAME_A_SERVICE = {"book", "price", "status", "reschedule", "review"}
SERVICE_MIN_PROBABILITY = 0.6
_WHEN = ("date", "time", "period")
# `expected` when the bot asked when a booked order should be instead ("改到什么时间？"): a day,
# an hour or both, the order having its day already, so a bare "1" is 13:00 (`bare_when`).
NEW_WHEN = "new_when"
_ASKS_WHEN = frozenset({*_WHEN, NEW_WHEN})
# What makes the words before a last clause a booking, whose note that clause may be.
_BOOKING_WORDS = frozenset({"service", "date", "time", "period", "address", "phone"})
DESTINATION = "destination"  # flag: where a move ends (its start is the address)
OTHER_PHONES = "other_phones"  # flag: [(label, phone)] the numbers besides the order's (nlu.phone.own_and_others)
BARE_HOUR = "bare_hour"  # flag: the time's half of the day is the contract's guess
# Questions whose bare answer is a place, read as a whole ("where?", "where are you moving to?"):
# the dialogue takes the place given to the second as where the move ends.
_PLACES = frozenset({"address", DESTINATION})
JUST_PAST = "just_past"  # flag: ISO day, the date slot's month-day gone lately (dialogue: past)
SAID_WEEKDAY = "said_weekday"  # flag: a weekday said beside the date that is not its own
WEEKDAY_TODAY = "weekday_today"  # flag: the date is today, named by its weekday alone ("周五" on a Friday)
WEEKDAY_ALONE = "weekday_alone"  # flag: the date is a weekday said alone ("周六", "saturday")
WEEK = "week"  # flag: the Monday (ISO) of a week said with no day of it ("我下周要搬家", "next week")
UNTIL = "until"  # HH:MM a range of hours ends at ("2-5pm": "17:00"; nlu.datetime_rules.When.until), for RANGE_HOURS
AT_NOON = "at_noon"  # flag: the period noon is the English word alone ("tmrw noon"), 12:00
LENGTH = "length"  # flag: (minutes, words) of a length of work said other than as whole hours (nlu.lengths)
RANGE_HOURS = "range_hours"  # flag: the whole hours of a range of hours said as the time ("2-5pm": 3)
WINDOW = "window"  # flag: HH:MM a range of hours said as the time ends at ("tmrw between 2 and 4": "16:00")
# A range said as the hours that suit, not the hours of work: "下午3点到5点都可以", "anytime between 2 and 5".
_WINDOW_RE = guarded.compile(r"都(?:可以|行|ok|方便)|随时|之间都|any ?time|whenever|(?:is|are) fine|works for me|either")
_HEADS = "_heads"  # the people counted beside the hours ("2 cleaners"), for the note (nlu.slots.hours_and_heads)
COUNTED = "counted"  # flag: the quantity with the thing in the home it counts ("2个马桶"; nlu.slots.counted_thing)
BEDROOMS = "bedrooms"  # flag: the home's bedrooms the message says ("两室一厅": 2; nlu.notes.bedrooms)
_BEDROOM_WORDS = ("室", "房", "居", "bed", "br")  # what `bedrooms` needs in the text: a cheap check first
AFTER_MIDNIGHT = "after_midnight"  # flag: the time ends, or is after, the night of a day the message does not name
_TONIGHT = "tonight"  # inside a parse only: the date moved into the small hours after today (When.tonight)
_TOMORROW = "said_tomorrow"  # inside a parse only: the days ahead the date was said as, 1 or 2 (When.ahead)
COMING_MORNING = "coming_morning"  # flag: ISO day, "明早" said after midnight read as this morning's
TOMORROW_AT_NIGHT = "tomorrow_at_night"  # flag: ISO day, today, that "明天" said after midnight may mean
DAY_CHOICE = "day_choice"  # flag: days to choose from ("周末", "月底"), when the day was asked
ANY_DAY = "any_day"  # flag: ISO day, the first of those days when any of them will do (no slot)
RECURRING = "recurring"  # flag: the words of a standing arrangement ("每周二周五上午", "every Friday 3pm")
WEEKDAY_ASKED = "weekday_asked"  # flag: ISO day whose weekday the message asks ("后天是周几")
HAGGLE = "haggle"  # flag: a price question asking it lower ("能便宜点吗", "can you do it cheaper?")
ANY_TIME = "any_time"  # flag: the whole message says any day or time suits ("随便 都行")
NOT_OFFERED = "not_offered"  # flag: work asked for that no catalog service does (nlu.unoffered)
NOTE = "note"  # flag: the note for the technician the message carries (nlu.notes)
PRAISE = "praise"  # flag: the praise of the last visit a booking opens with, no note ("she was great, …")
STATUS_FAQ = "status_faq"  # flag: the FAQ entry a status question matches ("多久能到"), for a customer with no order
REMARK = "remark"  # flag: the whole message, nothing else read, is a remark for the staff (nlu.notes.remark)
TECHNICIAN = "technician"  # flag: asks who the order's technician is ("who") or their number ("phone")
LANGUAGE = "language"  # flag: the whole message asks if we chat in English or Chinese (nlu.courtesy.asks_language)
ASKS = "asks"  # flag: a question a booking (nlu.notes.asked) or the whole message (asked_alone) asks, no FAQ answers
SAME_ADDRESS = "same_address"  # flag: the address is the one the customer gave before
OTHER_ADDRESS = "other_address"  # flag: the address is not the one given before, and not said yet
MOVED_BY = "moved_by"  # flag: signed minutes a visit is moved by (nlu.shifts)
QUANTITY_DELTA = "quantity_delta"  # flag: signed count the amount changes by (nlu.deltas)
DELTA_PER = "delta_per"  # flag: "hour" or "item", what that count counts
DELTA_THING = "delta_thing"  # flag: the catalog object that count is of ("再加一台空调": 空调)
COUNT_ONLY = "count_only"  # flag: the message is a count and nothing else ("两台", "2 units")
REPLACES = "replaces"  # flag: [(old, new)] parts of an address put right (nlu.corrections)
ROOM_FIX = "room_fix"  # flag: the room number given as such
WRONG_FIELD = "wrong_field"  # flag: "phone" or "address", said wrong without the right one
YES_BUT = "yes_but"  # flag: the message goes on with a "but"
CANCEL_THE_ORDER = "cancel_the_order"  # flag: the order is cancelled, not only a change of it
WORD_RATING = "word_rating"  # flag: 1-5 a rating word opening the message gives (nlu.review_words)
RATING_COMMENT = "rating_comment"  # flag: the comment after the rating that opens the message
NO_COMMENT = "no_comment"  # flag: the whole message says there is nothing to add
ALSO_SERVICES = "also_services"  # flag: the ids of the services `also` names, in order
REDO = "redo"  # complaint kind: the work asked to be done again (nlu.intents.COMPLAINT_PATTERNS)
REPEAT = "repeat"  # flag: the service is the customer's last order's, said as such (nlu.requests.REPEAT_RE)
SAME_TIME_NEXT_WEEK = "same_time_next_week"  # flag: the last order again a week on, at its hour (with REPEAT)
_CJK_RE = guarded.compile(r"[\u4e00-\u9fff]")
PRICED_THING = "priced_thing"  # flag: the thing a price question names ("空调加氟多少钱": 空调), for the booking offered
BY_THING = "by_thing"  # flag: the service is read from a thing alone ("油烟机是侧吸的"), no words of a service
THING = "thing"  # flag: a correction's thing of the service ("不对 是修冰箱"), replacing the one noted
ITEMS = "items"  # flag: [(thing as written, count)] a booking names for its one service (nlu.items)
SERVICE_QUESTION = "service_question"  # flag: "length" or "detail", what a question asks of the service named
ASKS_LENGTH = "asks_length"  # flag: a booking asks how long its service takes ("约个深度保洁，要多久？"), no FAQ answers
FAULT = "fault"  # flag: the whole message only describes a fault, of nothing it names (nlu.notes)
SAME_STAFF = "same_staff"  # flag: asks for the person who came last time (nlu.staff_questions.same_staff)
STAFF_NAMED = "staff_named"  # flag: the staff member asked for by name, as written ("王师傅", "Li")
ASKS_STAFF = "asks_staff"  # flag: either of those asked as a question ("还是上次那个阿姨来吗")
STAFF_MAYBE = "staff_maybe"  # flag: {"name", "words"}: a bare full name asked to come ("让李娜来")
# The flags read on the message as typed, each by its reader (`_whole_message_flags`); a
# message split in two bookings keeps the whole's (`_two_requests`).
_AS_TYPED: tuple[tuple[str, Callable[[str], object]], ...] = (
    (MOVED_BY, relative_move), (QUANTITY_DELTA, quantity_delta), (DELTA_PER, delta_per), (REPLACES, part_fixes), (ROOM_FIX, room_fix),
    (WRONG_FIELD, wrong_field),
    (YES_BUT, yes_but), (CANCEL_THE_ORDER, cancel_the_order),
    (WORD_RATING, rating_from_words), (RATING_COMMENT, comment_with_rating), (NO_COMMENT, is_no_comment),
    (FAULT, fault), (ANY_TIME, any_time))
_WHOLE_MESSAGE_FLAGS = frozenset(name for name, _ in _AS_TYPED)
FEW_WORDS = "few_words"  # flag: a price question in a bare English phrase ("how much?")
_MOST_FEW_WORDS = 3
EITHER_LANG = "either_lang"  # flag: the message is as much English as Chinese (`_either_language`)
# Slots `read_slot` reads with `_find` (date/time/period and address have their own path).
_READ_ALONE = frozenset({"phone", "order_ref", "quantity", "service", "rating", "name"})


@lru_cache(maxsize=1)
def training_data() -> TrainingData:
    return load_training_data()


def _either_language(wide: str, slots: dict[str, object]) -> bool:
    """The message says nothing of the customer's language: about as much English as Chinese
    ("deep clean 明天 3pm"), or its Chinese all in the place it names, pasted from a map
    ("朝阳区望京SOHO T1-1203" answering "What's the address?"). The dialogue answers such a
    message in the conversation's language (`handlers.conversation.reply_lang`)."""
    if is_mixed(wide):
        return True
    rest = wide
    for slot in ("address", "destination"):
        place = slots.get(slot)
        rest = rest.replace(place, " ") if isinstance(place, str) else rest
    return has_cjk(wide) and not has_cjk(rest)


def _second_request(rest: ParseResult, first: dict[str, object]) -> dict[str, object]:
    """The slots of a message's second booking (`NluParser._two_requests`) as that message
    means them: an hour or part of the day with no day of its own is on the first booking's
    day ("明天上午深度保洁，下午再洗两台空调": tomorrow afternoon), "再洗两台" is two, not two
    more of a booking it has none to add to, and its note (空调) is its own."""
    slots = dict(rest.slots)
    if "date" not in slots and "date" in first and slots.keys() & {"time", "period"}:
        slots["date"] = first["date"]
    if "quantity" not in slots and isinstance(rest.flags.get(QUANTITY_DELTA), int):
        slots["quantity"] = rest.flags[QUANTITY_DELTA]
    if "notes" not in slots and isinstance(rest.flags.get(NOTE), str):
        slots["notes"] = rest.flags[NOTE]  # "…，下午再洗两台空调": which appliances, for the technician
    return slots



def _with_the_wish(work: str, typed: str, sent: str, wish: Span | None) -> tuple[str, str]:
    """`work` and `typed` with the staff wish read first (`wish`, blanked out of both) back as
    the customer wrote it (`sent`: the message up to where `work` ends), where they line up: a
    question holding one ("能让王师傅来吗？") is passed on as written, not as "吗？" (pure)."""
    said = normalize(sent) if wish is not None else None
    if said is None or not len(said.norm) == len(sent) == len(work) or len(said.wide) != len(typed):
        return work, typed
    a, b = wish.start, wish.end
    back = "".join(o if w == " " else w for w, o in zip(work[a:b], said.norm[a:b]))  # masks stay masks
    return work[:a] + back + work[b:], typed[:a] + said.wide[a:b] + typed[b:]


class NluParser:
    """Rule-based parser for one catalog and business time zone; build once, reuse."""

    # Chat messages are short; reading only the start of a pasted essay keeps
    # the parse time bounded and the result still sensible.
    MAX_CHARS = 2000

    def __init__(self, catalog: CatalogLike, timezone: str = "Asia/Shanghai") -> None:
        self._tz = ZoneInfo(timezone)
        self._catalog = catalog
        data = training_data()
        self._services = ServiceMatcher(catalog, data.synonyms)
        self._rules = IntentRules.build()
        self._models = models_for(catalog, data)
        self.service_ids = frozenset(svc.id for svc in catalog.services)
        # priced per thing (家电清洗): the one thing named is noted too, so the technician knows it
        self._per_item = frozenset(svc.id for svc in catalog.services if getattr(svc, "price_per", None) == "item")
        # Moves: what they name without a service's own words is what is moved (`_moved_things`).
        self._moves = frozenset(svc.id for svc in catalog.services if getattr(svc, "needs_destination", False))
        self._faq = FaqMatcher([entry.keywords for entry in getattr(catalog, "faq", ())])
        self._owners_unoffered = owners_kinds(getattr(catalog, "not_offered", ()))  # "调钢琴": theirs to list
        # Done at the business's place (a salon's): a party counted there is how many are served.
        shop = getattr(catalog, "shop_services", None)
        self._at_shop = frozenset(shop()) if callable(shop) else frozenset()

    def _served_here(self, service: object) -> bool:
        """Whether a party of people counted with `service` are all served (at our place), or,
        no service named, whether any of ours is done there."""
        return service in self._at_shop if service else bool(self._at_shop)

    def _local(self, now: datetime | None) -> datetime:
        """`now` on the business's wall clock (naive), whose day dates are read against and
        whose time of day "in 2 hours" is: the current time when None."""
        if now is None:
            return datetime.now(self._tz).replace(tzinfo=None)
        if now.tzinfo is None or now.utcoffset() is None:
            return now  # naive = business-local wall clock
        return now.astimezone(self._tz).replace(tzinfo=None)

    def _today(self, now: datetime | None) -> date:
        return self._local(now).date()

    def _in_the_small_hours(self, now: datetime | None) -> bool:
        """Whether it is after midnight and before the morning (the night that "今晚" and
        "今天夜里" still mean then)."""
        return self._local(now).hour < SMALL_HOURS_END

    @staticmethod
    def _tomorrow_said_after_midnight(slots: dict[str, object], bare: bool, local: datetime,
                                      ahead: int = 1) -> dict[str, object]:
        """"明天" ("后天": `ahead` 2) said after midnight and before 05:00 may mean a day earlier: the
        customer counts the days from the coming morning. The date slot stays the calendar's (the
        contract's reading, the same at any hour); the flags say what else it may mean:
        ``coming_morning`` ("明早七点": this morning, nobody asleep yet, which the dialogue books and
        says so) or ``tomorrow_at_night`` ("明天下午3点": this afternoon or the next day's? the
        dialogue keeps the calendar's and says how to have the other)."""
        said = local.date() + timedelta(days=ahead)
        if slots.get("date") != said.isoformat():
            return {}
        time_said, period = slots.get("time"), slots.get("period")
        reading = tomorrow_after_midnight(local.time(), time_said if isinstance(time_said, str) else None,
                                          period if isinstance(period, str) else None, bare)
        meant = (said - timedelta(days=1)).isoformat()  # the day said, counted from the coming morning
        if reading == "today":
            return {COMING_MORNING: meant}
        if reading == "ask":
            return {TOMORROW_AT_NIGHT: meant}
        return {}

    def parse(self, text: str, now: datetime | None = None, expected: str | None = None) -> ParseResult:
        """Understand one message; never raises on odd input (the bot must answer something)."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        try:
            result = self._parse(text, self._local(now), expected)
        except Exception:  # noqa: BLE001 - a parser bug must not take a conversation down
            log.exception("NLU failed on a message of %d chars", len(text))
            return ParseResult("other", 0.0, {}, detect_lang(text) if text else "und", {"error": True})
        if result.flags.pop(_TONIGHT, False) and self._in_the_small_hours(now):
            # "今天夜里两点" said at 00:30: this very night's 02:00, today, not tomorrow's
            result.slots["date"] = self._today(now).isoformat()
        if ahead := result.flags.pop(_TOMORROW, 0):
            result.flags.update(self._tomorrow_said_after_midnight(
                result.slots, bool(result.flags.get(BARE_HOUR)), self._local(now), int(ahead)))
        if result.flags.get(ANY_DAY) and result.slots.get("date") == result.flags[ANY_DAY]:
            # The day was ours to pick, not said: no contract slot (never guess one). It is
            # dropped here, once the whole reading (intent, a second booking) has used it.
            del result.slots["date"]
        if result.lang == "en" and result.intent == "other" and not result.slots and not result.flags \
                and not has_english_word(text):
            # "asdfghjkl": nothing read, and no English word in it either; the dialogue keeps
            # the conversation's language (a new chat's is the business's), not English
            result.lang = "und"
        return result

    async def parse_async(self, text: str, now: datetime | None = None,
                          expected: str | None = None) -> ParseResult:
        """The dialogue's entry point: every backend has it, so one that calls a
        server (Rasa) does not block the event loop. In-process parsing is fast
        enough (well under a millisecond) to run inline."""
        return self.parse(text, now=now, expected=expected)

    def read_slot(self, kind: str, text: str, now: datetime | None = None) -> dict[str, object]:
        """Only `kind`'s reader on a fragment already known to be that slot.

        For a backend that found the entity itself (Rasa): its text needs the
        contract's value (dates against `now`, phones as digits, services as
        ids) but not the intent rules, the classifiers, the flags or every other
        extractor, which make up most of a parse. `date`, `time` and `period`
        are read together, as one expression ("明天下午" is a date and a period).
        Empty when the reader finds nothing: the caller decides what that means.
        """
        n = normalize(text)
        # A fragment that corrects itself ("不是明天，是后天") means its last value, as in a parse.
        last = bool(self._rules.correction.search(n.norm))
        if kind in _WHEN:
            local = self._local(now)
            when = extract_when(n.norm, local.date(), prefer_last=last, clock=local.time())
            return _when_slots(when)  # "明天" after midnight too: the calendar's, as a parse's slots
        if kind == "address":
            # An address is what the other readers leave ("明天下午三点来望京SOHO" is
            # an address after the time is taken), so all of them run, as in a parse.
            slots, _ = self._extract(n.norm, n.wide, self._local(now), last, None)
            return {kind: slots[kind]} if kind in slots else {}
        if kind not in _READ_ALONE:
            return {}
        spans = self._find(kind, n.norm, n.norm, n.wide)
        return {kind: spans[-1 if last else 0].value} if spans else {}

    # ------------------------------------------------------------------ internals
    def _parse(self, text: str, now: datetime, expected: str | None) -> ParseResult:
        """`now`: business-local (`_local`)."""
        today = now.date()
        flags: dict[str, object] = {}
        if len(text) > self.MAX_CHARS:
            text = text[: self.MAX_CHARS]
            flags["truncated"] = True
        text = as_read(text)  # a pasted form: its address's parts as one address, its note last
        text = self._services.named_by_part(text) or text  # "深度的": 深度保洁, as if said in full
        as_typed = _whole_message_flags(text)
        flags.update(as_typed)
        whole = text
        more_of = self._more_of_a_thing(text) if QUANTITY_DELTA not in flags else None
        if more_of is not None:  # "再加一台空调", "one more aircon please": so many more of it
            flags[QUANTITY_DELTA], flags[DELTA_PER], flags[DELTA_THING] = more_of[0], "item", more_of[1]
        as_written = normalize(text).wide
        lang = detect_lang(as_written)
        person = self._staff_asked_for(text)
        maybe = None if person is not None else staff_maybe(text, may_be_a_name)
        wish = person[1] if person is not None else maybe
        if wish is not None and asked_as_question(text, wish):  # "还是上次那个阿姨来吗", "能让李娜来吗"
            flags[ASKS_STAFF] = True
        # "再请她来", "book her again": the same person, and the last booking again (`REPEAT` below)
        again_with_her = person is not None and bool(PERSON_AGAIN_RE.search(text[wish.start:wish.end]))
        if person is not None:  # "还是上次那个阿姨来", "让王师傅来": a wish, read first and taken out
            flags[person[0]] = wish.value
            text = text[:wish.start] + " " * (wish.end - wish.start) + text[wish.end:]
        elif maybe is not None:  # "让李娜来": perhaps a staff member's full name; the words stay, the
            # dialogue looks it up
            flags[STAFF_MAYBE] = {"name": maybe.value, "words": text[maybe.start:maybe.end]}
        note = self._note(text, now)
        if note is not None:  # read no further: its words are for the technician, not slots
            flags[NOTE] = note.value
            text = text[:note.start]
        n = normalize(text)
        norm, wide = n.norm, n.wide
        punctuated = text if len(text) == len(wide) else wide  # the customer's punctuation, where `wide` indexes `text`
        rules = self._rules
        correction = bool(rules.correction.search(norm))
        said_not = self._said_not(norm, wide, now)
        if said_not:  # "不要明天了，后天吧": the value said not to be is no slot, and its no is no cancel
            norm, correction = mask(norm, said_not), True
        # a rating word in front ("very good but she forgot the balcony") makes a complaint the review's words
        complaint = rules.complaint(norm) if WORD_RATING not in flags else None
        if complaint:  # "上次阿姨没擦窗户，这次再约一次明天下午保洁": the complaint's words book nothing
            norm = self._without_the_complaint(norm)
        core = core_text(norm)
        # "不需要人工了": its keywords (人工, 不需要…了) say neither "a person" nor "cancel"
        no_person = bool(rules.no_person.search(norm))
        hits = rules.hits(rules.no_person.sub(" ", norm) if no_person else norm)
        courtesy = "thanks" if is_thanks(text) else "bye" if is_goodbye(text) else "wait" if is_wait(text) else None
        if courtesy:
            flags[courtesy] = True
        dont_know = rules.says_dont_know(core)
        if dont_know:
            flags["dont_know"] = True
        chatter = courtesy is not None or rules.only_chatter(norm, core)
        # "I no longer need a human" asked for the address is no address either
        free_answer = self._free_answer(norm, core, hits, chatter) and not no_person and not complaint
        # a price question's last quantity is the one asked about: "一台多少 三台呢" is about three
        shown = with_typed_punctuation(wide, text)  # the address keeps the customer's ，and （）
        slots, work = self._extract(norm, wide, now, correction, expected,
                                    relaxed_address=expected in _PLACES and free_answer,
                                    last_quantity="price" in hits, shown=shown, counted=flags.get(DELTA_THING))
        if OTHER_PHONES in slots:  # a second number (a spouse's): no contract slot
            flags[OTHER_PHONES] = slots.pop(OTHER_PHONES)
        delta = flags.get(QUANTITY_DELTA)
        if delta is not None and slots.get("quantity") == abs(int(delta)):  # "再加一个小时": 1 more, not 1
            slots.pop("quantity")
            slots.pop(COUNTED, None)
        rest = core_text(work.replace(MASK, " "))
        if slots.keys() - {COUNTED} == {"quantity"} and (not rest or rest in str(slots.get(COUNTED, ""))):
            flags[COUNT_ONLY] = True  # "两台", "2 units": how many, and nothing else ("我要洗4台" books)
        if DESTINATION in slots:  # a move's second address: no contract slot
            flags[DESTINATION] = slots.pop(DESTINATION)
        if slots.pop(SAME_ADDRESS, False):
            flags[SAME_ADDRESS] = True

        filled = False
        if expected and expected not in slots:
            filled = self._fill_expected(expected, core, work, wide, slots, free_answer, today)
            if filled:
                flags["expected_filled"] = True
        if expected is None and not slots and (count := framed_quantity(core)) is not None:
            slots["quantity"] = count  # "3 please" at the summary: how many
        elif expected is None and not slots and (hour := framed_hour(core)) is not None:
            slots.update({"time": hour, BARE_HOUR: True})  # "how about 7" at the summary: the hour
        elif expected == "address" and not slots and core.isdigit() and len(core) <= 2 and (hour := bare_hour(core)):
            # "3" to "what's the address?" once "afternoon" was said: no address (nlu.address), its
            # hour, which the dialogue takes only while the part of the day has none
            slots.update({"time": hour, BARE_HOUR: True})
        if "phone" not in slots:
            labelled = None if expected == "phone" else labelled_phone_attempt(work)
            if labelled:  # "…, phone 1381234567" inside a booking: its number, said wrong (no note)
                work = mask(work, [labelled])
            attempt = labelled.value if labelled else phone_attempt(norm) if expected == "phone" else None
            if attempt:  # "1381234567": a digit short; "07700 900123": no country code
                flags["bad_phone"] = attempt
        if slots.pop(BARE_HOUR, False) or (filled and expected in ("time", NEW_WHEN) and "time" in slots):  # "3" to "what time?" too
            flags[BARE_HOUR] = True
        if slots.pop(AFTER_MIDNIGHT, False):
            flags[AFTER_MIDNIGHT] = True
        if slots.pop(_TONIGHT, False):
            flags[_TONIGHT] = True
        if ahead := slots.pop(_TOMORROW, 0):
            flags[_TOMORROW] = ahead
        if just_past := slots.pop(JUST_PAST, None):
            flags[JUST_PAST] = just_past
        if (said := slots.pop(SAID_WEEKDAY, None)) is not None:
            flags[SAID_WEEKDAY] = said
        if slots.pop(WEEKDAY_TODAY, False):
            flags[WEEKDAY_TODAY] = True
        if slots.pop(WEEKDAY_ALONE, False):
            flags[WEEKDAY_ALONE] = True
        if week := slots.pop(WEEK, None):
            flags[WEEK] = week
        until = slots.pop(UNTIL, None)
        changed = HOUR_CHANGED_RE.search(norm)
        if until and changed:  # "move from 3pm to 5pm": to 5pm, no range of hours
            slots["time"], until = until, None
        moved = changed or MOVED_TO_A_TIME_RE.search(norm)
        if not slots.keys() & {"time", "period"} and (hour := moved_to_hour(norm)) is not None:
            slots["time"] = hour  # "move the deep clean to 11": a bare hour, read as the contract reads one
            flags[BARE_HOUR] = True
        if moved and "service" in slots and self._only_the_verb(norm, moved):
            slots.pop("service")  # "move to friday", "move from 3pm to 5pm": a visit moved, no move of house
        if until and slots.get("time"):  # "tmrw between 2 and 4" for a repair: the window for the note
            flags[WINDOW] = until
        hours = range_hours(slots.get("time"), until)  # type: ignore[arg-type]
        if hours and not _WINDOW_RE.search(norm):
            flags[RANGE_HOURS] = hours  # "regular cleaning 2-5pm": three hours of it, if priced by the hour
        if slots.pop(AT_NOON, False):
            flags[AT_NOON] = True
        if (variant := variant_for(self._catalog.services, slots.get("service"), norm)) is not None:
            slots["service"] = variant  # "婚礼跟拍 半天": the half-day one of the kind (nlu.variants)
        if "quantity" not in slots and (length := length_said(norm)) is not None:
            flags[LENGTH] = length  # "打扫两个半小时": booked for 3 hours, if priced by the hour
        if (thing := slots.pop(COUNTED, None)) is not None:
            flags[COUNTED] = thing
        if any(w in norm for w in _BEDROOM_WORDS) and (rooms := bedrooms(norm)) is not None:
            flags[BEDROOMS] = rooms  # "两室一厅", "2 bedroom": an hourly service's usual hours follow it

        request = bool(rules.request.search(norm))
        if not filled and rules.asks_about_the_day(norm, hits, request, slots):
            # The day asked about is no date to book: such a question must not start a booking.
            for k in _WHEN:
                slots.pop(k, None)
        elif not filled and set(slots) == {"date"} and not request and "book" not in hits \
                and rules.weekday_question.search(norm):
            # "后天是周几来着": that day's weekday answered, no visit booked
            flags[WEEKDAY_ASKED] = slots.pop("date")
        elif not filled and set(slots) == {"date"} and rules.question.search(norm) \
                and rules.hours_question.search(norm):
            # "how early can you come tomorrow?", "明天最早几点能来": the hours asked, no visit booked
            del slots["date"]
        # "让王师傅周末来": the days a person is asked to come on are the booking's, asked or not
        when_for_someone = wish is not None
        two = either_day(norm, today) if slots.get("date") and "price" not in hits else None
        either = two is not None and slots["date"] in (two[0].isoformat(), two[1].isoformat())
        if either:  # "Thursday or Friday afternoon": no day yet but two to choose from (below), not the first
            del slots["date"]
            flags.pop(WEEKDAY_ALONE, None)
        if "date" not in slots and (expected in _ASKS_WHEN or "service" in slots or when_for_someone or either
                                    or "reschedule" in hits):  # "改到这周末": which day of it, for the order
            choice = day_choice(norm, today)  # "周末", "月底" answering "which day?"
            if choice is not None and choice.days:
                if choice.any_day:  # "这周末哪天都行": the first of them, for the dialogue (`parse`)
                    slots["date"] = flags[ANY_DAY] = choice.days[0].isoformat()
                elif when_for_someone or either or not rules.question.search(norm):  # "周末上班吗" asks the FAQ
                    flags[DAY_CHOICE] = {"kind": choice.kind, "dates": [d.isoformat() for d in choice.days]}
        if no_person:
            flags["no_person"] = True
        if says_never_mind(core):
            flags["never_mind"] = True
        if not _WHEN & slots.keys() and rules.asap.search(norm):
            flags["asap"] = True  # no day or hour given: the first the business can do
        if slots.get("period") == "night" and "time" not in slots and rules.small_hours.search(norm):
            flags["small_hours"] = True  # 凌晨: not the evening's night; the dialogue asks the hour
        typed = wide if len(wide) == len(norm) else norm  # the words as typed ("every Tuesday"), when they line up
        standing = " ".join(dict.fromkeys(typed[m.start():m.end()].strip() for m in rules.recurring.finditer(norm)))
        if standing:  # "每周二上午": one visit is booked, the wish (these words) goes on its note
            flags[RECURRING] = standing
        decision = decide(norm, core, hits, slots, correction, expected, filled,
                          job=bool(rules.job.search(norm)),
                          keep_order=bool(rules.keep_order.search(norm)),
                          # "…，能让王师傅来吗，他上次修得好": a person asked to come asks for a visit; the
                          # praise is why, no review
                          request=request or person is not None,
                          dont_know=dont_know, no_person=no_person, complaint=complaint is not None,
                          days=DAY_CHOICE in flags)
        if wants_second_opinion(decision, filled):
            decision = second_opinion(decision, self._models.intent.best(norm), slots, filled)
        intent = decision.intent
        if intent == "review" and "rating" not in slots and (person is not None or str(slots.get("date", "")) > str(today)):
            # "能让王师傅来吗？他上次做得好", "明天下午3点修空调，他上次修得好": a person asked to come again,
            # or a day still to come, the praise why; a review is of a visit done
            intent = "book"
        if complaint == REDO and intent == "book":  # "明天来返工": the day is for the person putting it right
            intent = "human"
        if complaint and intent in ("human", "book"):  # with a booking, both: a person and the visit
            flags["complaint"] = complaint
            for wish in (SAME_STAFF, STAFF_NAMED, STAFF_MAYBE, ASKS_STAFF):  # "上次让王师傅来，他迟到了":
                flags.pop(wish, None)  # the person complained of, not asked for
        counts_shared = COUNTED in flags and self._services.counts_shared(str(flags[COUNTED]))
        if "service" not in slots and intent in _MAY_NAME_A_SERVICE and not counts_shared:
            sid, p = self._models.service.best(self._without_staff_questions(norm))
            if sid != NO_SERVICE and p >= SERVICE_MIN_PROBABILITY:
                slots["service"] = sid
        if correction or (intent == "reschedule" and any(k in slots for k in ("date", "time", "period"))):
            flags["correction"] = True
        if intent in ("greet", "other", "price") and "service" not in slots and rules.service_list.search(norm):
            flags["services"] = True
        elif intent in ("greet", "other") and rules.help.search(norm):
            flags["help"] = True
        if "address" not in slots and rules.other_address.search(norm.strip()):
            flags[OTHER_ADDRESS] = True  # "换个地址", "different address": not the last one, not said yet
        if rules.question.search(norm):
            flags["question"] = True
        if (intent == "price" or (intent == "other" and not slots)) and rules.haggle.search(norm):
            intent, flags[HAGGLE] = "price", True  # "能便宜点吗", "太贵了": the listed prices, said kindly
        if intent == "price" and lang == "en" and len(norm.split()) <= _MOST_FEW_WORDS:
            flags[FEW_WORDS] = True  # "how much?": no sentence to say the customer switched to English
        if request:
            flags["request"] = True
        next_week = SAME_TIME_NEXT_WEEK_RE.search(norm) if intent in ("book", "other") else None
        if next_week is not None:  # "下周同一时间再约一次": the last order again, a week after it
            flags[SAME_TIME_NEXT_WEEK] = flags[REPEAT] = True
            flags.pop(WEEK, None)  # its week is the last order's next, not a week to pick a day in
            intent = "book"
            work = mask(work, [next_week.span()])
        again = REPEAT_RE.search(norm) if "service" not in slots and SAME_ADDRESS not in flags else None
        if again is not None:  # "还是上次那个服务", "same as last time": the last order's service
            flags[REPEAT] = True
            work = mask(work, [again.span()])  # read: no note for the technician
        elif again_with_her and "service" not in slots and SAME_ADDRESS not in flags:
            flags[REPEAT] = True
            if intent == "review" and "rating" not in slots and _WHEN & slots.keys():
                intent = "book"  # "she did a great job, book her again next friday": praise, and a booking
        if "greet" in hits and intent != "greet":
            flags["greeting"] = True
        ask = asked_for(norm)
        if ask is not None and names_the_trade(ask.what) and "service" not in slots:
            flags["services"] = True  # "做家政吗", "do you do home services?": what we do, priced
        elif ask is not None:  # "有家教吗", "do you do pest control": offered or not, the dialogue says
            flags["asked_for"] = ask.what
            if ask.question:
                flags["asks_offer"] = True
        about = self._about_a_service(norm, intent, slots, hits, request or correction)
        if rules.visit_length.search(norm) and intent in ("book", "other") and not (request or correction) \
                and not slots.keys() - {"service", "quantity"}:
            # "how long until the cleaning is done?", "多久能修好": the visit's own length, as "how long
            # will it take?" (the "cleaning" said is the visit's, no regular cleaning)
            slots = {k: v for k, v in slots.items() if k not in ("service", "quantity")}
            intent, flags["question"] = "other", True
            flags.update(self._asked(as_asked(punctuated)))
        elif about is not None:  # "深度保洁要多久？", "开锁需要带什么证件吗": answered, no booking started
            intent, flags[SERVICE_QUESTION], flags["question"] = "other", about, True
        # An answer to our "which day?" is no question for the FAQ ("周末" is one of its keywords).
        answers_when = (expected in _ASKS_WHEN or when_for_someone) \
            and bool(_WHEN & slots.keys() or DAY_CHOICE in flags)
        if _may_ask_the_faq(intent, slots, "question" in flags) and not chatter and not answers_when:
            faq = self._faq.find(norm)
            if faq is not None:
                flags["faq"] = faq
                if intent == "greet":  # "你好！请问几点上班": the greeting is courtesy, the question wins
                    flags["greeting"] = True
                intent = "other"
        elif intent == "status" and not slots and (faq := self._faq.find(norm)) is not None:
            flags[STATUS_FAQ] = faq  # "你们多久能到": the owner's answer, for one with no order yet
        if flags.get(SERVICE_QUESTION) == "detail" and "faq" not in flags:
            flags[ASKS] = as_asked(punctuated)  # "空调清洗包括什么？": no FAQ answers it, a person does
        if "faq" not in flags and _may_ask_the_faq(intent, slots, "question" in flags) \
                and rules.hours_question.search(norm):
            flags["hours"] = True  # "你们几点开始", "how early can you come": the catalog's hours
        if not slots and asks_language(text):  # "do you speak english?": the bot answers that it does
            intent, flags[LANGUAGE], flags["question"] = "other", True, True
            flags.pop("faq", None)
        about_them = technician_question(norm) if not slots.keys() - {"service", "quantity"} else None
        if about_them is not None and intent not in ("cancel", "reschedule", "human", "review") and not request:
            # "师傅电话多少", "who is coming?": about the order booked, answered from it
            slots, intent = {}, "other"
            flags.update({"question": True, TECHNICIAN: about_them})
        elif intent != "status" and self._about_the_staff(norm) and not slots.keys() - {"service", "quantity"}:
            # ("is my cleaner coming?" asks after the order)
            # "阿姨是女的吗", "is the cleaner a woman?": no service, no booking; a question passed on
            slots = {}
            intent = "other"
            faq = self._faq.find(norm)  # "does the plumber bring tools?": the owner's answer
            flags.update({"question": True, **({"faq": faq} if faq is not None else {ASKS: as_asked(punctuated)})})
        asked_of = norm  # what a question passed on alone is judged on (`asked_alone`)
        if intent == "book" and "question" in flags and slots.keys() == {"service"} and not correction \
                and self._only_the_reason_names_it(norm):
            # "刚装修完，窗户上有很多胶和油漆，能弄掉吗？": the renovation is why it is asked, no
            # deep clean booked; the whole message is the question, passed on as written
            del slots["service"]
            intent, asked_of = "other", without_reasons(norm)
        if intent == "book" and not correction and "service" in slots and _WHEN & slots.keys():
            split = second_request(norm, today, self._service_in)
            if split is not None:
                return self._two_requests(wide, split, slots, now, expected, as_typed)
        moved = slots.get("service") in self._moves  # a move's things are what is moved: its words noted as said
        if intent == "book" and not correction and "service" in slots:
            # another service mention left once the first is masked, or no second service at all
            named = self._moved_things if moved else self._service_asked
            visit = one_visit(norm, wide, named, self._services.names) if self._service_in(work) else None
            if visit is not None:  # "保洁，再擦玻璃": one visit; the others go on its note
                slots["service"], flags["also"], flags[ALSO_SERVICES] = visit
            elif ADDS_RE.search(norm) and not _WHEN & slots.keys():
                flags["adds"] = True  # "再加个擦玻璃": more for a booking under way, if there is one
            unaddressed = _without(norm, shown, slots.get("address"))
            things = find_items(unaddressed, wide, self._services.objects)
            if things is not None:  # "被锁门外": the service's own words name no lock and door
                things = find_items(unaddressed, wide, self._services.objects, self._service_in(norm))
            if things is not None and visit is None and not moved:  # "修空调和洗衣机": one service, both things for it
                flags[ITEMS] = things
            elif visit is None and (sorts := sorts_counted(norm, wide)) is not None:
                flags[ITEMS] = sorts  # "挂机2台柜机1台": 3 of them, no one count the quantity
                slots.pop("quantity", None)
                flags.pop(COUNTED, None)
        typed = punctuated
        wrong: list[Span] = []
        if intent in ("book", "price") and not correction and "service" in slots and not flags.keys() & {"also", ITEMS}:
            # "冰箱不制冷了", "能来修热水器吗": which thing and what is wrong with it (items list several)
            things = self._services.objects_of(_without(norm, shown, slots.get("address")), str(slots["service"]))
            wrong = trouble(norm, work, typed, things) or plight(norm, typed)
            if not wrong and (slots["service"] in self._per_item or COUNTED not in flags):
                # "清洗两台空调": 空调 × 2; "装个衣柜", "修空调": the thing noted for the technician
                # ("装2个衣柜" for a visit: the dialogue notes what was counted, count and all)
                wrong = [t for t in one_thing(_without(norm, shown, slots.get("address")), typed, self._services.objects)
                         if not self._in_its_name(str(slots["service"]), str(t.value))]
            work = mask(work, wrong)  # read: no aside of its own
        if intent == "book" and "service" in slots and not self._services.names(norm):
            flags[BY_THING] = True  # "油烟机是侧吸的": no service's words, only its thing
        if intent == "book" and correction and "service" in slots and not flags.keys() & {"also", ITEMS}:
            # "不对 是修冰箱 冰箱不制冷", "不是空调 是冰箱": the thing the visit is for, said anew
            said = self._thing_said(norm, work, typed, slots, flags)
            if said:
                flags[THING] = said
        if intent == "book" and NOTE not in flags and not correction and slots.keys() & _BOOKING_WORDS:
            # "…，家里有猫"
            words = aside(work, typed, self._chat, self._no_note_for(slots.get("service"), moved), may_be_a_name)
            if words is not None:
                flags[NOTE] = words.value
            liked = praise(work, typed)
            if liked is not None:
                flags[PRAISE] = liked
        if wrong and intent == "price":  # "空调加氟多少钱": the thing, for the booking the price offers
            flags[PRICED_THING] = with_trouble(wrong)
        elif wrong:
            flags[NOTE] = with_trouble(wrong, flags.get(NOTE))
        heads = slots.pop(_HEADS, None)
        if heads is not None and intent == "book":
            flags[NOTE] = f"{flags[NOTE]}, {heads}" if NOTE in flags else heads
        for size in (home_size, lessons) if intent == "book" and not correction else ():
            said = size(typed)  # "…? 3 bed apt": the home's size; "约10节钢琴课": how many lessons
            if said is not None and said not in str(flags.get(NOTE, "")):
                flags[NOTE] = f"{flags[NOTE]}, {said}" if NOTE in flags else said
        if (intent in ("book", "price") or correction) and ASKS not in flags and slots.keys() & _BOOKING_WORDS:
            # "…，可以开发票吗？": the FAQ's answer, else the question passed on (``asks``); a
            # change says one too ("改成后天，可以开发票吗")
            question = asked(*_with_the_wish(work, typed, whole[:len(text)], wish if person is not None else None),
                             self._passes_on)
            if question is not None:
                faq = self._faq.find(work[question.start:question.end])
                if faq is None and slots.keys() == {"service"} and refers_back(question.value):
                    # "just renovated, there's glue on the windows, can you get it off?": its "it" is
                    # what the rest says, so the whole message is the question, no note of its own
                    flags.pop(NOTE, None)
                    flags.update(self._asked(as_asked(punctuated)))
                else:
                    flags.update({"faq": faq} if faq is not None else self._asked(question.value))
        if not slots and intent in ("book", "other") and "question" in flags and not chatter \
                and not flags.keys() & {ASKS, TECHNICIAN, LANGUAGE, REPEAT, "faq", "hours", "services", "help"}:
            # "do i need to be home?": a question no reader answers, passed on (mid-booking, on the note);
            # "can we have her back next week" asks for the booking again, which the dialogue makes
            lined_up = len(norm) == len(typed) == len(text)  # where the wish's place in `text` is theirs
            question = asked_alone(asked_of, typed, self._passes_on) if person is None or not lined_up \
                else asked_beside(norm, typed, (wish.start, wish.end), self._passes_on)  # "…? also can Mr Wang come?"
            if question is not None:
                flags.update(self._asked(question))
        if intent == "affirm" and not slots and not flags.keys() & {NOTE, "faq", ASKS}:
            # "确认，能开发票吗", "ok, do I need to be home?": a yes, and a question after it, which
            # the dialogue answers from the FAQ or passes on (``asks``) as it confirms
            flags.update(self._asked_after_a_yes(text, now))
        if intent == "other" and not slots and not hits and not chatter and not flags.keys() - {"truncated", BEDROOMS}:
            # "东西不多 大概十几个箱子 有电梯", "there's a dog, please ring first": nothing read but a
            # remark for the staff, which the dialogue puts on the note at the summary (nlu.notes.remark)
            said = remark(norm, typed)
            if said is not None:
                flags[REMARK] = said
        if _either_language(as_written, slots):
            flags[EITHER_LANG] = True
        unoffered = [k for k in unoffered_kinds(whole, self._owners_unoffered)
                     if not self._services.holds(normalize(what_it_is(k)).norm)]
        if unoffered:  # "…顺便除甲醛": not ours to do, so said, and no note that books it silently
            flags[NOT_OFFERED] = "、".join(unoffered)
            rest = whole
            for k in unoffered:
                rest = rest.replace(k, " ")
            if "service" in slots and self._service_in(without_reasons(normalize(rest).norm)) is None:
                # "formaldehyde removal": no moving for its "removal"; "我家刚装修完要除甲醛吗": the
                # renovation is why it is asked, no deep clean
                del slots["service"]
            for said in (flags, slots):
                for key in (NOTE, REMARK, "notes"):
                    if isinstance(said.get(key), str):
                        kept = without_kinds(str(said[key]), unoffered)
                        if kept is None:
                            del said[key]
                        else:
                            said[key] = kept
        ordered = {k: slots[k] for k in SLOT_NAMES if k in slots}
        return ParseResult(intent, decision.confidence, ordered, lang, flags)

    def _only_the_reason_names_it(self, norm: str) -> bool:
        """Whether the service `norm` names is only read from why something is asked ("刚装修完",
        "just renovated": nlu.unoffered.without_reasons), no word of it left once that is blanked."""
        rest = without_reasons(norm)
        return rest != norm and self._service_in(rest) is None

    def _without_the_complaint(self, norm: str) -> str:
        """`norm` with the clauses that complain masked when the rest asks for a visit or names a
        service ("上次阿姨没擦窗户，这次再约一次明天下午保洁": 日常保洁 is booked, not the windows
        complained of); as it was when the complaint is all it says, whose service staff see."""
        said = self._rules.complained(norm)
        rest = mask(norm, said)
        asks = self._rules.request.search(rest) or self._service_in(rest) is not None
        return rest if said and asks else norm

    def _asked(self, question: str) -> dict[str, object]:
        """The flags of a question no FAQ answers: passed on (``asks``), and when it asks how long
        ("要多久？", "how long will it take?", "will it take long?") ``asks_length`` too, which the dialogue answers from
        the catalog's length of the service booked, if there is one."""
        norm = normalize(question).norm
        length = bool(self._rules.service_questions["length"].search(norm) or self._rules.takes_long.search(norm))
        return {ASKS: question, **({ASKS_LENGTH: True} if length else {})}

    def _about_a_service(self, norm: str, intent: str, slots: dict[str, object], hits: set[str],
                         booking_words: bool) -> str | None:
        """What a question about the service it names asks ("length" or "detail";
        nlu.intents.SERVICE_QUESTION_PATTERNS), when it asks for no visit: nothing but the
        service (and a count) said, no request or correction, no price asked in so many words
        (a price question answers the length too), read as a booking or nothing else."""
        if intent not in ("book", "other", "price") or "price" in hits or booking_words \
                or "service" not in slots or slots.keys() - {"service", "quantity"}:
            return None
        term = self._service_in(norm)  # the service's own words ask nothing: 证件照 is no 证件 asked for
        return self._rules.about_a_service(mask(norm, [term]) if term is not None else norm)

    def _said_not(self, norm: str, wide: str, now: datetime) -> list[tuple[int, int]]:
        """The clauses of `norm` that say a value is not the one (nlu.corrections.said_not)
        where the rest of the message says one of its kind instead ("不要明天了，后天吧": a day):
        what they name is no slot, nor is their no a cancel. A name said not to be is never
        the name, one said instead or not ("我不姓王", "我不是王先生"); a service or a time said
        not to be, with nothing instead, is left to mean what it did ("不要擦玻璃了": a cancel)."""
        out: list[tuple[int, int]] = []
        for said in said_not(norm):
            start, end = said.value
            old = _kinds(self._extract(norm[start:end], wide[start:end], now, False, None)[0])
            if old and (old == {"name"} or old & _kinds(self._extract(mask(norm, [said.clause]), wide, now,
                                                                       True, None)[0])):
                out.append(said.clause)
        return out

    def _note(self, text: str, now: datetime) -> Span | None:
        """The note for the technician in `text` (nlu.notes): a labelled one, else the last
        clause of a booking ("明天保洁，…" before it) or of a yes ("好的，…") that tells what to
        do, unless that clause is the booking's own words ("…，请下午3点来", "…, please come asap", "…，不要深度保洁了")
        or a question. Conservative: "转人工，别让机器人回了" keeps its last clause."""
        labelled = find_note(text)
        if labelled is not None:
            return labelled
        return self._instruction(text, now) or self._remark_after_a_yes(text, now)

    def _instruction(self, text: str, now: datetime) -> Span | None:
        """The last clause of a booking or of a yes that tells what to do (`_note`)."""
        clause = instruction(text)
        if clause is None:
            return None
        before, after = normalize(text[:clause.start]), normalize(text[clause.start:])
        # "好的，记得带梯子" to the summary: a yes before it, which the dialogue confirms with the note
        said_yes = short_answer(core_text(before.norm)) == "affirm"
        if not said_yes and not self._extract(before.norm, before.wide, now, False, None)[0].keys() & _BOOKING_WORDS:
            return None
        rules = self._rules
        said = self._extract(after.norm, after.wide, now, False, None)[0]
        if said.keys() == {"service"} and self._service_wanted(after.norm) is None:
            said = {}  # "…，不用搬沙发": the service named is what need not be done, how the visit is wanted
        if said or rules.asap.search(after.norm) \
                or rules.question.search(after.norm) or rules.hits(after.norm) & _NOT_A_FREE_ANSWER:
            return None
        return clause

    def _remark_after_a_yes(self, text: str, now: datetime) -> Span | None:
        """"好的，家里有猫", "yes, there's a dog" to the summary: a yes, and after it a remark for
        the staff (flag ``remark``), which the dialogue confirms with on the note rather than
        confirming without it."""
        after = self._after_a_yes(text, now)
        said = after[1].flags.get(REMARK) if after else None
        return Span(after[0], len(text), said) if after and isinstance(said, str) else None

    def _asked_after_a_yes(self, text: str, now: datetime) -> dict[str, object]:
        """The question after a yes ("确认，能开发票吗" → ``faq``, "确认，顺便问下要我在家吗" →
        ``asks``), as the same words alone would be read; none when there is no such question."""
        after = self._after_a_yes(text, now)
        rest = after[1].flags if after else {}
        return {k: rest[k] for k in ("faq", ASKS, ASKS_LENGTH) if k in rest}

    def _after_a_yes(self, text: str, now: datetime) -> tuple[int, ParseResult] | None:
        """Where the words after a yes that opens the message start ("好的，家里有猫" → at 家), and
        their reading alone; None when the message is not a yes and more."""
        cut = after_the_first_clause(text)
        if cut is None or short_answer(core_text(normalize(text[:cut]).norm)) != "affirm":
            return None
        return cut, self._parse(text[cut:], now, None)

    def _chat(self, clause: str) -> bool:
        """A clause after a booking that is courtesy, not a note: thanks, chat, "尽快", a yes,
        a request in so many words ("帮我安排一下"), a promise of details to come ("地址稍后发你")."""
        rules, core = self._rules, core_text(clause)
        return (not core or is_thanks(clause) or is_wait(clause) or rules.only_chatter(clause, core)
                or bool(rules.asap.search(clause))
                or short_answer(core) is not None or bool(rules.request.search(clause))
                or rules.hits(clause) == {"book"})

    def _no_note(self, clause: str, service: Callable[[str], Span | None] | None = None) -> bool:
        """A clause after a booking that says its last words are no note: a question, a
        greeting, another intent's word ("…，多少钱"), a call for help, a service (the
        visit's `also`, read apart; `service` reads it, for a move `_moved_things`)."""
        rules = self._rules
        return (bool(rules.question.search(clause) or rules.help.search(clause))
                or bool(rules.hits(clause) - {"book"}) or (service or self._service_in)(clause) is not None)

    def _no_note_for(self, booked: object, moved: bool) -> Callable[[str], bool]:
        """`_no_note` for a booking of `booked`: a clause naming that service again with words of
        its own is about it ("擦玻璃，家里落地窗比较多": 窗 names window cleaning), a note; another
        service's is none (read by `_moved_things` for a move), nor a plea for the booked one ("求疏通")."""
        read = self._moved_things if moved else self._service_wanted

        def other(clause: str) -> Span | None:
            found = read(clause)
            if found is None or found.value != booked:
                return found
            rest = clause[:found.start] + clause[found.end:]  # "求疏通", "要除虫": the booking's words again
            return None if len(_CJK_RE.findall(rest)) >= 3 or len(rest.split()) >= 3 else found
        return lambda clause: self._no_note(clause, other)

    def _passes_on(self, clause: str) -> bool:
        """A clause of a booking that asks us something ("可以开发票吗？", "师傅是男的还是女的？"):
        a question that is no other intent's ("…，多少钱？" is a price question), no call for
        help, no service asked for, no chat, unless the FAQ answers it ("can I get an invoice?"
        reads as a booking's "get")."""
        rules = self._rules
        staff = self._about_the_staff(clause)  # "保洁阿姨是女的吗": a question, and no cleaning asked for
        wanted = self._service_wanted(clause)
        # "can you do it without moving the sofa?": how the visit can be done, asked as a request
        how = wanted is None and self._service_in(clause) is not None
        # "要是没通开收钱吗": a price in a case supposed, which no price list answers
        answered = {"book", "price"} if HYPOTHETICAL_RE.search(clause) else {"book"}
        return (bool(staff or rules.question.search(clause)) and not rules.help.search(clause)
                and not rules.hits(clause) - answered and (staff or wanted is None)
                and (how or not self._chat(clause) or self._faq.find(clause) is not None))

    def _only_the_verb(self, norm: str, moved: re.Match[str]) -> bool:
        """Whether the verb of a visit moved ("move to friday", `MOVED_TO_A_TIME_RE`) is all
        that names a service in `norm`: "move" is the moving service's word too."""
        return self._service_in(mask(norm, [Span(moved.start("verb"), moved.end("verb"), "")])) is None

    def _service_in(self, text: str, counted: str | None = None) -> Span | None:
        """The service `text` names, its supplies left out: "do you bring your own cleaning
        supplies?", "自己带清洁工具吗" name things the staff bring, no cleaning
        (nlu.intents.SUPPLIES_PATTERNS). Only the lookup skips them: a question about them
        stays in the text, for the FAQ. `counted`: the thing a quantity counts (`_find`)."""
        return self._services.find(self._rules.supplies.sub(lambda m: " " * len(m.group()), text), counted)

    def _staff_asked_for(self, text: str) -> tuple[str, Span] | None:
        """The person the message asks to come (`SAME_STAFF` or `STAFF_NAMED`, and where it says
        so), else None. A "name" that is a service's word ("can cleaning be done again") is none."""
        same = same_staff(text)
        named = staff_named(text)
        if named is not None and self._service_in(normalize(str(named.value)).norm) is not None:
            named = None
        if named is not None and (same is None or same.overlaps(named)):
            # "the same guy as last time, Mr Wang": the name says who last time's was
            return STAFF_NAMED, named if same is None else Span(min(same.start, named.start),
                                                                  max(same.end, named.end), named.value)
        return None if same is None else (SAME_STAFF, same)

    def _about_the_staff(self, text: str) -> bool:
        """Whether `text` only asks about the person we send (nlu.staff_questions.about_the_staff)."""
        return about_the_staff(text, bool(self._rules.question.search(text)),
                               lambda rest: self._service_in(rest) is not None)

    def _without_staff_questions(self, text: str) -> str:
        """`text` with its clauses that only ask about the person we send masked ("friday 10am,
        is the mover a woman?"): their staff word ("mover", "cleaner") asks for no service."""
        if not mentions_staff(text):
            return text
        return mask(text, [m.span() for m in _CLAUSE_RE.finditer(text) if self._about_the_staff(m.group())])

    def _in_its_name(self, service_id: str, thing: str) -> bool:
        """Whether the service's own name says `thing` ("开锁" the 锁 of "能来开锁吗"): no news
        to note for the technician."""
        names = next((svc.names.values() for svc in self._catalog.services if svc.id == service_id), ())
        return any(thing.lower() in name.lower() for name in names)

    def _service_asked(self, clause: str) -> Span | None:
        """The service a clause names, unless it only asks about the staff ("保洁阿姨是女的吗"
        names no cleaning to add to the visit) or says what is wrong with the thing named before
        it ("fix my washing machine, it won't drain": no drain unclogging; nlu.notes.fault_of_it),
        or says it need not be done ("without moving the sofa", "不用搬沙发": nlu.requests.not_wanted)."""
        return None if self._about_the_staff(clause) or fault_of_it(clause) else self._service_wanted(clause)

    def _service_wanted(self, clause: str) -> Span | None:
        """The service a clause names, unless only as what need not be done ("can you do it
        without moving the sofa?", "不用搬沙发": nlu.requests.not_wanted), which is how the visit
        is wanted, for its note or a question passed on, and no other service beside it."""
        found = self._service_in(clause)
        return None if found is None or not_wanted(clause, found) else found

    def _thing_said(self, norm: str, work: str, typed: str, slots: dict[str, object],
                    flags: dict[str, object]) -> str | None:
        """The thing of the booked service a correction names, with what is wrong with it when said
        ("冰箱不制冷"), as written; not one it says is not meant (``replaces``' old: "不是空调 是冰箱")."""
        gone = {old for old, _ in flags.get(REPLACES) or ()}
        things = [t for t in self._services.objects_of(_without(norm, typed, slots.get("address")),
                                                       str(slots["service"])) if t.value not in gone]
        if not things:
            return None
        last = things[-1]
        wrong = trouble(norm, work, typed, [last])
        return wrong[-1].value if wrong else typed[last.start:last.end].strip()

    def _moved_things(self, clause: str) -> Span | None:
        """The service a clause of a move's booking names by a service's own words ("搬家，顺便修
        空调"), not by a thing alone: "东西有点多有冰箱洗衣机还有一个大衣柜" is what is moved, no
        repair nor assembly offered beside the move."""
        return self._service_asked(clause) if self._services.names(clause) else None

    def _two_requests(self, wide: str, split: tuple[int, int], whole: dict[str, object], now: datetime,
                      expected: str | None, whole_flags: dict[str, object]) -> ParseResult:
        """A message asking for two bookings (nlu.requests): the first one's reading, with
        the contact details said anywhere in the message, and flag ``more``: the rest's
        text and slots (and its own ``more``, for a third), which the dialogue books next.
        The flags read on the whole message (`_whole_message_flags`) are the whole's."""
        first = self._parse(wide[:split[0]], now, expected)
        rest_text = wide[split[1]:].strip()
        rest = self._parse(rest_text, now, None)
        slots = {**{k: whole[k] for k in CONTACT_SLOTS if k in whole}, **first.slots}
        own = {k: v for k, v in first.flags.items() if k not in _WHOLE_MESSAGE_FLAGS}
        flags = {**own, **whole_flags,
                 "more": {"text": rest_text, "slots": _second_request(rest, first.slots), "more": rest.flags.get("more")}}
        return ParseResult("book", first.confidence, {k: slots[k] for k in SLOT_NAMES if k in slots},
                           first.lang, flags)

    def _more_of_a_thing(self, text: str) -> tuple[int, str] | None:
        """How many more of which catalog object the message asks for ("再加一台空调" (1, "空调"),
        "add another aircon" (1, "aircon")), else None: the words after the count must name a
        thing a service is done to, and nothing else (`ServiceMatcher.object_named`)."""
        added = thing_added(text)
        thing = self._services.object_named(added[1]) if added else None
        return (added[0], thing) if added and thing else None

    def _free_answer(self, norm: str, core: str, hits: set[str], chatter: bool) -> bool:
        """Whether the message may be a bare answer (an address, a name) to the bot's question:
        not a yes/no, not another intent's keyword, not a question, not a call for help and
        not chat ("稍等", "谢谢", "哈哈", "不知道"), which answer nothing."""
        rules = self._rules
        return bool(core) and not (short_answer(core) or hits & _NOT_A_FREE_ANSWER
                                   or rules.question.search(norm) or rules.help.search(norm)
                                   or chatter)

    def _extract(self, norm: str, wide: str, now: datetime, correction: bool, expected: str | None,
                 relaxed_address: bool = False, last_quantity: bool = False,
                 shown: str | None = None, counted: object = None) -> tuple[dict[str, object], str]:
        """Every extractor in the module docstring's order on a progressively masked
        copy of `norm`: the slots found and what is left unmasked. A Chinese address is
        cut from `shown` (`wide` with the customer's punctuation), when given. `counted`: a
        thing the message asks more of (``delta_thing``), which names no service, as a count's."""
        shown = shown or wide
        pick = (lambda xs: xs[-1]) if correction else (lambda xs: xs[0])
        slots: dict[str, object] = {}
        work = norm

        def take(name: str, spans: list[Span]) -> None:
            nonlocal work
            if spans:
                span = spans[-1] if name == "quantity" and last_quantity else pick(spans)
                both = hours_and_heads(work, spans) if name == "quantity" and len(spans) > 1 else None
                if both is not None:  # "2 cleaners for 3 hours": 3 hours, the cleaners on the note
                    span, slots[_HEADS] = both[0], both[1]
                slots[name] = span.value
                if name == "quantity" and (thing := counted_thing(work, span)) and MASK not in thing:
                    slots[COUNTED] = thing  # no contract slot: `_parse` makes it a flag
                work = mask(work, spans)

        def take_route(route: tuple[Span | None, Span] | None) -> None:
            # Its end alone may follow an address read before ("从 88 Jianguo Road 搬到…").
            nonlocal work
            if route is not None and DESTINATION not in slots and ("address" not in slots or route[0] is None):
                start, end = route
                if start is not None:
                    slots["address"] = start.value
                slots[DESTINATION] = end.value
                work = mask(work, [s for s in route if s is not None])

        phones = self._find("phone", work, norm, wide)
        if len(phones) > 1 and not correction:  # "我老公电话138…，我的139…": the customer's own, the other kept
            own, others = own_and_others(norm, phones)
            phones = [own, *(s for s in phones if s is not own)]
            if others:
                slots[OTHER_PHONES] = others
        take("phone", phones)
        take("order_ref", self._find("order_ref", work, norm, wide))
        take_route(find_route(work, wide, latin=True))
        if "address" not in slots:
            take("address", _found(find_en_street(work, wide)))
        when = extract_when(work, now.date(), prefer_last=correction, time_expected=expected in ("time", NEW_WHEN),
                            clock=now.time())
        slots.update(_when_slots(when))
        if when.bare:  # no contract slot: `_parse` makes it a flag
            slots[BARE_HOUR] = True
        if when.next_day:  # likewise
            slots[AFTER_MIDNIGHT] = True
        if when.tonight:  # likewise, for `parse` (which knows the hour now)
            slots[_TONIGHT] = True
        if when.ahead:  # likewise
            slots[_TOMORROW] = when.ahead
        if when.just_past:
            slots[JUST_PAST] = when.just_past
        if when.said_weekday is not None:  # likewise
            slots[SAID_WEEKDAY] = when.said_weekday
        if when.weekday_today:  # likewise
            slots[WEEKDAY_TODAY] = True
        if when.weekday_alone:  # likewise
            slots[WEEKDAY_ALONE] = True
        if when.week:  # likewise
            slots[WEEK] = when.week
        if when.until is not None:  # likewise
            slots[UNTIL] = when.until
        if when.at_noon:  # likewise
            slots[AT_NOON] = True
        work = mask(work, when.spans)
        take_route(find_route(work, wide, latin=False))
        # "几点开门", "周日开门吗": the shop's door, no lock-out (nlu.intents.BUSINESS_HOURS_PATTERNS).
        work = mask(work, [m.span() for m in self._rules.business_hours.finditer(work)])
        for kind in ("quantity", "service", "rating", "name"):
            take(kind, self._find(kind, work, norm, wide, counted=slots.get(COUNTED) or counted))
        same = None if "address" in slots else find_same_address(work, asked=expected == "address")
        if same is not None:  # "地址跟上次一样": no address of its own (a flag, `_parse`)
            slots[SAME_ADDRESS] = True
            work = mask(work, [same])
        elif "address" not in slots:
            # Once a move's end is taken, what is left around it ("目的地是", "新家在") is no
            # place, however bare: only an address that looks like one is read.
            relaxed = relaxed_address and DESTINATION not in slots
            take("address", _found(find_address(work, shown, relaxed=relaxed, bare=expected == DESTINATION)))
        if "address" in slots and DESTINATION not in slots and lacks_units(str(slots["address"])):
            units = find_units_apart(work, shown)  # "朝阳区望京SOHO，138…，T1栋1203": the room, said apart
            if units:
                slots["address"] = with_units(str(slots["address"]), [u.value for u in units])
                work = mask(work, units)
        return slots, work

    def _find(self, kind: str, work: str, norm: str, wide: str, counted: object = None) -> list[Span]:
        """The spans of one slot kind in the (masked) `work` text: the one place each
        reader is called, so a parse and `read_slot` read a slot the same way. `counted`:
        the thing the quantity read counts ("3 aircons"), which may name no service."""
        if kind == "phone":
            return find_phones(work)
        if kind == "order_ref":
            return find_order_refs(work, wide)
        if kind == "quantity":
            counts = find_quantities(work, self._services.names)
            if any(names_a_party(work[c.start:c.end]) for c in counts) \
                    and not self._served_here(getattr(self._services.find(norm), "value", None)):
                # "一家三口住两室一厅" for a cleaning: who lives there (the note's), not how much to
                # book; at a salon ("一家三口做美甲") how many are served
                counts = [c for c in counts if not names_a_party(work[c.start:c.end])]
            return counts
        if kind == "service":
            thing = counted if isinstance(counted, str) else None
            asked = self._without_staff_questions(work)  # "friday 10am, is the mover a woman?": no move
            besides = mask(asked, [m.span() for m in _CLAUSE_RE.finditer(work) if fault_of_it(m.group())]
                           + faults_of_it(work))
            # "fix my washing machine? it won't drain", "… it won't drain": the repair, not a drain unclogging
            return _found(self._service_in(besides, thing) or self._service_in(asked, thing))
        if kind == "rating":
            return find_ratings(work, norm)
        if kind == "name":
            return _found(find_name(work, wide))
        raise ValueError(f"no reader of its own for {kind!r}")

    def _fill_expected(self, expected: str, core: str, work: str, wide: str, slots: dict[str, object],
                       free_answer: bool, today: date) -> bool:
        """A bare answer to the question the bot just asked (see NluParser.parse)."""
        value: object | None = None
        if expected == NEW_WHEN:  # a day or an hour: the slot is the one read
            read = bare_when(core, today) if not _WHEN & slots.keys() else None
            if read is not None:
                slots[read[0]] = read[1]
            return read is not None
        if expected == "time" and (hours := bare_range(work.strip())):  # "9-12": from 9 to 12
            value, slots[UNTIL] = hours
        elif expected == "time":
            value = bare_hour(core)
        elif expected == "date":
            value = bare_day(core, today)
        elif expected == "quantity":
            value = bare_quantity(core)
        elif expected == "rating":
            value = bare_rating(core)
        elif expected == "name" and free_answer:
            if any(k in slots for k in ("service", "date", "time", "period", "address")):
                return False
            segment = _longest_unmasked(work)
            if segment is not None:
                value = bare_name(wide[segment[0]:segment[1]])
        if value is None:
            return False
        slots[expected] = value
        return True


def _may_ask_the_faq(intent: str, slots: dict[str, object], question: bool) -> bool:
    """Whether the message may be a question for the owner's FAQ: one that asks nothing else
    (other), a greeting in front of it ("Hi, do u guys do weekends?"), or a question that
    only reads as a booking from its verb ("请问你们周末上门吗": no service, day or place)."""
    return intent in ("other", "greet") or intent == "book" and question and not slots


# The kinds of value a clause may say is not the one (nlu.corrections.said_not): a clock
# time and a part of the day are one kind ("不要下午，上午10点"), the day another ("…明天, don't
# come before 10am" says no other hour).
_KIND_OF = {"date": "day", "time": "hour", "period": "hour", "service": "service", "name": "name"}


def _kinds(slots: dict[str, object]) -> set[str]:
    """The kinds of value (`_KIND_OF`) among `slots`."""
    return {_KIND_OF[k] for k in slots if k in _KIND_OF}


def _whole_message_flags(text: str) -> dict[str, object]:
    """The flags read on the message as typed (module docstring, from ``moved_by``): each
    reader is a search or two, cheaper still on a message without its key words."""
    return {name: value for name, read in _AS_TYPED if (value := read(text))}


def _without(norm: str, wide: str, address: object) -> str:
    """`norm` with the address said in it masked: its words are a place, not things to count."""
    at = wide.find(str(address)) if address and len(norm) == len(wide) else -1
    return norm if at < 0 else mask(norm, [(at, at + len(str(address)))])


def _found(span: Span | None) -> list[Span]:
    return [span] if span else []


def _when_slots(when: When) -> dict[str, object]:
    """The date/time/period values an `extract_when` result states."""
    return {k: v for k in _WHEN if (v := getattr(when, k)) is not None}


_CLAUSE_RE = guarded.compile(r"[^，,。.;；!！?？]+")  # a clause of a message, its punctuation left out


def _longest_unmasked(work: str) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    start = 0
    for i, ch in enumerate(work + MASK):
        if ch == MASK:
            if work[start:i].strip() and (best is None or i - start > best[1] - best[0]):
                best = (start, i)
            start = i + 1
    return best
