"""How our replies look on Telegram: callback data, inline keyboards, and the
share-my-phone-number keyboard.

Pure functions of what the handlers decided; no I/O. Button texts come from
the templates (labels.j2) through the renderer, like every word users read.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from handlers.messages import Choice, Reply
from storage.models import OrderStatus

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for one message's text
# Staff buttons on an order card, by the order's status.
CARD_BUTTONS: dict[str, tuple[str, ...]] = {
    OrderStatus.CONFIRMED: ("claim",),
    OrderStatus.ASSIGNED: ("start", "done", "release"),
    OrderStatus.IN_PROGRESS: ("done",),
}


class ChoiceCb(CallbackData, prefix="c", sep="|"):
    """A customer's quick reply; the handlers' payload as is (payloads use ':')."""

    payload: str


class StaffCb(CallbackData, prefix="s"):
    """A staff action on an order card."""

    action: str
    order_id: int


def choices_keyboard(choices: Iterable[Choice]) -> InlineKeyboardMarkup | None:
    """Quick replies as buttons: one row when there are three or fewer, else two a row.

    A payload too long for Telegram's 64-byte callback data is left out (and
    logged) rather than failing the whole reply; the customer can still type.
    """
    buttons: list[InlineKeyboardButton] = []
    for c in choices:
        try:
            buttons.append(InlineKeyboardButton(text=c.label, callback_data=ChoiceCb(payload=c.payload).pack()))
        except ValueError:
            log.warning("quick reply %r does not fit in Telegram callback data; not shown", c.payload)
    if not buttons:
        return None
    width = len(buttons) if len(buttons) <= 3 else 2
    return InlineKeyboardMarkup(inline_keyboard=[buttons[i:i + width] for i in range(0, len(buttons), width)])


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def reply_markup(reply: Reply, phone_keyboard_up: bool) -> Markup | None:
    """The keyboard a customer's reply goes with. A message has one: its quick replies when it
    has any; else, when it asks for the phone (`Reply.asks`), a keyboard whose one button shares
    the customer's own number (Telegram sends it as their contact, user id and all); else,
    while that keyboard may still be up (`phone_keyboard_up`), its removal. So the removal
    waits for the first reply without quick replies (the summary after the phone has its
    buttons): the keyboard hides itself once pressed (one_time_keyboard) meanwhile."""
    inline = choices_keyboard(reply.choices)
    if inline is not None:
        return inline
    if reply.asks is not None and reply.asks.detail == "phone":
        return ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text=reply.asks.label, request_contact=True)]],
                                   resize_keyboard=True, one_time_keyboard=True)
    return ReplyKeyboardRemove() if phone_keyboard_up else None


def card_keyboard(order_id: int, status: str, label: Callable[[str], str]) -> InlineKeyboardMarkup | None:
    """The staff buttons an order card shows in `status`; none once it is over."""
    actions = CARD_BUTTONS.get(status, ())
    if not actions:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=label(a), callback_data=StaffCb(action=a, order_id=order_id).pack())
        for a in actions]])


def fit(text: str) -> str:
    """Cut a text to what one Telegram message holds."""
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def pressed(text: str, label: str) -> str:
    """The pressed message's text with the choice made under it, once its buttons are gone."""
    return fit(f"{text}\n\n» {label}")

