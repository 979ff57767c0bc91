from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "dxpool.matching"
    label = "matching"
