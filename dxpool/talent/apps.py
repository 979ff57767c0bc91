from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "dxpool.talent"
    label = "talent"
