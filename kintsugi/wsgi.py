import os

import django
from django.conf import settings

from kintsugi.db import checkpointer
from kintsugi.lib.gcfreeze import freeze_after
from kintsugi.lib.handler import Handler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
django.setup(set_prefix=False)  # as django.core.wsgi.get_wsgi_application does
# Django's handler, keeping each path's URL match (lib/handler.py). After its first requests, the process's
# objects leave the garbage collector's full passes (lib/gcfreeze.py).
application = freeze_after(Handler(), settings.GC_FREEZE_AFTER_REQUESTS)
# A web process checkpoints SQLite's log from a thread of its own, outside the write lock (kintsugi/db/checkpointer.py).
checkpointer.enable()

# Load the language model now, not on the first complaint a worker receives.
from kintsugi.cases.triage import warm_up  # noqa: E402

warm_up()
