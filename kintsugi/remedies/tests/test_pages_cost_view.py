"""The cost view as a person reads it: a summary before any table, one section per currency, months by name in
the reader's language, twelve months a page, no "฿0.00" for remedies without money, and remedies far above the
usual amount flagged with a link to their case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from conftest import MONDAY_10AM, login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case
from kintsugi.remedies import costview, selectors, services
from kintsugi.remedies.models import Remedy, RemedySettings

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings", "catalogue")


@pytest.fixture
def given(case: Case, bangkok_case: Case, agent: User, bangkok_agent: User, manager: User) -> Remedy:
    services.propose_remedy(case, kind="gesture", amount_minor=150_000, currency="VND", by=agent, at=MONDAY_10AM)
    services.propose_remedy(bangkok_case, kind="apology", amount_minor=0, currency="THB", by=bangkok_agent,
                            at=MONDAY_10AM)
    services.propose_remedy(bangkok_case, kind="voucher", amount_minor=50_000, currency="THB", by=bangkok_agent,
                            at=MONDAY_10AM)
    services.record_customer_cost(case, kind="time_lost", minutes=40, by=agent, at=MONDAY_10AM)
    # Confirmed by the manager, within their authority: 5 000 000 ₫ for a small gesture, whose catalogue entry
    # gives 150 000 ₫.
    return services.propose_remedy(case, kind="gesture", amount_minor=5_000_000, currency="VND", by=manager,
                                   at=MONDAY_10AM + timedelta(hours=1))


def test_the_summary_comes_before_the_sections_per_currency(client: Client, given: Remedy, manager: User) -> None:
    page = login(client, manager).get("/remedies/cost/").content.decode()
    summary, vnd, thb = (page.index('id="cost-summary-title"'), page.index('id="currency-VND"'),
                         page.index('id="currency-THB"'))
    assert summary < vnd < thb  # the organisation's own currency first
    assert summary < page.index("<table")
    assert "<dt>Remedies given</dt><dd>4</dd>" in page
    assert "<dt>Customers' time lost</dt><dd>40 min</dd>" in page
    thb_section = page.split('id="currency-THB"')[1].split("</section>")[0]
    assert "<dt>Remedies given</dt><dd>2 · ฿500.00</dd>" in thb_section
    assert "Apology only: 1</div>" in thb_section
    assert "฿0.00" not in page
    vnd_section = page.split('id="currency-VND"')[1].split("</section>")[0]
    assert "<dt>Remedies given</dt><dd>2 · 5,150,000 ₫</dd>" in vnd_section
    assert "<h3>November 2026</h3>" in vnd_section
    assert '<p class="cost-month-totals"><span>2 remedies · 5,150,000 ₫</span>' in vnd_section


def test_remedies_far_above_the_usual_are_flagged(client: Client, given: Remedy, manager: User) -> None:
    assert given.is_outlier is True
    page = login(client, manager).get("/remedies/cost/").content.decode()
    vnd_section = page.split('id="currency-VND"')[1].split("</section>")[0]
    assert '<dt>Far above the usual</dt><dd class="cost-outlier">1</dd>' in vnd_section
    assert (f'<a href="/cases/{given.case.reference}/#remedy-{given.pk}"><span class="case-ref">'
            f'{given.case.reference}</span></a> 5,000,000 ₫ far above the usual amount') in vnd_section
    assert 'Small gesture: 2 · 5,150,000 ₫ <span class="cost-outlier">1 far above the usual</span>' in vnd_section
    assert "far above" not in page.split('id="currency-THB"')[1].split("</section>")[0]


@pytest.mark.parametrize(("language", "month"), [("vi", "tháng 11 năm 2026"), ("th", "พฤศจิกายน 2026")])
def test_months_are_named_in_the_readers_language(client: Client, given: Remedy, manager: User, language: str,
                                                  month: str) -> None:
    manager.language = language
    manager.save()
    page = login(client, manager).get("/remedies/cost/").content.decode()
    assert f"<h3>{month}</h3>" in page


def test_without_an_average_value_there_is_no_zero_revenue(client: Client, case: Case, agent: User,
                                                           manager: User) -> None:
    RemedySettings.objects.filter(organisation_id=case.organisation_id).update(
        average_customer_value_minor=0, average_value_currency="THB")
    old = MONDAY_10AM - timedelta(days=200)
    Case.objects.filter(pk=case.pk).update(resolved_at=old, status="resolved", is_open=False)
    page = login(client, manager).get("/remedies/cost/").content.decode()
    assert "<dt>Customers at risk</dt><dd>1</dd>" in page
    assert "Set the average customer value under “Catalogue and limits”" in page
    assert "฿0.00" not in page
    assert "Revenue at risk" not in page


def test_months_are_paged_twelve_at_a_time(client: Client, case: Case, agent: User, manager: User) -> None:
    for back in range(14):  # fourteen months, one gesture each
        services.propose_remedy(case, kind="gesture", amount_minor=10_000 + back, currency="VND", by=agent,
                                at=MONDAY_10AM - timedelta(days=31 * back))
    report = selectors.cost_of_failure(manager, now=MONDAY_10AM)
    first = costview.build(report, language="en")
    assert [m.key for m in first.sections[0].months][:2] + [m.key for m in first.sections[0].months][-1:] == [
        "2026-11", "2026-10", "2025-12"]
    assert len(first.sections[0].months) == 12
    second = costview.build(report, language="en", page="2")
    assert [m.key for m in second.sections[0].months] == ["2025-11", "2025-10"]
    assert second.sections[0].remedies_count == 14  # the summary counts every month, not the page's
    assert costview.build(report, language="en", page="99").page.number == 2
    login(client, manager)
    page = client.get("/remedies/cost/?location=hanoi").content.decode()
    assert 'href="?location=hanoi&amp;page=2">Older months</a>' in page
    assert "Page 1 of 2" in page
    assert "<h3>October 2025</h3>" in client.get("/remedies/cost/?location=hanoi&page=2").content.decode()
    assert client.get("/remedies/cost/?page=abc").status_code == 200
