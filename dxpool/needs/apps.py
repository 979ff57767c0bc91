from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "dxpool.needs"
    label = "needs"
