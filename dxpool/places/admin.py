from django.contrib import admin

from dxpool.places.models import Grouping, Municipality, Prefecture


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "lg_code")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "prefecture", "type")
    list_filter = ("type", "prefecture")
    search_fields = ("name", "kana", "code")


@admin.register(Grouping)
class GroupingAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "prefecture")
    list_filter = ("kind", "prefecture")
    filter_horizontal = ("members",)
