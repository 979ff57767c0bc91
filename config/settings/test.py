"""Test settings: fast hashing, tasks run immediately, in-memory files."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client's login() authenticates without a request, which the axes backend refuses, and the form
# fuzzing test posts junk to the log-in form: axes is off here and switched on by tests/accounts/test_login.py.
AXES_ENABLED = False
# The suggestion limit would otherwise be reached by the fuzzing runs; tests/core/test_request_limits.py
# lowers it to test it.
DXPOOL_SUGGESTIONS_PER_MINUTE = 10_000
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the app folders without collectstatic (production runs collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
