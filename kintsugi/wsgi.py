import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from kintsugi.db import checkpointer
from kintsugi.db.gcfreeze import freeze_after

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
# The process's objects leave the garbage collector's full passes after its first requests (kintsugi/db/gcfreeze.py).
application = freeze_after(get_wsgi_application(), settings.GC_FREEZE_AFTER_REQUESTS)
# A web process checkpoints SQLite's log from a thread of its own, outside the write lock (kintsugi/db/checkpointer.py).
checkpointer.enable()

# Load the language model now, not on the first complaint a worker receives.
from kintsugi.cases.triage import warm_up  # noqa: E402

warm_up()
