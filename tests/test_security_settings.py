"""Headers and cookies: the Content-Security-Policy on every page, templates with no inline script or style, and
the HTTPS configuration (KINTSUGI_HTTPS=1) that `manage.py check --deploy` passes without a warning."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

from conftest import login
from kintsugi.accounts.models import User

ROOT = Path(settings.BASE_DIR)
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "KINTSUGI_TESTING"}}
    env.update({
        "KINTSUGI_HTTPS": "1", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "desk.example.com",
        "KINTSUGI_CREDENTIALS_KEYS": "zKjR0m3n1Cq4hJ6bY8wP2sT5vX7aD9fG1iL3oN5qS7U=",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "KINTSUGI_DATA_DIR": str(tmp_path),
    })
    env.update(extra)
    return env


def test_pages_carry_the_content_security_policy(client: Client, agent: User) -> None:
    assert client.get("/login/")["Content-Security-Policy"] == POLICY
    response = login(client, agent).get("/cases/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_is_told_not_to_inject_its_indicator_style(client: Client, agent: User) -> None:
    html = login(client, agent).get("/cases/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html


def test_no_template_has_inline_script_or_style() -> None:
    """Pages only: the HTML of the mails we send (templates/comms/email/) is read in mail clients, which know no
    stylesheet but inline styles, and is never served under our CSP."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=|\sstyle=|<style")
    mails = ROOT / "templates" / "comms" / "email"
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("kintsugi/**/templates/**/*.html")])
        if mails not in path.parents
        for match in inline.finditer(path.read_text())
    ]
    assert found == []


def test_plain_http_keeps_the_usual_cookie_names() -> None:
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    assert settings.SESSION_COOKIE_SECURE is False


def assert_deploy_checks_pass(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert (result.returncode, result.stdout.strip(), result.stderr.strip()) == (
        0, "System check identified no issues (0 silenced).", ""
    )


def test_the_https_configuration_passes_the_deploy_checks(tmp_path: Path) -> None:
    assert_deploy_checks_pass(production_env(tmp_path))


def test_without_https_the_deploy_checks_warn(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path, KINTSUGI_HTTPS="0"), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


HTTPS_PROBE = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/login/", secure=True, headers={"host": "desk.example.com"})
plain = Client().get("/login/", headers={"host": "desk.example.com"})
cookie = response.cookies["__Host-csrftoken"]
print(json.dumps({
    "status": response.status_code, "hsts": response["Strict-Transport-Security"],
    "cookie_secure": bool(cookie["secure"]), "cookie_path": cookie["path"], "cookie_domain": cookie["domain"],
    "plain": [plain.status_code, plain["Location"]],
}))
"""


def test_over_https_cookies_are_secure_and_host_prefixed(tmp_path: Any) -> None:
    # KINTSUGI_TESTING: static files from the finders (no collectstatic here); the security settings are the same.
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="kintsugi.settings", KINTSUGI_TESTING="1")
    result = subprocess.run([sys.executable, "-c", HTTPS_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"status": 200, "hsts": "max-age=31536000; includeSubDomains; preload", "cookie_secure": true, '
        '"cookie_path": "/", "cookie_domain": "", "plain": [301, "https://desk.example.com/login/"]}'
    )


def production(tmp_path: Path, **extra: str) -> dict[str, str]:
    """KINTSUGI_ENV=production with what it requires (and nothing of KINTSUGI_HTTPS: production implies it)."""
    env = production_env(tmp_path, **{"KINTSUGI_ENV": "production", "SITE_URL": "https://desk.example.com", **extra})
    env.pop("KINTSUGI_HTTPS")
    return {k: v for k, v in env.items() if v != ""}


def test_production_refuses_to_start_without_its_configuration(tmp_path: Path) -> None:
    env = production(tmp_path, SECRET_KEY="", ALLOWED_HOSTS="", SITE_URL="http://desk.example.com", DEBUG="1",
                     KINTSUGI_CREDENTIALS_KEYS="")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Kintsugi will not start: KINTSUGI_ENV=production, but",
        '- SECRET_KEY must be set to a random string of at least 50 characters, e.g. python -c "import secrets; '
        'print(secrets.token_urlsafe(50))".',
        "- ALLOWED_HOSTS must name the site's host names, comma-separated (e.g. desk.example.com).",
        "- SITE_URL must be the site's https:// address (e.g. https://desk.example.com).",
        "- DEBUG must be off in production: unset it.",
        '- KINTSUGI_CREDENTIALS_KEYS must hold the key that seals mailbox and channel credentials, e.g. python -c '
        '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" (docs/deploy.md).',
        "See docs/deploy.md.",
    ]


def test_production_passes_the_deploy_checks_and_trusts_the_proxys_scheme(tmp_path: Path) -> None:
    assert_deploy_checks_pass(production(tmp_path))
    probe = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
         "print(s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.SECURE_SSL_REDIRECT)"],
        cwd=ROOT, env=production(tmp_path, DJANGO_SETTINGS_MODULE="kintsugi.settings"), capture_output=True,
        text=True, timeout=120,
    )
    assert probe.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') True __Host-sessionid True"
