import os

from django.core.wsgi import get_wsgi_application

from kintsugi.db import checkpointer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
application = get_wsgi_application()
# A web process checkpoints SQLite's log from a thread of its own, outside the write lock (kintsugi/db/checkpointer.py).
checkpointer.enable()

# Load the language model now, not on the first complaint a worker receives.
from kintsugi.cases.triage import warm_up  # noqa: E402

warm_up()
