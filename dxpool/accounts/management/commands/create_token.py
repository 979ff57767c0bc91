"""`dxpool create-token USERNAME [--name NAME]`: make an API token and print it once."""

from dxpool.accounts.models import User
from dxpool.accounts.services import api_token_create
from dxpool.core.commands import DxpoolCommand, InputError


class Command(DxpoolCommand):
    help = "APIトークンを発行します (Create an API token; it is printed once and only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InputError(f"利用者「{username}」は存在しません (unknown or inactive user: {username})")
        _, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
