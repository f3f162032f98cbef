import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
application = get_wsgi_application()

# Load the language model now, not on the first complaint a worker receives.
from kintsugi.cases.triage import warm_up  # noqa: E402

warm_up()
