from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "dxpool.places"
    label = "places"
