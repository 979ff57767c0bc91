from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dxpool.core"
    label = "core"
