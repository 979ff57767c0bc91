"""Developer and demo settings: SQLite under var/ unless DATABASE_URL says otherwise.

DEBUG stays off unless DJANGO_DEBUG=1, so the demo shows the real Japanese error pages; static files are
served by WhiteNoise straight from the app folders.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Serve static files from the app folders without collectstatic (production runs collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
