"""Amounts of money as people and spreadsheets write them, in the currency's own units.

A yuan, a dollar or a euro has cents; a yen or a won has none, and a Kuwaiti dinar has
fils to three places. The minor units are ISO 4217's (the exponent of each currency in
its List One). No library installed here carries that table (Babel, pycountry and
py-moneyed are not dependencies), so the currencies whose exponent is not 2 are listed
below; any other code is taken to have cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 List One: the currencies whose minor unit is not the hundredth.
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX",
                     "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}


def minor_units(currency: str) -> int:
    """How many decimals an amount in `currency` (an ISO 4217 code) is written to."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def in_units(value: Decimal | float | int, currency: str) -> Decimal:
    """`value` to the currency's smallest unit (half up, as a till rounds)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def fixed_text(value: Decimal | float | int, currency: str) -> str:
    """An amount to all its currency's decimals, as an export writes it: "298.00", "15000"."""
    return f"{in_units(value, currency)}"


def amount_text(value: Decimal | float | int, currency: str, *, grouped: bool = False) -> str:
    """An amount as a person reads it: a whole one without decimals ("298", as a price list
    writes it), else to its currency's decimals ("29.50", never "29.5"), a yen or a won never
    with any; thousands grouped with commas when `grouped` ("1,234.50", a dashboard's table)."""
    amount = in_units(value, currency)
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    return f"{amount:,}" if grouped else f"{amount}"


def excel_format(currency: str) -> str:
    """The number format of a money column in Excel: "0.00", "0" for a currency without cents."""
    units = minor_units(currency)
    return "0." + "0" * units if units else "0"
