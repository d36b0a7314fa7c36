"""Answers that leave the conversation where it is: `QuickAnswers`.

"谢谢", "等一下", "不知道", "随便", "后天是周几来着", a sticker: each gets its answer and
the question we asked stands, with its choices. They come before anything else
in a turn (`handlers.dialogue.Turn.run`), since none of them is a booking's word.
"""

from __future__ import annotations

import dataclasses

from handlers import availability, handoff
from handlers import slots as S
from handlers.state import CONFIRMING, RESCHEDULING, REVIEWING
from handlers.turn import TurnBase
from nlu.pipeline import ANY_TIME, NEW_WHEN, WEEKDAY_ASKED
from nlu.types import ParseResult


class QuickAnswers(TurnBase):
    """The short answers of a turn, before its message is read as part of a booking."""

    async def _answered_at_once(self, p: ParseResult) -> ParseResult | None:
        """None when the message is answered here; else the message to read on, a "不知道"
        or "随便" to our question read as what it stands for."""
        st = self.state
        asked_person, st.asked_person = st.asked_person, False  # stands for the very next message only
        if p.flags.get("unsupported"):
            # The open question and its numbered choices still stand: only say what we can read.
            self._say("unsupported_message")
            return None
        # "ok bye" to the summary is a yes, as "好的谢谢" is
        bye = bool(p.flags.get("bye")) and not (p.intent == "affirm" and st.stage == CONFIRMING)
        if (p.flags.get("thanks") or bye) and st.stage != REVIEWING:  # at a review, thanks is "no comment"
            # Like the above, nothing changes: a question about an order keeps its choices.
            self._say("you_are_welcome", bye=bye)
            return self._reask()
        never_mind = bool(p.flags.get("never_mind")) and p.intent == "deny"
        if (p.flags.get("no_person") or (never_mind and asked_person)) and p.intent == "deny":
            # "不需要人工了", or "算了" right after asking for a person: the bot carries on
            handoff.end_talk(self.customer)
            self._say("human_ended", busy=st.booking)
            return self._reask()
        if never_mind and st.drafting:  # "算了，不用了": no booking
            return await self._drop_draft()
        self.soonest_said = bool(p.flags.get("asap")) and (
            p.intent == "book" or st.awaiting in ("date", "time", NEW_WHEN))
        if p.flags.get("wait") and not self.soonest_said:  # the open question and its choices stand (a review's too)
            self._say("take_your_time")
            return None
        if p.flags.get("dont_know") and st.awaiting == "destination":  # "还没定": booked all the same
            return dataclasses.replace(p, intent="book", slots={S.DESTINATION_UNKNOWN: True})
        if p.flags.get("dont_know") and st.stage == RESCHEDULING and st.awaiting in ("date", NEW_WHEN):
            return await self._not_sure_when_to_move()  # "还不确定哪天" to "改到什么时间？": the order kept
        if p.flags.get("dont_know") and st.awaiting:  # "不知道" to our question: how to answer it; to
            # "which day?" ("还不确定哪天") the draft kept and the first start we can do offered, one tap away
            first = availability.first_start(self.catalog, st.draft.get("service"), self.now, self.tz) \
                if st.awaiting == "date" else None
            self._say("dont_know", awaiting=st.awaiting, first=first, shop=self._shop(),
                      choices=self._first_start_choice(first))
            return None
        if p.flags.get(ANY_TIME) and st.awaiting == "date" and st.draft.get("period") \
                and (day := self._first_day_for(st.draft["period"])) is not None:
            # "随便" to "which day?" with the afternoon said: the first afternoon we can do, booked
            return dataclasses.replace(p, intent="book", slots={"date": day})
        if p.flags.get(ANY_TIME) and st.awaiting in ("date", "time", NEW_WHEN):
            # "随便 都行" to "几点方便？": no preference, so the first start we can do, one tap away
            first = self._first_start_on(st.draft.get("date") if st.awaiting == "time" else None)
            self._say("any_time", first=first, shop=self._shop(), choices=self._first_start_choice(first))
            return None
        if p.flags.get(WEEKDAY_ASKED):  # "后天是周几来着": the weekday, and nothing booked or changed
            self._say("weekday_is", date=p.flags[WEEKDAY_ASKED])
            return self._reask()
        return p
