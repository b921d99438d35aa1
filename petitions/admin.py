from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from petitions.models import Category, Department, Region, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["categories"]
    autocomplete_fields = ["parent"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "default_department", "is_active"]
    list_filter = ["is_active", "default_department"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "default_department"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "department", "is_active", "last_login"]
    list_filter = ["groups", "department", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email", "department"]}),
        (_("Roles and access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "full_name", "department", "groups", "password1", "password2"]}),
    ]
    autocomplete_fields = ["department"]
