"""Load the demo organisation (Lotus Hospitality Group) with a year of cases; does nothing if it exists."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kintsugi.comms.tasks import send_message
from kintsugi.demo.loader import load_demo


class Command(BaseCommand):
    help = "Create the demo organisation with its staff, customers and cases (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=2000, help="How many cases (default 2000).")
        parser.add_argument("--seed", type=int, default=20261123, help="Random seed: the same seed, the same demo.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = load_demo(cases=max(0, options["cases"]), seed=options["seed"])
        name = f"{result['organisation']} ({result['slug']})"
        if result["already_loaded"]:
            self.stdout.write(f"Demo already loaded: {name}, {result['cases']} cases. Nothing changed.")
            return
        for message_id in result["pending_sends"]:  # the last day's replies: the worker sends them now
            send_message.enqueue(message_id)
        self.stdout.write(self.style.SUCCESS(f"Loaded {name} in {time.monotonic() - started:.1f} s"))
        self.stdout.write(
            f"  {result['locations']} locations, {result['touchpoints']} touchpoints, {result['staff']} staff, "
            f"{result['customers']} customers, {result['cases']} cases"
        )
        languages = ", ".join(f"{k} {v}" for k, v in result["by_language"].items())
        statuses = ", ".join(f"{k} {v}" for k, v in result["by_status"].items())
        self.stdout.write(f"  languages: {languages}")
        self.stdout.write(f"  statuses: {statuses}")
        self.stdout.write(f"  logins: {', '.join(result['logins'])} (password: {result['password']})")
