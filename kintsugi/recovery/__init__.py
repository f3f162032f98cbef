"""Recovering the customer: playbooks (LATTE, LEARN, HEART as data), the apology composer, reply templates,
thank-and-explain and the follow-up."""
