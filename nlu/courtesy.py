"""Small talk the contract has no intent for: thanks, goodbye, and "wait a moment".

Each comes out as intent "other" (the contract's list has no such intents) with a
flag (`thanks`, `bye`, `wait`), so the dialogue can answer them politely instead of
"没明白". Matched on the text as typed: emoji and case matter here.
"""

from __future__ import annotations

import re

from nlu import guarded

# A whole message of thanks: "谢谢", "多谢啦！", "thanks", "thank you so much", "thx 🙏". Not
# "好的谢谢": that is a yes (to a summary, it confirms), and the NLU reads it so.
_THANKS_WORDS = (r"(?:谢谢|多谢|感谢|谢了|谢啦|thanks|thank\s*you|thank\s*u|thx|ty|cheers|many\s+thanks)"
                 r"(?:\s*(?:你|您|啦|了|哈|呀|a\s+lot|so\s+much|very\s+much|again|师傅))*")
_END = r"[\s!！。.~～🙏😊👍❤️👋]*$"
# A friendly emoji sent alone ("😊", "🙏", "❤️") after a booking: thanks, not "didn't understand".
_FRIENDLY_EMOJI = r"(?:[🙏😊🙂😀😁😃😄☺🥰😍🤗💐🌹]|❤|♥)[\ufe0f\U0001F3FB-\U0001F3FF]?"
_THANKS = guarded.compile(rf"^\s*(?:{_THANKS_WORDS}{_END}|(?:{_FRIENDLY_EMOJI}\s*)+$)", re.IGNORECASE)
# A whole message of goodbye, with thanks or an ok around it: "bye", "thanks, bye", "ok bye bye",
# "拜拜", "好的再见", "see you".
_BYE = guarded.compile(
    rf"^\s*(?:(?:{_THANKS_WORDS}|ok|okay|好的?|嗯)[\s,，!！。.~～]*)*"  # "ok thanks bye"
    r"(?:bye(?:[\s-]*bye)?|goodbye|good\s+bye|see\s+(?:you|ya)(?:\s+(?:then|soon|later))?|ttyl|"
    r"拜拜|再见|回头见)(?:\s*(?:啦|了|哈|呀|~))*"
    rf"(?:[\s,，!！。.~～]*{_THANKS_WORDS})?{_END}",
    re.IGNORECASE)


def is_thanks(text: str) -> bool:
    """Whether the message is only a thank-you: answered "抱歉，我没太明白" as any
    "other", it is rude to a customer who is being polite."""
    return bool(_THANKS.match(text))


_THANKS_IN = guarded.compile(_THANKS_WORDS, re.IGNORECASE)


def thanks_in(text: str) -> bool:
    """Whether the message thanks us at all ("好的谢谢", "谢谢 👌"): a yes with thanks, when
    nothing waits for a yes, is thanks, answered so, not "需要预约服务的话…"."""
    return bool(_THANKS_IN.search(text))


def is_goodbye(text: str) -> bool:
    """Whether the message only says goodbye, thanks or an ok with it ("thanks, bye", "拜拜"):
    like thanks, answered politely, not with "didn't understand"."""
    return bool(_BYE.match(text))


# A whole message asking us to wait: "等一下", "稍等哈，我找一下地址", "我问问我老婆", "hold on".
_WAIT_PHRASE = (
    r"(?:等一下|等一等|等等|等下|等会儿?|稍等(?:一下)?|请稍等|马上|"
    # "我马上发地址给你", "等下把电话发你": the answer is on its way
    r"(?:地址|电话|号码)?我?(?:马上|等下|等会儿?|一会儿?|稍后|待会儿?)(?:就)?(?:把(?:地址|电话|号码|门牌号?))?"
    r"(?:发|给|告诉)(?:你|您)?"
    r"(?:地址|电话|号码|门牌号?)?(?:给|发)?(?:你|您)?|"
    r"我(?:先)?(?:看看|查查|查一下|查下|找找|找一下|找下|问问|问一下|问下)"
    r"(?:我?(?:老婆|老公|家人|家里人|室友|房东)|地址|电话|号码|门牌号?)?(?:再(?:告诉|发给?)(?:你|您))?|"
    r"i'?ll send (?:it|you (?:the|my) (?:address|number)|(?:the|my) (?:address|number))"
    r"(?: (?:to you|later|soon|shortly|right away|in a (?:minute|sec|second|moment|bit)))*|"
    r"wait|hold\s+on|one\s+(?:sec|second|moment|min|minute)|just\s+a\s+(?:sec|second|moment|minute)|"
    r"let\s+me\s+(?:check|ask|see|look)(?:\s+(?:it|the\s+address|my\s+number))?)"
    r"(?:\s*(?:哈|啊|哦|呀|啦|吧|a\s+(?:sec|second|moment|minute)|please|pls))*"
)
_WAIT = guarded.compile(rf"^\s*(?:{_WAIT_PHRASE}[\s!！。.~～…,，]*)+$", re.IGNORECASE)


def is_wait(text: str) -> bool:
    """Whether the message only asks us to wait while the customer looks something up
    (the address, a phone number, a spouse's opinion). "没明白" would be wrong, and so
    would asking the same question again at once: the question stays open."""
    return bool(_WAIT.match(text))


# A question whether we can chat in a language: "do you speak english?", "can u understand
# chinese", "english ok?", "你会说英语吗", "可以用中文吗". Not "an english speaking cleaner",
# which asks for a person (a question passed on).
_LANGUAGE_QUESTION = guarded.compile(
    r"^\s*(?:hi|hello|hey|sorry|excuse me|ok)?[\s,，!！]*"
    r"(?:(?:do|can|could|does)\s+(?:you|u|anyone|someone|somebody)(?:\s+guys)?\s+(?:speak|understand|read|talk|write|chat)"
    r"(?:\s+in)?\s+(?:english|chinese|mandarin)|(?:is\s+)?english\s+(?:ok|okay|fine|possible)|"
    r"(?:你|您|你们)?(?:会|能|可以)(?:说|讲|用|看懂)?(?:英语|英文|中文)(?:吗|嘛|么)?)"
    r"(?:\s*(?:please|pls))?[\s?？!！。.~～]*$",
    re.IGNORECASE)


def asks_language(text: str) -> bool:
    """Whether the message only asks if we can chat in English or Chinese: the bot answers
    that it can (both), not a colleague, to whom it was passed on as a question."""
    return bool(_LANGUAGE_QUESTION.match(text))
