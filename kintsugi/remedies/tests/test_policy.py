"""The pure rules of remedies: money, authority at the limit boundaries, suggestions and the 150 % warning."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kintsugi.remedies import policy
from kintsugi.remedies.policy import AmountError, Limit


@pytest.mark.parametrize(
    ("text", "code", "language", "minor"),
    [
        ("150000", "VND", "vi", 150000),
        ("150.000", "VND", "vi", 150000),
        ("150.000 ₫", "VND", "vi", 150000),
        ("1.250.000", "VND", "vi", 1250000),
        ("150,000", "VND", "en", 150000),
        ("150000 VND", "VND", "en", 150000),
        ("1,250.00", "THB", "th", 125000),
        ("฿1,250.5", "THB", "th", 125050),
        ("1250", "THB", "en", 125000),
        ("1.250,50", "THB", "vi", 125050),
        ("$12.50", "USD", "en", 1250),
        ("0", "USD", "en", 0),
        ("12.5", "usd", "en", 1250),
    ],
)
def test_parse_amount_reads_what_people_type(text: str, code: str, language: str, minor: int) -> None:
    assert policy.parse_amount(text, code, language) == minor


@pytest.mark.parametrize(
    ("text", "code", "language", "error"),
    [
        ("10,5", "VND", "vi", "precision"),
        ("10.5", "VND", "en", "precision"),
        ("10.5", "VND", "vi", "format"),  # grouping comes in threes: not ten thousand five
        ("12.345", "THB", "en", "precision"),
        ("1,25.00", "THB", "en", "format"),
        ("-5", "USD", "en", "negative"),
        ("abc", "USD", "en", "format"),
        ("", "USD", "en", "format"),
        ("10", "EUR", "en", "unknown_currency"),
        ("100000000000000", "VND", "en", "too_large"),
    ],
)
def test_parse_amount_refuses_what_it_cannot_read_exactly(text: str, code: str, language: str, error: str) -> None:
    with pytest.raises(AmountError) as caught:
        policy.parse_amount(text, code, language)
    assert caught.value.code == error


@pytest.mark.parametrize(
    ("text", "code", "result"),
    [("150000", "VND", 150000), ("10.50", "THB", 1050), ("10.5", "USD", 1050), ("0.01", "THB", 1),
     ("10.5", "VND", "precision"), ("0.001", "THB", "precision"), ("1,000", "VND", "format"),
     ("-1", "THB", "negative"), ("1e3", "USD", "format"), ("10", "XYZ", "unknown_currency")],
)
def test_api_decimal_strings_follow_the_currency_minor_units(text: str, code: str, result: int | str) -> None:
    if isinstance(result, int):
        assert policy.parse_decimal_string(text, code) == result
    else:
        with pytest.raises(AmountError) as caught:
            policy.parse_decimal_string(text, code)
        assert caught.value.code == result


@pytest.mark.parametrize(
    ("minor", "code", "language", "text"),
    [
        (150000, "VND", "vi", "150.000 ₫"),
        (150000, "VND", "en", "150,000 ₫"),
        (125000, "THB", "th", "฿1,250.00"),
        (125050, "THB", "vi", "฿1.250,50"),
        (1250, "USD", "en", "$12.50"),
        (5, "USD", "en", "$0.05"),
        (0, "VND", "vi", "0 ₫"),
    ],
)
def test_format_amount_in_each_language(minor: int, code: str, language: str, text: str) -> None:
    assert policy.format_amount(minor, code, language) == text


@pytest.mark.parametrize(("minor", "code", "text"), [(150000, "VND", "150000"), (1250, "THB", "12.50"),
                                                     (7, "USD", "0.07")])
def test_decimal_string_round_trips(minor: int, code: str, text: str) -> None:
    assert policy.decimal_string(minor, code) == text
    assert policy.parse_decimal_string(text, code) == minor
    assert policy.to_minor(Decimal(text), code) == minor


# Per role, as a house would set them, in THB minor units (VND has no minor unit; the arithmetic is the same).
ROLE_LIMITS = {
    "frontline": Limit(per_remedy=50000, per_case=80000, per_day=150000),
    "supervisor": Limit(per_remedy=300000, per_case=500000, per_day=1000000),
    "cx_manager": Limit(per_remedy=2000000, per_case=3000000, per_day=5000000),
    "admin": Limit(per_remedy=2000000, per_case=3000000, per_day=5000000),
}


@pytest.mark.parametrize("role", sorted(ROLE_LIMITS))
@pytest.mark.parametrize(
    ("measure", "offset", "granted"),
    [("per_remedy", 0, True), ("per_remedy", 1, False),
     ("per_case", 0, True), ("per_case", 1, False),
     ("per_day", 0, True), ("per_day", 1, False)],
)
def test_exactly_at_the_limit_is_granted_one_minor_unit_above_needs_approval(
    role: str, measure: str, offset: int, granted: bool
) -> None:
    limit = ROLE_LIMITS[role]
    assert limit.per_remedy is not None
    assert limit.per_case is not None
    assert limit.per_day is not None
    if measure == "per_remedy":
        amount, case_total, day_total = limit.per_remedy + offset, 0, 0
    elif measure == "per_case":
        amount = limit.per_remedy
        case_total, day_total = limit.per_case - limit.per_remedy + offset, 0
    else:
        amount = limit.per_remedy
        case_total, day_total = 0, limit.per_day - limit.per_remedy + offset
    decision = policy.decide(amount, limit, case_total=case_total, day_total=day_total)
    assert decision.is_granted is granted
    assert decision.exceeded == (() if granted else (measure,))


@pytest.mark.parametrize(
    ("limit", "amount", "granted", "exceeded"),
    [
        (None, 0, True, ()),
        (None, 1, False, ("per_remedy", "per_case", "per_day")),
        (Limit(50000, None, 100000), 100, False, ("per_case",)),
        (Limit(0, 0, 0), 0, True, ()),
        (Limit(100, 100, 100), 101, False, ("per_remedy", "per_case", "per_day")),
    ],
)
def test_blank_limits_mean_no_authority_but_a_zero_remedy_always_passes(
    limit: Limit | None, amount: int, granted: bool, exceeded: tuple[str, ...]
) -> None:
    assert policy.decide(amount, limit) == policy.Decision(granted, exceeded)


def test_a_location_limit_overrides_the_organisation_wide_one() -> None:
    wide, hanoi = Limit(100, 100, 100), Limit(500, 500, 500)
    rows = [(None, wide), (7, hanoi)]
    assert policy.pick_limit(rows, 7) == hanoi
    assert policy.pick_limit(rows, 8) == wide
    assert policy.pick_limit([(7, hanoi)], 8) is None
    assert policy.pick_limit([], 7) is None


@pytest.mark.parametrize(
    ("amount", "transaction", "warn"),
    [(150, 100, False), (151, 100, True), (1_500_000, 1_000_000, False), (1_500_001, 1_000_000, True),
     (999, None, False), (999, 0, False)],
)
def test_warning_above_150_percent_of_the_transaction(amount: int, transaction: int | None, warn: bool) -> None:
    assert policy.above_useful_share(amount, transaction) is warn


CATALOGUE = {"refund": 200000, "replacement": 300000, "reperform": 0, "apology": 0, "gesture": 50000,
             "voucher": 100000}


@pytest.mark.parametrize(
    ("failure", "severity", "repeat", "costs", "transaction", "expected"),
    [
        ("monetary", 2, False, 0, None, [("refund", 200000, ("matched",))]),
        ("product", 1, False, 0, None, [("replacement", 300000, ("matched",))]),
        ("service_process", 3, False, 0, None, [("reperform", 0, ("matched", "severity"))]),
        ("lack_of_attention", 2, False, 0, None,
         [("apology", 0, ("matched",)), ("gesture", 50000, ("matched",))]),
        ("monetary", 4, False, 0, None,
         [("refund", 300000, ("matched", "severity")), ("voucher", 150000, ("goodwill_extra", "severity"))]),
        ("monetary", 2, True, 0, None,
         [("refund", 300000, ("matched", "repeat")), ("voucher", 150000, ("goodwill_extra", "repeat"))]),
        ("monetary", 5, True, 0, None,
         [("refund", 600000, ("matched", "severity", "repeat")),
          ("voucher", 300000, ("goodwill_extra", "severity", "repeat"))]),
        ("monetary", 1, False, 80000, None, [("refund", 280000, ("matched", "customer_costs"))]),
        ("lack_of_attention", 1, False, 80000, None,
         [("apology", 0, ("matched",)), ("gesture", 130000, ("matched", "customer_costs"))]),
        ("monetary", 1, False, 0, 100000, [("refund", 150000, ("matched", "capped"))]),
    ],
)
def test_suggestions_match_the_failure_and_grow_with_severity_repeat_and_the_customers_costs(
    failure: str, severity: int, repeat: bool, costs: int, transaction: int | None,
    expected: list[tuple[str, int, tuple[str, ...]]],
) -> None:
    found = policy.suggest(failure, severity=severity, is_repeat=repeat, defaults=CATALOGUE,
                           customer_costs=costs, transaction_value=transaction)
    assert [(s.kind, s.amount, s.reasons) for s in found] == expected


def test_no_suggestion_when_the_catalogue_lacks_the_matching_kind() -> None:
    assert policy.suggest("product", severity=2, is_repeat=False, defaults={"refund": 100}) == []


@pytest.mark.parametrize(("country", "fallback", "code"), [("VN", "USD", "VND"), ("th", "VND", "THB"),
                                                          ("JP", "usd", "USD")])
def test_local_currency_follows_the_country(country: str, fallback: str, code: str) -> None:
    assert policy.local_currency(country, fallback) == code


@pytest.mark.parametrize(("authority", "expected"), [
    (None, [("refund", 200000, ("matched", "severity"), 0)]),
    (500000, [("refund", 200000, ("matched", "severity"), 0)]),
    (200000, [("refund", 200000, ("matched", "severity"), 0)]),
    (150000, [("refund", 150000, ("matched", "severity", "needs_approval"), 200000)]),
    (0, [("refund", 0, ("matched", "severity", "needs_approval"), 200000)]),
])
def test_a_suggestion_is_never_above_the_callers_authority(
    authority: int | None, expected: list[tuple[str, int, tuple[str, ...], int]]
) -> None:
    found = policy.suggest("monetary", severity=5, is_repeat=False, defaults={"refund": 100000}, authority=authority)
    assert [(s.kind, s.amount, s.reasons, s.wanted) for s in found] == expected


@pytest.mark.parametrize(("code", "typical", "largest_limit", "reference"), [
    ("VND", 150_000, 20_000_000, 150_000),  # the catalogue's usual amount first
    ("VND", 0, 20_000_000, 20_000_000),  # else the largest limit per remedy
    ("VND", 0, 0, 5_000_000),  # else a tenth of the ceiling: 50 000 000 ₫ is the first outlier
    ("THB", 0, 0, 700_000),
    ("USD", 0, 0, 20_000),
])
def test_outlier_reference(code: str, typical: int, largest_limit: int, reference: int) -> None:
    assert policy.outlier_reference(code, typical=typical, largest_limit=largest_limit) == reference


@pytest.mark.parametrize(("amount", "reference", "outlier"), [
    (1_500_000, 150_000, False),  # exactly ten times
    (1_500_001, 150_000, True),
    (2_000_000_000, 150_000, True),  # a "small gesture" of 2 000 000 000 ₫
    (0, 0, False),
])
def test_is_outlier(amount: int, reference: int, outlier: bool) -> None:
    assert policy.is_outlier(amount, reference) is outlier
