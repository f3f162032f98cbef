"""The one seam for speed: every piece of performance machinery lives here; domain code never imports it, only the
edge (wsgi.py, settings, the two hot views) does."""
