"""The services catalog: the business, its services, prices and reminder offsets.

Loaded from YAML (contract: "Catalog YAML") and validated with pydantic so a
typo in an owner's file gives a clear message instead of a stack trace later.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, NamedTuple

import yaml
from pydantic import BaseModel, BeforeValidator, Field, ValidationError, field_validator, model_validator

DEMO_CATALOG = "demo_catalog.yaml"


class CatalogError(ValueError):
    """The catalog file is missing or malformed; the message says where."""


# Text the owner writes once or per language: `示例家政`, or `{zh: 示例家政, en: Demo Home
# Services}` so English customers read something they can.
PerLanguage = Annotated[dict[str, str], BeforeValidator(lambda v: {"zh": v} if isinstance(v, str) else v)]


DEFAULT_CURRENCY = "CNY"  # ISO 4217, of prices in a catalog that names none
# The statuses of an order that is over: its place is history.
_OVER = ("completed", "cancelled")


def in_language(texts: Mapping[str, str], lang: str) -> str:
    """`texts` in `lang`, falling back to the Chinese, then to any."""
    return texts.get(lang) or texts.get("zh") or next(iter(texts.values()))


class FaqEntry(BaseModel):
    """A question the owner answers once ("能开发票吗", "几点开门"): a message that is no
    booking, cancel, price… request and holds one of `keywords` gets `answer` (one
    string, or one per language as a business name is)."""

    keywords: list[str] = Field(min_length=1)
    answers: PerLanguage = Field(alias="answer", min_length=1)

    model_config = {"populate_by_name": True, "frozen": True, "extra": "forbid"}

    @field_validator("keywords")
    @classmethod
    def _no_blank_keyword(cls, v: list[str]) -> list[str]:
        if not all(isinstance(k, str) and k.strip() for k in v):
            raise ValueError("a FAQ keyword is blank")
        return [k.strip() for k in v]

    def answer_in(self, lang: str) -> str:
        return in_language(self.answers, lang)


_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~～至到]\s*(\d{1,2}):(\d{2})\s*$")
DAY = 24 * 60


class Hours(BaseModel):
    """When visits may start, in the business time zone: `"08:00-20:00"` in the catalog.

    Both ends count (the last visit starts at the closing time: owners name the window
    they come out in, not when the last job ends). `"00:00-24:00"` is round the clock;
    an opening after the closing (`"18:00-02:00"`) spans midnight. Kept in minutes of
    the day so 24:00 needs no special case."""

    open: int = Field(ge=0, le=DAY)
    close: int = Field(ge=0, le=DAY)

    model_config = {"frozen": True}

    @classmethod
    def parse(cls, v: object) -> object:
        if not isinstance(v, str):
            return v
        m = _HOURS.match(v)
        if not m:
            raise ValueError(f'expected opening hours like "08:00-20:00", got {v!r}')
        h1, m1, h2, m2 = map(int, m.groups())
        if m1 > 59 or m2 > 59 or h1 > 24 or h2 > 24:
            raise ValueError(f"not a time of day in {v!r}")
        opens, closes = h1 * 60 + m1, h2 * 60 + m2
        if opens == closes or opens == DAY:
            raise ValueError(f"opening and closing times must differ (round the clock is \"00:00-24:00\"): {v!r}")
        return {"open": opens, "close": closes}

    @property
    def always(self) -> bool:
        return self.open == 0 and self.close == DAY

    def admits(self, clock: dt.time) -> bool:
        """Whether a visit may start at `clock`."""
        m = clock.hour * 60 + clock.minute
        if self.open < self.close:
            return self.open <= m <= self.close
        return m >= self.open or m <= self.close

    def first_start(self, begins: dt.time, ends: dt.time) -> dt.time | None:
        """The earliest start the window admits within a part of the day [begins, ends)
        (下午 is 13:00-18:00): its beginning if open then, else the opening time if that
        falls inside it; None when the two do not meet."""
        if self.admits(begins):
            return begins
        lo, hi = begins.hour * 60 + begins.minute, (ends.hour * 60 + ends.minute) or DAY
        if lo <= self.open < hi:
            return dt.time(self.open // 60, self.open % 60)
        return None

    @property
    def opening(self) -> str:
        return f"{self.open // 60:02d}:{self.open % 60:02d}"

    @property
    def closing(self) -> str:
        return f"{self.close // 60:02d}:{self.close % 60:02d}"

    def label(self) -> str:
        """"08:00–20:00", as customers read it."""
        return f"{self.opening}–{self.closing}"


HoursField = Annotated[Hours | None, BeforeValidator(Hours.parse)]

_WEEKDAYS = {name: i for i, names in enumerate((
    ("mon", "monday", "周一", "星期一"), ("tue", "tuesday", "周二", "星期二"),
    ("wed", "wednesday", "周三", "星期三"), ("thu", "thursday", "周四", "星期四"),
    ("fri", "friday", "周五", "星期五"), ("sat", "saturday", "周六", "星期六"),
    ("sun", "sunday", "周日", "星期日", "周天", "星期天"))) for name in names}


def _day(v: object) -> dt.date:
    if isinstance(v, dt.date):  # YAML reads an unquoted 2027-02-10 as a date already
        return v
    try:
        return dt.date.fromisoformat(str(v).strip())
    except ValueError:
        raise ValueError(f'expected a weekday ("monday", "周一"), a date ("2027-02-10") or a range '
                         f'("2027-02-10..2027-02-17"), got {v!r}') from None


class DaysOff(BaseModel):
    """Days without visits: weekdays (`monday`, `周一`), dates (`2027-02-10`) and ranges of
    dates, both ends included (`2027-02-10..2027-02-17`, the Spring Festival week)."""

    weekdays: frozenset[int] = frozenset()
    spans: tuple[tuple[dt.date, dt.date], ...] = ()

    model_config = {"frozen": True}

    @classmethod
    def parse(cls, v: object) -> object:
        if v is None or isinstance(v, (dict, DaysOff)):
            return v
        if not isinstance(v, list):
            raise ValueError("days_off is a list of weekdays, dates and date ranges")
        weekdays, spans = set(), []
        for item in v:
            key = str(item).strip().casefold()
            if key in _WEEKDAYS:
                weekdays.add(_WEEKDAYS[key])
            elif isinstance(item, str) and ".." in item:
                first, last = (_day(x) for x in item.split("..", 1))
                if last < first:
                    raise ValueError(f"a range of days off ends before it starts: {item!r}")
                spans.append((first, last))
            else:
                day = _day(item)
                spans.append((day, day))
        return {"weekdays": frozenset(weekdays), "spans": tuple(spans)}

    def covers(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays or any(a <= day <= b for a, b in self.spans)


DaysOffField = Annotated[DaysOff | None, BeforeValidator(DaysOff.parse)]


class Business(BaseModel):
    """`name` is one string (the contract's form: the same in every language) or one
    per language (`{zh: 示例家政, en: Demo Home Services}`), so English customers are
    not greeted with a name they cannot read."""

    names: PerLanguage = Field(alias="name")
    timezone: str = "Asia/Shanghai"
    currency: str = DEFAULT_CURRENCY
    hours: HoursField = None  # when visits may start; unset = any time
    days_off: DaysOffField = None  # weekdays and dates without visits; unset = none
    capacity: int | None = Field(default=None, ge=1)  # visits under way at once (teams); unset = no limit
    # Where customers come to us (a salon, a photo studio, a tutoring centre), one string or one
    # per language; unset = we only go to them. Needed by any service done at our place.
    address: PerLanguage | None = None
    # Whether services are done at our place unless a service says otherwise (`at_shop` on it).
    at_shop: bool = False
    # The language the business keeps its records in: our address as an order keeps it, and
    # exports (where a sheet mixing "朝阳区…" and "Room 305, …" for one place would not sort).
    lang: Literal["zh", "en"] = "zh"

    model_config = {"populate_by_name": True, "frozen": True}

    @field_validator("names")
    @classmethod
    def _needs_a_name(cls, v: dict[str, str]) -> dict[str, str]:
        if not v or not all(isinstance(n, str) and n.strip() for n in v.values()):
            raise ValueError("the business needs a name")
        return v

    @field_validator("address")
    @classmethod
    def _address_written(cls, v: dict[str, str] | None) -> dict[str, str] | None:
        if v is not None and not (v and all(isinstance(a, str) and a.strip() for a in v.values())):
            raise ValueError('the business address is blank: write where customers come, '
                             'e.g. address: {zh: 朝阳区建国路88号3层, en: "3F, 88 Jianguo Rd"}')
        return None if v is None else {lang: a.strip() for lang, a in v.items()}

    def address_in(self, lang: str) -> str | None:
        """Where customers come to us, in `lang` (else the Chinese); None when we have no place."""
        return in_language(self.address, lang) if self.address else None

    def where_of(self, order: Any, lang: str) -> str:
        """Where `order` is (a row, or its plain form `handlers.reminders.order_view`), for a
        reader in `lang`: the address it keeps, but for a visit at our place (`at_shop`) still
        to come our address as written now, in the reader's language: a shop that moved sends
        nobody to the old one. One done or called off keeps where it was, in the reader's
        language while we are still there. An order's plain form queued before it said
        `at_shop` shows the address it kept."""
        get = order.get if isinstance(order, Mapping) else partial(getattr, order)
        kept = get("address")
        if not get("at_shop", False) or not self.address:
            return kept
        if get("status", None) not in _OVER or kept in self.address.values():
            return self.address_in(lang) or kept
        return kept

    def name_in(self, lang: str) -> str:
        return in_language(self.names, lang)


class Quote(NamedTuple):
    """A price for a number of items or hours: `count` × `unit` = `total`; `minutes` is the
    visit's length for them all (`Service.minutes_for`)."""

    unit: Decimal
    count: int
    total: Decimal
    minutes: int


# The most items or hours one chat booking may ask for when the service sets no `max_quantity`.
MOST_BY_PRICE_PER: dict[str, int] = {"item": 20, "hour": 12}


class Service(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    names: dict[str, str] = Field(alias="name")
    synonyms: list[str] = Field(default_factory=list)
    # What the service is done to (空调, 水龙头, toilet): named in a message, it beats a bare
    # generic verb among the synonyms (安装, 修), so "空调明天来安装" is no furniture assembly.
    objects: list[str] = Field(default_factory=list)
    duration_minutes: int = Field(default=60, gt=0)
    price: float | None = None
    price_unit: dict[str, str] | None = None  # e.g. {zh: 每小时, en: per hour}
    # What one `price` pays for, so a quantity can be priced: a visit (the default: "3间" of a
    # deep clean is still one visit), an item (each appliance cleaned) or an hour of work.
    price_per: Literal["visit", "item", "hour"] = "visit"
    # The most items or hours one booking from the chat may ask for (optional); unset, the
    # default for its `price_per` (`MOST_BY_PRICE_PER`). More is a job for a person to plan.
    max_quantity: int | None = Field(default=None, ge=1)
    hours: HoursField = None  # this service's own window (a locksmith's "00:00-24:00"); unset = the business's
    days_off: DaysOffField = None  # this service's own (`[]`: every day); unset = the business's
    capacity: int | None = Field(default=None, ge=1)  # its own visits at once (one locksmith), beside the business's
    # A move: it ends somewhere else, so a booking is asked where to (after the address). A
    # key of the owner's, not a service id the code knows: their removals may be "relocation".
    needs_destination: bool = False
    # Done at our place (the business's `address`): a manicure, an ID photo, a lesson at the
    # centre. Booking it asks no address; unset = the business's `at_shop` (false: we go to them).
    at_shop: bool | None = None
    # An hourly service's usual hours by the home's bedrooms ({1: 2, 2: 3, 3: 4}), as the business
    # tells customers (its FAQ): "两室一厅" is booked so long unless hours are said. A home bigger
    # than the largest listed takes the largest; one smaller than the smallest, the smallest.
    hours_by_bedrooms: dict[int, int] | None = None

    model_config = {"populate_by_name": True, "frozen": True}

    @field_validator("hours_by_bedrooms")
    @classmethod
    def _whole_hours(cls, v: dict[int, int] | None) -> dict[int, int] | None:
        if v is not None and any(rooms < 1 or hours < 1 for rooms, hours in v.items()):
            raise ValueError("hours_by_bedrooms maps bedrooms (1 or more) to hours (1 or more)")
        return v or None

    @field_validator("names")
    @classmethod
    def _needs_a_name(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("a service needs at least one name")
        return v

    def name_in(self, lang: str) -> str:
        return in_language(self.names, lang)

    @property
    def most(self) -> int | None:
        """The largest quantity a booking may ask for (`max_quantity`, else the default for
        its `price_per`); None for a service priced by the visit, which counts none."""
        if self.price_per == "visit":
            return None
        return self.max_quantity or MOST_BY_PRICE_PER[self.price_per]

    def quantity_refused(self, quantity: int | None) -> Literal["per_visit", "too_many"] | None:
        """Why `quantity` cannot be booked here, else None: more than one of a service priced
        by the visit (the price would not grow with it, so "3个深度保洁" would be booked as one
        visit unseen), or more than `most` (100 air conditioners, 500 hours)."""
        if quantity is None or quantity <= 1:
            return None
        most = self.most
        if most is None:
            return "per_visit"
        return "too_many" if quantity > most else None

    def count_of(self, quantity: int | None) -> int:
        """How many units `price` is paid for: the items or hours asked for, when priced so;
        one visit however many rooms it covers."""
        return quantity if quantity and quantity > 1 and self.price_per != "visit" else 1

    def minutes_for(self, quantity: int | None) -> int:
        """How long a visit for `quantity` takes: the hours booked, when priced by the hour
        (a 4-hour cleaning holds a team 4 hours); the catalog's duration for each item, when
        priced by the item (3 air conditioners at 90 minutes each hold a team 270 minutes,
        as the price answer tells the customer); else the catalog's duration. Apart from
        `quote` because a service without a price still has a length."""
        count = self.count_of(quantity)
        if self.price_per == "hour" and count > 1:
            return count * 60
        return count * self.duration_minutes

    def usual_hours(self, bedrooms: int | None = None) -> int | None:
        """The hours an hourly service is booked for when the customer said none: for a home of
        `bedrooms`, what `hours_by_bedrooms` says; else its usual length (`duration_minutes`, in
        whole hours, at least one), so the summary shows the hours and the total they cost instead
        of a bare hourly rate; None when not priced by the hour."""
        home = self.listed_home(bedrooms)
        if home is not None:
            return self.hours_by_bedrooms[home]
        return max(1, self.duration_minutes // 60) if self.price_per == "hour" else None

    def usual_quantity(self, bedrooms: int | None = None) -> int | None:
        """What a booking is for when the customer said no amount: the usual hours of an hourly
        service (`usual_hours`, for a home of `bedrooms` if said), one item of a service priced by
        the item; None for one priced by the visit. Booked so and shown so (the summary's "× 1"),
        the customer sees the default and can say "两台" instead of being asked "几台？"."""
        return 1 if self.price_per == "item" else self.usual_hours(bedrooms)

    def listed_home(self, bedrooms: int | None) -> int | None:
        """The bedrooms of the home in `hours_by_bedrooms` whose hours a home of `bedrooms` is
        booked for (the largest listed up to it, else the smallest); None when the service is not
        priced by the hour, lists none, or no home was said."""
        if not bedrooms or self.price_per != "hour" or not self.hours_by_bedrooms:
            return None
        listed = sorted(self.hours_by_bedrooms)
        return max((n for n in listed if n <= bedrooms), default=listed[0])

    def quote(self, quantity: int | None, unit_price: float | Decimal | None = None) -> Quote | None:
        """The price of `quantity` (items or hours, as `price_per` says; a visit's price
        does not grow with it) at `unit_price` (an order's own, kept from booking time)
        or the catalog's; None when there is no price. Templates format the money."""
        price = self.price if unit_price is None else unit_price
        if price is None:
            return None
        count = self.count_of(quantity)
        return Quote(unit=Decimal(str(price)), count=count, total=Decimal(str(price)) * count,
                     minutes=self.minutes_for(quantity))


def _clock(v: object) -> dt.time:
    """"22:00" (or a YAML sexagesimal int such as 22:00 read as 1320) -> time."""
    if isinstance(v, dt.time):
        return v
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 24 * 60:
        return dt.time(v // 60, v % 60)  # YAML 1.1 reads an unquoted 22:00 as 1320
    if isinstance(v, str):
        try:
            return dt.time.fromisoformat(v.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a time of day like \"22:00\", got {v!r}")


class QuietHours(BaseModel):
    """Customer messages that can wait are not sent between `start` and `end`
    (business time zone); `start` after `end` means the window spans midnight."""

    start: dt.time = dt.time(22, 0)
    end: dt.time = dt.time(8, 0)

    model_config = {"frozen": True}

    @field_validator("start", "end", mode="before")
    @classmethod
    def _parse(cls, v: object) -> dt.time:
        return _clock(v)


class ReminderPolicy(BaseModel):
    """When the service writes on its own: reminders, escalations, reviews.

    Every key is optional in the catalog's `reminders:` mapping; the defaults
    are the product's (issue 6). An empty list switches that reminder off.
    """

    customer_hours: list[float] = Field(default_factory=lambda: [24.0, 2.0])
    staff_hours: list[float] = Field(default_factory=lambda: [1.0])
    unclaimed_minutes: float = Field(default=15, gt=0)        # confirmed, nobody claimed it
    unclaimed_before_hours: float | None = Field(default=2, gt=0)  # …and again before the start
    not_started_minutes: float = Field(default=15, gt=0)      # assigned, not started after the start
    review_after_minutes: float = Field(default=0, ge=0)      # invitation after completion
    review_reminder_hours: float | None = Field(default=24, gt=0)  # one nudge, then nothing
    review_window_days: float = Field(default=7, gt=0)        # a bare "5" counts as a rating until then
    min_notice_minutes: float = Field(default=30, ge=0)       # quiet hours never push a reminder closer
    quiet_hours: QuietHours | None = Field(default_factory=QuietHours)  # null = no quiet hours

    model_config = {"frozen": True, "extra": "forbid"}

    @field_validator("customer_hours", "staff_hours")
    @classmethod
    def _positive(cls, v: list[float]) -> list[float]:
        if any(h <= 0 for h in v):
            raise ValueError("reminder offsets are hours before the start and must be positive")
        return sorted(set(v), reverse=True)


class Catalog(BaseModel):
    business: Business
    services: list[Service]
    reminders: ReminderPolicy = Field(default_factory=ReminderPolicy)
    faq: list[FaqEntry] = Field(default_factory=list)
    # work customers ask this business for that it does not do ("调钢琴", "piano tuning"), beside
    # the usual ones (nlu.unoffered): declined kindly, never booked or noted as if it were ours
    not_offered: list[str] = Field(default_factory=list)

    @field_validator("not_offered")
    @classmethod
    def _no_blank_work(cls, v: list[str]) -> list[str]:
        if not all(isinstance(w, str) and w.strip() for w in v):
            raise ValueError("a not_offered entry is blank")
        return [w.strip() for w in v]

    @field_validator("services")
    @classmethod
    def _unique_ids(cls, v: list[Service]) -> list[Service]:
        ids = [s.id for s in v]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate service ids: {', '.join(dupes)}")
        if not v:
            raise ValueError("the catalog lists no services")
        return v

    @model_validator(mode="after")
    def _shop_has_an_address(self) -> "Catalog":
        """A service done at our place needs the place, and a move cannot be one: said when
        the catalog is loaded, not when a customer books it."""
        at_shop = [s.id for s in self.services if self._done_at_shop(s)]
        if at_shop and self.business.address is None:
            raise ValueError(f"services done at the shop ({', '.join(at_shop)}) need the business "
                             f"address: add `address:` under `business:`, e.g. "
                             f"address: {{zh: 朝阳区建国路88号3层, en: \"3F, 88 Jianguo Rd\"}}")
        moves = [s.id for s in self.services if s.needs_destination and s.id in at_shop]
        if moves:
            raise ValueError(f"a move cannot be done at the shop ({', '.join(moves)}): "
                             f"set `at_shop: false` on it")
        return self

    def _done_at_shop(self, service: Service) -> bool:
        return self.business.at_shop if service.at_shop is None else service.at_shop

    def get(self, service_id: str | None) -> Service | None:
        for s in self.services:
            if s.id == service_id:
                return s
        return None

    @property
    def counts_visits(self) -> bool:
        """Whether any capacity is set (the business's or a service's): only then are
        bookings counted against the orders already booked."""
        return self.business.capacity is not None or any(s.capacity is not None for s in self.services)

    def needs_destination(self, service_id: str | None) -> bool:
        """Whether a booking for `service_id` is a move (`needs_destination: true`): asked where
        it ends, shown "to be confirmed" while nobody knows, and changed by "搬到…" alone."""
        service = self.get(service_id)
        return service is not None and service.needs_destination

    def at_shop(self, service_id: str | None) -> bool:
        """Whether a visit for `service_id` is at our place (`at_shop`, the service's, else the
        business's): no customer address is asked, and the order is where the business is."""
        service = self.get(service_id)
        return service is not None and self._done_at_shop(service)

    def speaks_of_shop(self, service_id: str | None) -> bool:
        """Whether a message about a visit for `service_id` is worded for our place ("到店",
        "营业") rather than a home visit ("上门", "师傅会先打电话"): the service's `at_shop`,
        or, with no service named yet (hours asked at hello, a closed day before the service),
        the business's own default, so that a salon's "几点营业" is not answered "上门"."""
        service = self.get(service_id)
        return self.business.at_shop if service is None else self._done_at_shop(service)

    @property
    def goes_out(self) -> bool:
        """Whether we go out to the customer as a rule: the business's own `at_shop` is unset
        and some service is done at the customer's. The greeting then asks for an address and
        gives a home visit as its example; a salon with one home service (bridal make-up) is
        greeted as the salon it is, with "到店地址：…"."""
        return not self.business.at_shop and any(not self._done_at_shop(s) for s in self.services)

    def shop_services(self) -> frozenset[str]:
        """The ids of the services done at our place: their orders' addresses are the shop's,
        never a customer's to offer again."""
        return frozenset(s.id for s in self.services if self._done_at_shop(s))

    def configured_hours(self, service_id: str | None) -> Hours | None:
        """The hours the catalog names for `service_id`: its own, else the business's; None
        when it names none. Round the clock ("00:00-24:00") is a window too: where free
        starts are looked for, a locksmith's night counts."""
        service = self.get(service_id)
        return service.hours if service is not None and service.hours is not None else self.business.hours

    def hours_for(self, service_id: str | None) -> Hours | None:
        """When a visit for `service_id` may start, as a limit: None means any time."""
        hours = self.configured_hours(service_id)
        return None if hours is None or hours.always else hours

    def days_off_for(self, service_id: str | None) -> DaysOff | None:
        """The days without visits for `service_id`: its own list, else the business's;
        None when there are none."""
        service = self.get(service_id)
        days = service.days_off if service is not None and service.days_off is not None else self.business.days_off
        return days if days is not None and (days.weekdays or days.spans) else None


def parse_catalog(text: str, source: str = "<catalog>") -> Catalog:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise CatalogError(f"{source}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: expected a mapping with 'business' and 'services'")
    try:
        return Catalog.model_validate(data)
    except ValidationError as e:
        raise CatalogError(f"{source}: {e}") from e


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load `path`, or the shipped demo catalog when no path is given."""
    if path is None:
        return demo_catalog()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogError(f"cannot read catalog {p}: {e.strerror}") from e
    return parse_catalog(text, str(p))


@lru_cache(maxsize=1)
def demo_catalog() -> Catalog:
    text = resources.files("storage.data").joinpath(DEMO_CATALOG).read_text(encoding="utf-8")
    return parse_catalog(text, DEMO_CATALOG)
