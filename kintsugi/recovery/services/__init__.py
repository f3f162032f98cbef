"""Every state change of recovery, one module per idea; each checks permission and invariants, writes, and
records on the case's timeline through cases.services:

- `playbooks`: the organisation's playbooks and their choice, the playbook bound to a case and its ticks, the
  resolve rule (cases.services calls bind, refresh_due and check_resolve);
- `follow_ups`: the follow-up scheduled on resolving, sent when due, the customer's answer, and its expiry;
- `messages`: the five-part apology and its lint phrases, reply templates, thank-and-explain.

Callers use the names re-exported here: `from kintsugi.recovery import services; services.bind(case)`.
"""

from kintsugi.recovery.services.follow_ups import (
    answer_follow_up,
    expire_follow_up,
    expiry_of,
    follow_up_due_at,
    follow_up_text,
    reopen_after_customer_message,
    schedule_follow_up,
    send_follow_up,
)
from kintsugi.recovery.services.messages import (
    MANAGING_ROLES,
    MAX_PHRASE,
    MAX_TEMPLATE_BODY,
    MAX_TEMPLATE_NAME,
    add_apology_phrase,
    can_manage_messages,
    delete_reply_template,
    fill_reply_template,
    lint_phrases,
    remedy_offer_text,
    remove_apology_phrase,
    save_reply_template,
    send_apology,
    send_thanks,
    template_values,
)
from kintsugi.recovery.services.playbooks import (
    MAX_NOTE,
    MAX_REASON,
    StepsOpen,
    bind,
    check_resolve,
    choose_playbooks,
    create_playbook,
    ensure_builtins,
    open_steps_of,
    refresh_due,
    save_steps,
    tick_step,
)

__all__ = [
    "MANAGING_ROLES",
    "MAX_NOTE",
    "MAX_PHRASE",
    "MAX_REASON",
    "MAX_TEMPLATE_BODY",
    "MAX_TEMPLATE_NAME",
    "StepsOpen",
    "add_apology_phrase",
    "answer_follow_up",
    "bind",
    "can_manage_messages",
    "check_resolve",
    "choose_playbooks",
    "create_playbook",
    "delete_reply_template",
    "ensure_builtins",
    "expire_follow_up",
    "expiry_of",
    "fill_reply_template",
    "follow_up_due_at",
    "follow_up_text",
    "lint_phrases",
    "open_steps_of",
    "refresh_due",
    "remedy_offer_text",
    "remove_apology_phrase",
    "reopen_after_customer_message",
    "save_reply_template",
    "save_steps",
    "schedule_follow_up",
    "send_apology",
    "send_follow_up",
    "send_thanks",
    "template_values",
    "tick_step",
]
