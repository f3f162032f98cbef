"""/healthz (the web process answers) and /readyz (it can do its work), for monitors and load balancers: no
sign-in, no secrets, never cached."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kintsugi.ops.health import readiness


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 with every check when all are within bounds, 503 with the same when any is not."""
    checks = readiness()
    ready = len(checks) > 1 and all(check.ok for check in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": {name: c.as_json() for name, c in checks.items()}},
        status=200 if ready else 503,
    )
