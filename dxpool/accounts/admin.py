from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from dxpool.accounts.models import ApiToken, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("dxpool", {"fields": ("role", "organisation", "display_name", "language")}),)
    list_display = ("username", "display_name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active", "organisation__kind")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "prefecture", "municipality")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("municipality",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest",)
