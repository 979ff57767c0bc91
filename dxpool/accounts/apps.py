from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dxpool.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Log-in successes, failures and lockouts go to the audit trail through signal receivers.
        from dxpool.accounts import receivers  # noqa: F401
