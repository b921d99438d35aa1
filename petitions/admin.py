from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from petitions.models import Category, Department, Region, Role, User

DEPARTMENT_ROLES = {Role.HANDLER, Role.DEPARTMENT_HEAD}


class DepartmentRoleMixin:
    """Handlers and department heads see their department's cases only, so they must have one."""

    def clean(self):
        cleaned = super().clean()
        groups = {group.name for group in cleaned.get("groups") or []}
        if groups & DEPARTMENT_ROLES and not cleaned.get("department"):
            self.add_error("department", _("Handlers and department heads need a department."))
        return cleaned


class StaffChangeForm(DepartmentRoleMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class StaffCreationForm(DepartmentRoleMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "department", "groups"]


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
    form = StaffChangeForm
    add_form = StaffCreationForm
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
