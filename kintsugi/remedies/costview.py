"""The cost of failure as the page shows it: a summary first, then one section per currency (amounts in two
currencies are never added up), its months named in the reader's language and paged, newest first. Built from
selectors.cost_of_failure's report; no query of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator

from kintsugi.remedies import policy
from kintsugi.remedies.models import RemedyKind
from kintsugi.remedies.selectors import CostReport, CostRow, FlaggedRemedy

MONTHS_PER_PAGE = 12


@dataclass
class Given:
    label: str
    count: int
    amount: str  # "" for remedies without money
    outliers: int


@dataclass
class Line:
    """One location and category in one month, in one currency."""

    location: str
    category: str
    remedies: list[Given]
    costs: str  # the customer's money costs in this currency ("" for none)
    at_risk: int  # customers at risk (only in the average value's currency)
    revenue_at_risk: str  # "" when the average customer value is not set

    @property
    def outliers(self) -> int:
        return sum(given.outliers for given in self.remedies)


@dataclass
class Month:
    """A month's totals in one currency, and its lines by location and category."""

    key: str  # YYYY-MM
    first_day: date
    lines: list[Line]
    remedies_count: int = 0
    remedies_minor: int = 0
    costs_minor: int = 0
    at_risk: int = 0
    revenue_minor: int = 0
    outliers: int = 0


@dataclass
class Section:
    currency: str
    remedies_count: int = 0
    remedies_minor: int = 0
    costs_count: int = 0
    costs_minor: int = 0
    at_risk: int = 0
    revenue_at_risk_minor: int = 0
    shows_revenue: bool = False  # the average customer value is set and in this currency
    flagged: list[FlaggedRemedy] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)


@dataclass
class CostView:
    sections: list[Section]
    page: Page[str]
    remedies_count: int
    costs_count: int
    cost_minutes: int
    at_risk: int
    value_missing: bool  # customers are at risk but no average customer value is set


def first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def _sum(cells: dict[str, list[int]], currency: str) -> tuple[int, int]:
    count, minor = cells.get(currency, [0, 0])
    return count, minor


def _line(row: CostRow, currency: str, report: CostReport, language: str) -> Line | None:
    kinds = dict(RemedyKind.choices)
    remedies = []
    for kind, cells in sorted(row.remedies.items()):
        if currency in cells:
            count, minor = cells[currency]
            remedies.append(Given(str(kinds.get(kind, kind)), count,
                                  policy.format_amount(minor, currency, language) if minor else "",
                                  row.outliers.get((kind, currency), 0)))
    _count, spent = _sum(row.costs, currency)
    at_risk = row.at_risk if currency == report.average_currency else 0
    revenue = report.revenue_at_risk(row) if at_risk else 0
    if not remedies and not spent and not at_risk:
        return None
    return Line(row.location, row.category, remedies, policy.format_amount(spent, currency, language) if spent
                else "", at_risk, policy.format_amount(revenue, currency, language) if revenue else "")


def build(report: CostReport, *, language: str, page: str | int = 1) -> CostView:
    """The page's view of `report`: sections per currency (the organisation's average value's currency among
    them when customers are at risk), the months of page `page` in each."""
    currencies: set[str] = set()
    for row in report.rows:
        for cells in row.remedies.values():
            currencies.update(cells)
        currencies.update(code for code in row.costs if code)
    if report.total_at_risk:
        currencies.add(report.average_currency)
    months = sorted({row.month for row in report.rows}, reverse=True)
    paged = Paginator(months, MONTHS_PER_PAGE).get_page(page)
    shown = set(paged.object_list)
    sections = []
    # The organisation's own currency (its average customer value's) first, then the others.
    for currency in sorted(currencies, key=lambda code: (code != report.average_currency, code)):
        section = Section(currency, shows_revenue=report.average_value > 0 and currency == report.average_currency,
                          flagged=[f for f in report.flagged if f.currency == currency])
        by_month: dict[str, Month] = {}
        for row in report.rows:
            for cells in row.remedies.values():
                count, minor = _sum(cells, currency)
                section.remedies_count += count
                section.remedies_minor += minor
            count, minor = _sum(row.costs, currency)
            section.costs_count += count
            section.costs_minor += minor
            if currency == report.average_currency:
                section.at_risk += row.at_risk
                section.revenue_at_risk_minor += report.revenue_at_risk(row)
            line = _line(row, currency, report, language) if row.month in shown else None
            if line is not None:
                month = by_month.setdefault(row.month, Month(row.month, first_day(row.month), []))
                month.lines.append(line)
                month.remedies_count += sum(_sum(cells, currency)[0] for cells in row.remedies.values())
                month.remedies_minor += sum(_sum(cells, currency)[1] for cells in row.remedies.values())
                month.costs_minor += _sum(row.costs, currency)[1]
                month.at_risk += line.at_risk
                month.revenue_minor += report.revenue_at_risk(row) if line.at_risk else 0
                month.outliers += line.outliers
        section.months = [by_month[key] for key in paged.object_list if key in by_month]
        sections.append(section)
    return CostView(
        sections=sections, page=paged,
        remedies_count=sum(c for row in report.rows for cells in row.remedies.values() for c, _m in cells.values()),
        costs_count=sum(row.cost_count for row in report.rows),
        cost_minutes=sum(row.cost_minutes for row in report.rows),
        at_risk=report.total_at_risk, value_missing=report.total_at_risk > 0 and report.average_value <= 0,
    )
