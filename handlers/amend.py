"""Pure decisions about changing the contact details of a booked order.

A customer who writes "地址写错了，是望京SOHO T2-1505" or "电话换成13900001111"
after booking means their order, not the start of another booking; one who
writes "后天再来一次，地址是…，做擦玻璃" means a new booking, though the
message has an address too. These rules tell the two apart from the message
alone (the NLU reads slots, not what the customer wants done with them), so
the dialogue only asks the database which orders there are. No I/O.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from handlers import slots as S
from nlu.corrections import fixed_address, room_only
from nlu.names import with_title

# What a customer may change of a booked order from the chat (time has its own flow): its
# contact details, and how much is to be done ("改成4台", "make it 4 hours"), which moves
# its total and length with it (`storage.orders.terms`, applied by `lifecycle.amend`).
CONTACT_FIELDS: tuple[str, ...] = ("address", "phone", "name", "notes", "destination")
# The staff member the customer asks to come ("让王师傅来" once booked): a wish, changed as the rest.
STAFF_FIELD = "preferred_staff_id"
AMENDABLE_FIELDS: tuple[str, ...] = (*CONTACT_FIELDS, "quantity", STAFF_FIELD)
# A note that adds to the order's notes rather than replacing them ("备注：家里有猫").
NOTES_ADDED = "notes_added"
# A part of the address put right ("是T2不是T1", "门牌号是1503"): the NLU's flags ``replaces`` and
# ``room_fix``, to apply to the address of the order it turns out to be about (`for_order`).
ADDRESS_FIX = "address_fix"
# A quantity changed by so much ("再加一台", "one more hour"; the NLU's flag ``quantity_delta``): added
# to the quantity of the order it turns out to be about (`for_order`).
QUANTITY_DELTA = "quantity_delta"
# What that change counts, "hour" or "item" (the NLU's flag ``delta_per``): applied only to a service
# priced so (`unit_fits`).
DELTA_PER = "delta_per"
# The message is a count and nothing else ("两台": the NLU's flag ``count_only``).
COUNT_ONLY = "count_only"
# The thing that change counts, when named ("再加一台洗衣机": the NLU's flag ``delta_thing``): on the
# order's notes with it, unless they name it already.
DELTA_THING = "delta_thing"

_ZH_CHANGE = "改|换|写错|错了|不对|应该是|更正|更新|修改|变更|变成"
_EN_CHANGE = r"change|changed|wrong|should be|update|updated|correct|correction|incorrect|instead|new|fix|make it"
# Words of change anywhere: enough when the message gives contact details and nothing else.
_CHANGE = re.compile(rf"(?:{_ZH_CHANGE})|\b(?:{_EN_CHANGE})\b", re.IGNORECASE)
# Not "new", "fix", "instead": "deep clean at my new address" books.
_EN_FIELD_CHANGE = r"change|changed|wrong|should be|update|updated|correct|correction|incorrect"
_ZH_FIELD = "地址|电话|手机|号码|名字|姓名|称呼|联系人|备注|目的地|新家"
_EN_FIELD = r"address|phone|number|mobile|name|note|notes|destination"
# Words of change about a contact field ("地址改成", "换个电话", "wrong address", "phone should be"):
# these make a message with a date or a service an amendment too ("明天那单地址改成…").
_FIELD_CHANGE = re.compile(
    rf"(?:{_ZH_FIELD})[^，,。；;！!\s]{{0,6}}?(?:{_ZH_CHANGE})"
    rf"|(?:改|换|更新|修改|更正)[^，,。；;！!\s]{{0,3}}(?:{_ZH_FIELD})"
    rf"|\b(?:{_EN_FIELD})\b[^,.;!]{{0,20}}\b(?:{_EN_FIELD_CHANGE}|is now)\b"
    rf"|\b(?:{_EN_FIELD_CHANGE})\b[^,.;!]{{0,15}}\b(?:{_EN_FIELD})\b",
    re.IGNORECASE)
# What is left of a note once its words of change are gone: "备注改成：家里有狗" → "家里有狗".
_NOTE_CHANGE = re.compile(rf"^\s*(?:{_ZH_CHANGE}|to|should be|is now)\s*(?:成|为|是)?\s*[:：,，]?\s*",
                          re.IGNORECASE)


def says_change(text: str) -> bool:
    """Whether the message has words of change (改, 换, 写错了, wrong, should be, update…)."""
    return bool(_CHANGE.search(text))


def names_contact_change(text: str) -> bool:
    """Whether the message says a contact field is to change ("地址改成", "wrong address")."""
    return bool(_FIELD_CHANGE.search(text))


def new_quantity(slots: Mapping[str, Any], text: str, *, bare: bool = False) -> int | None:
    """The quantity a message changes an order to ("改成4台", "时长改成3小时", "make it 4
    hours"): one said with words of change and without a service, day or time, which
    would make it another booking ("我要洗4台" books; so does "空调改成4台" while the
    service is named); else None. `bare`: a count said alone ("两台", "3 units") is one too,
    as it is right after a confirmation: how many of what was just booked."""
    booking = S.booking_slots(slots)
    quantity = S.quantity_of(booking.get("quantity"))
    if quantity is None or quantity < 1 or set(booking) & (S.WHAT_OR_WHEN - {"quantity"}):
        return None
    return quantity if says_change(text) or (bare and set(booking) == {"quantity"}) else None


def unit_fits(per: str | None, price_per: str | None) -> bool:
    """Whether a change counted in `per` ("hour", "item") is one of a service priced per
    `price_per`: "再加一台" is no more hours of a clean, "再加一个小时" no more air conditioners. A
    service priced per visit takes none, and says so itself (`Service.quantity_refused`)."""
    return per is None or price_per in (None, "visit") or per == price_per


def amendment(slots: Mapping[str, Any], text: str, flags: Mapping[str, Any] | None = None, *,
              after_confirmation: bool = False) -> dict[str, Any]:
    """The contact details a message gives, as a change of an order: address, phone,
    name and a move's destination from the NLU, and a note the message says it is. A note with words of
    change replaces the order's notes ("备注改成…"); one without adds to them
    (`NOTES_ADDED`), as a second note does during a booking. With them, a new quantity
    (`new_quantity`), or one changed by so much (the NLU's `flags`: "再加一台", "one more aircon":
    `QUANTITY_DELTA`, counting `DELTA_PER`, of `DELTA_THING`) unless the message names a day or an
    hour, which makes it another booking; right `after_confirmation`, a count alone (`COUNT_ONLY`:
    "两台") too."""
    flags = flags or {}
    delta = flags.get(QUANTITY_DELTA)
    out: dict[str, Any] = {k: str(v) for k, v in S.booking_slots(slots).items()
                           if k in S.CONTACT_SLOTS or k == "destination"}
    quantity = new_quantity(slots, text, bare=after_confirmation and bool(flags.get(COUNT_ONLY)))
    if quantity is not None:
        out["quantity"] = quantity
    elif delta and "quantity" not in slots and not set(slots) & S.WHEN_SLOTS:
        out[QUANTITY_DELTA] = delta
        out.update({k: flags[k] for k in (DELTA_PER, DELTA_THING) if flags.get(k)})
    note = S.note_from(text)
    if note:
        bare = _NOTE_CHANGE.sub("", note, count=1).strip()
        if bare and bare != note:
            out["notes"] = bare
        elif bare:
            out[NOTES_ADDED] = note
    return out


def address_fix(slots: Mapping[str, Any], flags: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """`slots` and the part of the address a message puts right (``replaces``, ``room_fix``), as
    at the summary: with a wrong part named, or a room alone ("门牌号是1503"), the NLU's address is
    that phrase and is dropped; a whole address said instead replaces the order's (no fix then)."""
    replaces, room = [tuple(f) for f in flags.get("replaces") or ()], flags.get("room_fix")
    address = slots.get("address")
    if not (replaces or room) or (address and not replaces and not room_only(address)):
        return dict(slots), None
    return {k: v for k, v in slots.items() if k != "address"}, {"replaces": replaces, "room": room}


def for_order(amend: Mapping[str, Any], address: str | None, quantity: int | None,
              price_per: str | None = None) -> dict[str, Any]:
    """`amend` for an order at `address` for `quantity` of a service priced per `price_per`: its
    `ADDRESS_FIX` applied to that address (when the address holds the part named) and its
    `QUANTITY_DELTA` to that quantity (or to the new one it proposes) when it counts what the
    service is priced by (`unit_fits`), and neither left in it."""
    out = {k: v for k, v in amend.items() if k not in (ADDRESS_FIX, QUANTITY_DELTA, DELTA_PER, DELTA_THING)}
    fix = amend.get(ADDRESS_FIX)
    fixed = fixed_address(address, fix["replaces"], fix["room"]) if fix and "address" not in out else None
    if fixed:
        out["address"] = fixed
    if amend.get(QUANTITY_DELTA) and unit_fits(amend.get(DELTA_PER), price_per):  # to a new quantity already proposed ("改成4台", then "再加一台"), if any
        out["quantity"] = S.quantity_changed_by(S.quantity_of(out.get("quantity")) or quantity,
                                                int(amend[QUANTITY_DELTA]))
        if amend.get(DELTA_THING):  # "再加一台洗衣机" to an aircon cleaning: the washer noted too
            out[NOTES_ADDED] = S.with_note({"notes": out.get(NOTES_ADDED)}, amend[DELTA_THING])["notes"]
    return out


def wants_amend(booking: Mapping[str, Any], text: str, *, after_confirmation: bool) -> bool:
    """Whether a message with contact details (`amendment` non-empty) from a customer
    with an open order and no booking under way changes that order.

    A service or a day/time in it means a new booking ("后天再来一次，地址是…，做擦玻璃"),
    unless it says a contact field is to change ("明天那单地址改成…"). Contact details
    alone are a change when they say so ("电话换成…") or come right after a
    confirmation (the customer read the order back and saw the mistake); a note alone
    can be nothing else."""
    if names_contact_change(text) or new_quantity(booking, text) is not None:
        return True
    if S.what_or_when(booking):
        return False
    return says_change(text) or after_confirmation or not S.contact_only(booking)


def about_a_move(slots: Mapping[str, Any], is_move: Callable[[str | None], bool]) -> dict[str, Any]:
    """`slots` without the service when it is a move's and the message says where the move
    ends: in "搬到回龙观" or "moving to 12 Baker Street" the verb names the move the customer
    has booked, not a new one. A day or a time with it still makes a new booking."""
    if slots.get("destination") and is_move(slots.get("service")):
        return {k: v for k, v in slots.items() if k != "service"}
    return dict(slots)


def fits(amend: Mapping[str, Any], is_move: bool, at_shop: bool = False) -> bool:
    """Whether an order can take the change: only a move has a destination to change, so
    "搬到回龙观" is about the customer's move, never their cleaning; a visit at our place
    (catalog `at_shop`) has no address of the customer's to change."""
    return (is_move or "destination" not in amend) and not (at_shop and "address" in amend)


def changes_to(current: Mapping[str, Any], amend: Mapping[str, Any]) -> dict[str, Any]:
    """The fields `amend` really changes on an order whose `AMENDABLE_FIELDS` are `current`,
    with their new values (a note added to the order's notes comes out as the notes; a surname
    said alone keeps the order's title, nlu.names.with_title)."""
    new = {k: v for k, v in amend.items() if k in AMENDABLE_FIELDS}
    if new.get("name"):  # "我不姓王，姓汪" to 王先生's order: 汪先生
        new["name"] = with_title(new["name"], current.get("name"))
    if NOTES_ADDED in amend and "notes" not in new:
        new["notes"] = S.merge({"notes": current.get("notes")}, {"notes": amend[NOTES_ADDED]})["notes"]
    return {k: v for k, v in new.items() if v and v != current.get(k)}


def staff_ids(changes: Mapping[str, Any]) -> set[int]:
    """The staff members `changes` names as the one asked for (`STAFF_FIELD`: a new value, or
    a change's [old, new]): whose names the customer and staff read instead of their ids."""
    value = changes.get(STAFF_FIELD)
    values = value if isinstance(value, (list, tuple)) else [value]
    return {int(v) for v in values if v is not None}
