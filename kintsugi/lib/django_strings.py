"""Django's own strings that appear on our pages but are missing from its bundled Vietnamese and Thai
catalogues. Marking them here puts them in our catalogues (LOCALE_PATHS wins over Django's), so relative times
such as "3 hours" read in the user's language. Nothing imports this module; makemessages reads it."""

from django.utils.translation import gettext_noop, ngettext_lazy

TIME_STRINGS = (
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)
SEPARATORS = (gettext_noop(", "),)
