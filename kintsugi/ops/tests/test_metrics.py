"""/metrics: only with the configured token; the database's counts and the requests by view, in Prometheus's text
format."""

from __future__ import annotations

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families
from pytest_django import Settings

from kintsugi.cases.models import Case

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-metrics-token-0123456789"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_without_a_configured_token_there_is_no_such_address(client: Client) -> None:
    assert client.get("/metrics").status_code == 404


def test_a_wrong_or_missing_token_is_refused(client: Client, settings: Settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    response = client.get("/metrics", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_the_counts_and_the_requests_by_view(client: Client, settings: Settings, case: Case) -> None:
    settings.METRICS_TOKEN = TOKEN
    Case.objects.filter(pk=case.pk).update(first_response_breached=True)
    client.get("/healthz")
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    found = samples(response.content.decode())
    assert found[("kintsugi_cases_opened_total", (("channel", case.channel),))] == 1
    assert found[("kintsugi_sla_breaches_total", (("target", "first_response"),))] == 1
    assert found[("kintsugi_sla_breaches_total", (("target", "resolution"),))] == 0
    assert found[("kintsugi_outbox_queued", ())] == 0
    assert found[("kintsugi_http_requests_total", (("method", "GET"), ("status", "2xx"), ("view", "healthz")))] >= 1
    assert found[("kintsugi_http_request_duration_seconds_count", (("view", "healthz"),))] >= 1
