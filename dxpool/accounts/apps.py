from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dxpool.accounts"
    label = "accounts"
