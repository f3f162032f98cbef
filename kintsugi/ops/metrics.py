"""/metrics in the Prometheus text format (prometheus-client), behind a token (KINTSUGI_METRICS_TOKEN; without one
the address does not exist).

- Requests and their latency by view (`kintsugi_http_requests_total`, `kintsugi_http_request_duration_seconds`),
  counted by `RequestMetricsMiddleware`. With PROMETHEUS_MULTIPROC_DIR set (scripts/run.sh and the systemd unit
  set it) every granian worker writes its counts there and a scrape adds them up; without it a scrape sees the
  worker that answered it.
- From the database at each scrape, so the same whichever worker answers: cases opened by channel, SLA breaches
  by kind, the outbox's queued and failed messages, the task queue's ready and failed tasks.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from kintsugi.cases.models import Case
from kintsugi.comms.models import DeliveryStatus, Message
from kintsugi.lib.taskqueue import queue_is_the_database

__all__ = ["DatabaseCollector", "RequestMetricsMiddleware", "metrics"]

REQUESTS = Counter("kintsugi_http_requests", "HTTP requests answered, by view, method and status class.",
                   ["view", "method", "status"])
LATENCY = Histogram("kintsugi_http_request_duration_seconds", "Time to answer an HTTP request, by view.", ["view"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))


class DatabaseCollector(Collector):
    """What the database says, read at each scrape."""

    def collect(self) -> Iterator[Metric]:
        opened = CounterMetricFamily("kintsugi_cases_opened", "Cases opened, by channel.", labels=["channel"])
        for channel, count in Case.objects.order_by().values_list("channel").annotate(n=Count("id")):
            opened.add_metric([channel], count)
        yield opened
        breaches = Case.objects.aggregate(first_response=Count("id", filter=Q(first_response_breached=True)),
                                          resolution=Count("id", filter=Q(resolution_breached=True)))
        sla = CounterMetricFamily("kintsugi_sla_breaches", "SLA breaches, by target.", labels=["target"])
        for target, count in breaches.items():
            sla.add_metric([target], count)
        yield sla
        outbox = Message.objects.aggregate(queued=Count("id", filter=Q(status=DeliveryStatus.QUEUED)),
                                           failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)))
        yield GaugeMetricFamily("kintsugi_outbox_queued", "Messages waiting to be sent.", value=outbox["queued"])
        yield CounterMetricFamily("kintsugi_outbox_failed", "Messages that could not be sent.",
                                  value=outbox["failed"])
        if queue_is_the_database():
            yield GaugeMetricFamily("kintsugi_tasks_ready", "Tasks waiting for the worker.",
                                    value=DBTaskResult.objects.ready().count())
            yield CounterMetricFamily("kintsugi_tasks_failed", "Tasks that failed.",
                                      value=DBTaskResult.objects.failed().count())


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return registry


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token:
        raise Http404
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("A metrics token is needed: Authorization: Bearer <KINTSUGI_METRICS_TOKEN>\n",
                                status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


class RequestMetricsMiddleware:
    """Counts each request and its latency under its view's name (its URL pattern's name, not its path)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match is not None else "unmatched"
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method or "", f"{response.status_code // 100}xx").inc()
        return response


