"""The rules of remedies, free of Django: money in minor units, amounts as people write and read them in vi, th
and en, the authority decision (per remedy, per case, per staff member per day), the suggestion rule and the
150 % warning. Everything here is a pure function of its arguments; the tests are tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# --------------------------------------------------------------------------------------------- money


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    exponent: int  # ISO 4217 minor units: VND has none, THB and USD two
    symbol: str
    symbol_first: bool


# A small ISO 4217 table: the currencies of the markets we serve.
CURRENCIES: dict[str, Currency] = {
    "VND": Currency("VND", 0, "₫", symbol_first=False),
    "THB": Currency("THB", 2, "฿", symbol_first=True),
    "USD": Currency("USD", 2, "$", symbol_first=True),
}
CURRENCY_CODES = tuple(CURRENCIES)
# The largest amount we accept, in minor units (10**13 VND, or 10**11 THB/USD): far above any remedy, and small
# enough for a 64-bit column after summing many.
MAX_MINOR = 10**13


class AmountError(ValueError):
    """An amount that cannot be read: `code` says why (unknown_currency, format, precision, negative, too_large)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def currency(code: str) -> Currency:
    try:
        return CURRENCIES[code.upper()]
    except KeyError:
        raise AmountError("unknown_currency") from None


def separators(language: str) -> tuple[str, str]:
    """(grouping, decimal) separators: Vietnamese writes 1.250,50; English and Thai write 1,250.50."""
    return (".", ",") if language[:2] == "vi" else (",", ".")


def to_minor(value: Decimal, code: str) -> int:
    """A decimal amount in minor units; more decimals than the currency has is an error, never rounded."""
    exponent = currency(code).exponent
    if value < 0:
        raise AmountError("negative")
    scaled = value.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise AmountError("precision")
    minor = int(scaled)
    if minor > MAX_MINOR:
        raise AmountError("too_large")
    return minor


PLAIN = re.compile(r"\d+(?:\.\d+)?")


def parse_decimal_string(text: str, code: str) -> int:
    """The API's amounts: a plain decimal string with a dot ("150000", "12.50"), no grouping, no symbol."""
    text = text.strip()
    if not PLAIN.fullmatch(text):
        raise AmountError("negative" if text.startswith("-") else "format")
    return to_minor(Decimal(text), code)


def parse_amount(text: str, code: str, language: str = "en") -> int:
    """An amount as a person types it in `language`: "150.000" or "150000 ₫" in Vietnamese, "1,250.50" or
    "฿1250.5" in Thai and English. Grouping must come in threes, so "10.5" in Vietnamese is not ten thousand five."""
    cur = currency(code)
    raw = text.strip().replace("\u00a0", " ")
    for mark in (cur.symbol, cur.code, cur.code.lower()):
        raw = raw.replace(mark, "")
    raw = raw.replace(" ", "")
    if raw.startswith("-"):
        raise AmountError("negative")
    group, decimal = separators(language)
    pattern = rf"(\d{{1,3}}(?:{re.escape(group)}\d{{3}})+|\d+)(?:{re.escape(decimal)}(\d+))?"
    match = re.fullmatch(pattern, raw)
    if match is None:
        raise AmountError("format")
    whole, fraction = match.group(1).replace(group, ""), match.group(2)
    try:
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        raise AmountError("format") from None
    return to_minor(value, code)


def decimal_string(minor: int, code: str) -> str:
    """Minor units as the API's decimal string: 150000 VND -> "150000", 1250 THB -> "12.50"."""
    exponent = currency(code).exponent
    if exponent == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), 10**exponent)
    return f"{sign}{whole}.{fraction:0{exponent}d}"


def format_number(minor: int, code: str, language: str = "en") -> str:
    """The number alone, grouped for `language`: 150000 VND in vi -> "150.000"; 125000 THB in th -> "1,250.00"."""
    group, decimal = separators(language)
    plain = decimal_string(abs(minor), code)
    whole, _dot, fraction = plain.partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    sign = "-" if minor < 0 else ""
    return f"{sign}{grouped}{decimal + fraction if fraction else ''}"


def format_amount(minor: int, code: str, language: str = "en") -> str:
    """The amount with its symbol: "150.000 ₫" (vi), "฿1,250.00" (th), "$12.50" (en)."""
    cur = currency(code)
    number = format_number(minor, code, language)
    return f"{cur.symbol}{number}" if cur.symbol_first else f"{number} {cur.symbol}"


# --------------------------------------------------------------------------------------------- authority


@dataclass(frozen=True, slots=True)
class Limit:
    """A role's authority in one currency, in minor units; None means no authority on that measure (only a zero
    amount passes)."""

    per_remedy: int | None
    per_case: int | None
    per_day: int | None


NO_AUTHORITY = Limit(None, None, None)


@dataclass(frozen=True, slots=True)
class Decision:
    is_granted: bool
    exceeded: tuple[str, ...]  # which measures the amount goes over: per_remedy, per_case, per_day


def decide(amount: int, limit: Limit | None, *, case_total: int = 0, day_total: int = 0) -> Decision:
    """Grant at once when the amount, the case's total with it and the staff member's day with it are each at
    or under the limit; exactly at the limit is granted, one minor unit above needs approval."""
    limit = limit or NO_AUTHORITY
    checks = (
        ("per_remedy", amount, limit.per_remedy),
        ("per_case", case_total + amount, limit.per_case),
        ("per_day", day_total + amount, limit.per_day),
    )
    exceeded = tuple(name for name, value, cap in checks if value > (cap or 0))
    return Decision(not exceeded, exceeded)


def pick_limit(rows: list[tuple[int | None, Limit]], location_id: int | None) -> Limit | None:
    """The limit that applies at `location_id` from (location or None, limit) rows of one role and currency:
    the location's own row overrides the organisation-wide one."""
    own = [limit for where, limit in rows if where is not None and where == location_id]
    if own:
        return own[0]
    wide = [limit for where, limit in rows if where is None]
    return wide[0] if wide else None


# --------------------------------------------------------------------------------------------- the 150 % warning

# Research finds no added loyalty beyond about 150 % of what the customer paid (Haesevoets et al. 2017).
USEFUL_SHARE_PERCENT = 150


def above_useful_share(amount: int, transaction_value: int | None) -> bool:
    """True when the remedy is worth more than 150 % of the affected transaction (unknown value: never)."""
    if not transaction_value or transaction_value <= 0:
        return False
    return amount * 100 > transaction_value * USEFUL_SHARE_PERCENT


# --------------------------------------------------------------------------------------------- suggestions

# Remedy kinds (the model's RemedyKind values).
REFUND = "refund"
PARTIAL_REFUND = "partial_refund"
REPLACEMENT = "replacement"
REPERFORM = "reperform"
VOUCHER = "voucher"
UPGRADE = "upgrade"
GESTURE = "gesture"
APOLOGY = "apology"
OTHER = "other"

# The matching rule (Roschk & Gelbrich 2014): the failure's kind decides the remedy's kind.
MATCH: dict[str, tuple[str, ...]] = {
    "monetary": (REFUND,),
    "product": (REPLACEMENT,),
    "service_process": (REPERFORM,),
    "lack_of_attention": (APOLOGY, GESTURE),
}
# How much the default amount grows with the failure's severity (1..5), in percent.
SEVERITY_PERCENT = {1: 100, 2: 100, 3: 125, 4: 150, 5: 200}
REPEAT_PERCENT = 150  # a repeat failure: compensation matters most when failures are frequent (Grewal et al. 2008)


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str
    amount: int  # minor units of the catalogue entry's currency
    reasons: tuple[str, ...]  # matched, severity, repeat, customer_costs, capped, goodwill_extra, needs_approval
    # Above the caller's authority: the amount the rules gave (more than `amount`, which is the most they may
    # give at once); 0 when the suggestion is within it.
    wanted: int = 0


def suggest(
    failure_type: str,
    *,
    severity: int,
    is_repeat: bool,
    defaults: dict[str, int],
    customer_costs: int = 0,
    transaction_value: int | None = None,
    authority: int | None = None,
) -> list[Suggestion]:
    """Suggested remedies for a failure, the matched kind first: its catalogue default (`defaults`: kind ->
    amount, kinds the organisation offers) grown by severity and repeat failure, plus the customer's own money
    costs; kept at or under 150 % of the transaction when known. A serious or repeat failure adds a voucher.
    Never above `authority` (the most the caller may give at once, when known): the largest amount within it is
    offered, with the amount the rules gave as `wanted`, which needs approval. Staff choose; this only proposes."""
    kinds = [kind for kind in MATCH.get(failure_type, (OTHER,)) if kind in defaults]
    if not kinds and defaults:
        kinds = [OTHER] if OTHER in defaults else []
    if severity >= 4 or is_repeat:
        kinds += [VOUCHER] if VOUCHER in defaults and VOUCHER not in kinds else []
    found = []
    for kind in kinds:
        reasons = ["matched"] if kind in MATCH.get(failure_type, ()) else ["goodwill_extra"]
        percent = SEVERITY_PERCENT.get(max(1, min(5, severity)), 100)
        if percent != 100:
            reasons.append("severity")
        if is_repeat:
            percent = percent * REPEAT_PERCENT // 100
            reasons.append("repeat")
        amount = defaults[kind] * percent // 100
        # The customer's money costs are restored with the matched remedy (not with the extra voucher).
        if customer_costs > 0 and reasons[0] == "matched" and kind != APOLOGY:
            amount += customer_costs
            reasons.append("customer_costs")
        if transaction_value and above_useful_share(amount, transaction_value):
            amount = transaction_value * USEFUL_SHARE_PERCENT // 100
            reasons.append("capped")
        wanted = 0
        if authority is not None and amount > max(0, authority):
            wanted, amount = amount, max(0, authority)
            reasons.append("needs_approval")
        found.append(Suggestion(kind, amount, tuple(reasons), wanted))
    return found


# The currency a location works in by default, from its country; else the organisation's.
COUNTRY_CURRENCY = {"VN": "VND", "TH": "THB", "US": "USD"}


def local_currency(country: str, fallback: str) -> str:
    return COUNTRY_CURRENCY.get(country.upper(), fallback.upper())


# --------------------------------------------------------------------------------------------- outliers

# An amount this many times above what is usual for it is most likely a slip (a few zeros too many), not a
# decision: the form asks to confirm it, and the saved remedy is flagged in the cost of failure.
OUTLIER_FACTOR = 10
# With nothing to compare with (no catalogue entry of the kind, no limit), amounts above these are outliers:
# about 2,000 US dollars in each currency, in minor units.
OUTLIER_CEILING = {"VND": 50_000_000, "THB": 7_000_000, "USD": 200_000}


def outlier_reference(code: str, *, typical: int = 0, largest_limit: int = 0) -> int:
    """What an amount in `code` is compared with: the catalogue's usual amount for the remedy (`typical`), else
    the largest per-remedy limit of any role in the currency, else the currency's ceiling divided by the factor."""
    if typical > 0:
        return typical
    if largest_limit > 0:
        return largest_limit
    return OUTLIER_CEILING.get(code.upper(), OUTLIER_CEILING["USD"]) // OUTLIER_FACTOR


def is_outlier(amount: int, reference: int) -> bool:
    """True when `amount` is more than OUTLIER_FACTOR times `reference` (exactly ten times is not)."""
    return amount > reference * OUTLIER_FACTOR
