from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count

from .models import Area, CommunityOfSchools, District, RoleAssignment, School, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["school", "community"]
    fields = ["role", "school", "community", "area"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserChange(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChange
    add_form = UserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "job_title", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "roles__role"]
    search_fields = ["full_name", "email"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "job_title", "password"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "community_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("communities"))

    @admin.display(description="Communities of Schools", ordering="n")
    def community_count(self, obj: Area) -> int:
        return obj.n


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "area"]
    list_filter = ["area"]
    search_fields = ["name", "gss_code"]


class ChairInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    verbose_name = "chair"
    verbose_name_plural = "chair (a person with the CoS chair role)"
    fields = ["user", "role"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(role=RoleAssignment.Role.CHAIR)


@admin.register(CommunityOfSchools)
class CommunityOfSchoolsAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "primary_care_network", "school_count"]
    list_filter = ["area"]
    search_fields = ["name", "primary_care_network"]
    inlines = [ChairInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area").annotate(n=Count("schools"))

    @admin.display(description="schools", ordering="n")
    def school_count(self, obj: CommunityOfSchools) -> int:
        return obj.n


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "urn",
        "dfe_number",
        "kind",
        "phase",
        "district",
        "community",
        "is_open",
    ]
    list_filter = ["is_open", "kind", "phase", "district__area", "district"]
    search_fields = ["name", "urn", "dfe_number", "postcode", "community__name"]
    list_select_related = ["district", "community"]
    autocomplete_fields = ["community"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "community", "area", "created_at"]
    list_filter = ["role", "area"]
    search_fields = ["user__full_name", "user__email", "school__name", "community__name"]
    list_select_related = ["user", "school", "community", "area"]
    autocomplete_fields = ["user", "school", "community"]
