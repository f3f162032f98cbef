"""How long logging a phone complaint from a known customer takes on a phone, counted in human interactions.

Not a test: a measurement (issue 4, "under 30 seconds on a phone"). It builds a small organisation in a
throw-away SQLite database, serves it with `runserver`, and drives headless Debian chromium at 390x844 in
Vietnamese through "Log a complaint" for a returning customer, counting every tap and every field typed. It
also saves the screenshots docs/screenshots/log-found-customer-vi.png and customer-vi.png.

    .venv/bin/python scripts/log_complaint_journey.py [--no-screenshots]

Human time is estimated from the interactions: about 1.5 s per tap (find the target, touch it) plus typing at
about 2.5 characters per second on a phone keyboard, the figures usually used for touch-screen KLM estimates.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
TAP_SECONDS = 1.5
CHARS_PER_SECOND = 2.5
PHONE_NUMBER = "0912345678"  # as read out by the caller; spaces would work too
DESCRIPTION = "Điều hòa phòng 210 lại chảy nước."


@dataclass
class Tally:
    taps: list[str] = field(default_factory=list)
    typed: list[tuple[str, str]] = field(default_factory=list)

    def tap(self, what: str) -> None:
        self.taps.append(what)

    def type(self, what: str, text: str) -> None:
        self.typed.append((what, text))

    @property
    def interactions(self) -> int:
        return len(self.taps) + len(self.typed)

    @property
    def human_seconds(self) -> float:
        # A typed field costs a tap (to focus it) and the characters.
        return (len(self.taps) + len(self.typed)) * TAP_SECONDS + sum(len(t) for _w, t in self.typed) / CHARS_PER_SECOND


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_data() -> dict[str, object]:
    """The organisation, an agent and a supervisor reading Vietnamese, and Hoa with two earlier cases."""
    from django.utils import timezone

    from kintsugi.accounts.models import Location, Organisation, Role, Touchpoint, User
    from kintsugi.cases import services
    from kintsugi.cases.models import Category, Channel, SlaPolicy

    org = Organisation.objects.create(name="Lotus Hotels", slug="lotus", default_language="vi")
    hours = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    hanoi = Location.objects.create(organisation=org, name="Lotus Hà Nội", code="hanoi", timezone="Asia/Ho_Chi_Minh",
                                    working_hours=hours, country="VN", languages=["vi", "en"])
    desk = Touchpoint.objects.create(organisation=org, location=hanoi, name="Lễ tân", code="hn-desk", kind="front_desk")
    Category.objects.create(organisation=org, code="rooms", name="Rooms", name_vi="Phòng", name_th="ห้องพัก")
    SlaPolicy.objects.create(organisation=org, name="Default", first_response_minutes=60, resolution_minutes=480)
    agent = User.objects.create_user(username="linh", password="x", organisation=org, role=Role.FRONTLINE,
                                     language="vi", first_name="Linh")
    agent.locations.set([hanoi])
    supervisor = User.objects.create_user(username="minh", password="x", organisation=org, role=Role.SUPERVISOR,
                                          language="vi", first_name="Minh")
    hoa = services.find_or_create_customer(organisation=org, name="Nguyễn Thị Hoa", phone="0912 345 678",
                                           zalo_id="zalo-hoa", email="hoa.nguyen@example.com", language="vi")
    services.find_or_create_customer(organisation=org, name="Hoàng Văn Hòa", phone="0903 222 333", language="vi")
    now = timezone.now()
    for days, text in ((41, "Phòng 305 chưa được dọn, khăn tắm bẩn."), (6, "Điều hòa phòng 210 chảy nước.")):
        services.open_case(by=None, organisation=org, touchpoint=desk, channel=Channel.ZALO, customer=hoa,
                           description=text, at=now - timedelta(days=days))
    return {"agent": agent, "supervisor": supervisor, "hoa": hoa}


def session_cookie(user: object) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-screenshots", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kintsugi-journey-"))
    port = free_port()
    env = {**os.environ, "KINTSUGI_DATA_DIR": str(workdir), "SQLITE_PATH": str(workdir / "db.sqlite3"),
           "DEBUG": "1", "PORT": str(port), "DJANGO_SETTINGS_MODULE": "kintsugi.settings"}
    os.environ.update(env)
    # Playwright's sync API runs an event loop in this thread; the script's own database reads are not async work.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from playwright.sync_api import expect, sync_playwright

    from kintsugi.cases.models import Case

    call_command("migrate", verbosity=0)
    cast = build_data()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(cast["agent"]),
                                  "url": base}])
            page = context.new_page()
            page.goto(f"{base}/cases/")
            tally = Tally()
            started = time.monotonic()

            page.locator(".nav-cta").tap()
            tally.tap("Log a complaint")
            # Phone is the default channel, the agent's only location is chosen, severity starts at 3.
            search = page.locator("#customer-q")
            search.tap()
            search.press_sequentially(PHONE_NUMBER, delay=20)
            tally.type("Find the customer", PHONE_NUMBER)
            match = page.locator("#customer-matches .customer-match").first
            expect(match).to_contain_text("Nguyễn Thị Hoa")
            if not args.no_screenshots:
                page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar would be drawn where the page was
                page.screenshot(path=ROOT / "docs/screenshots/log-found-customer-vi.png", full_page=True)
            match.tap()
            tally.tap("the customer found")
            expect(page.locator(".chosen-customer")).to_contain_text("Nguyễn Thị Hoa")
            description = page.locator("#id_description")
            description.tap()
            description.fill(DESCRIPTION)
            tally.type("What happened?", DESCRIPTION)
            page.locator(".tile-severity-4").tap()
            tally.tap("severity 4")
            page.locator(".form-submit .button-primary").tap()
            tally.tap("Open case")
            page.wait_for_url(f"{base}/cases/K-*/")
            machine = time.monotonic() - started

            case = Case.objects.order_by("-pk").first()
            assert case is not None
            assert case.customer_id == cast["hoa"].pk, "the case went to the wrong customer"  # type: ignore[attr-defined]
            assert case.is_repeat_failure, "the case should be a repeat failure"
            print(f"Opened {case.reference} for {case.customer} (repeat failure: {case.is_repeat_failure}).")
            print(f"Interactions: {tally.interactions} = {len(tally.taps)} taps ({', '.join(tally.taps)}) + "
                  f"{len(tally.typed)} fields typed ({', '.join(w for w, _t in tally.typed)}, "
                  f"{sum(len(t) for _w, t in tally.typed)} characters).")
            describing = TAP_SECONDS + len(DESCRIPTION) / CHARS_PER_SECOND
            print(f"Estimated human time: {tally.human_seconds:.0f} s "
                  f"({TAP_SECONDS} s a tap or field, {CHARS_PER_SECOND} characters/s), of which "
                  f"{describing:.0f} s is writing down what happened and {tally.human_seconds - describing:.0f} s "
                  f"the form itself; the browser's own time for the whole journey: {machine:.1f} s.")

            if not args.no_screenshots:
                supervisor = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                                 has_touch=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
                supervisor.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                         "value": session_cookie(cast["supervisor"]), "url": base}])
                tab = supervisor.new_page()
                tab.goto(f"{base}/customers/{cast['hoa'].pk}/")  # type: ignore[attr-defined]
                tab.locator(".merge-card summary").tap()
                tab.screenshot(path=ROOT / "docs/screenshots/customer-vi.png", full_page=True)
                print("Screenshots: docs/screenshots/log-found-customer-vi.png, docs/screenshots/customer-vi.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0 if tally.human_seconds < 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
