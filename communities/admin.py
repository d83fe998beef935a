from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from . import mfa
from .models import Area, CommunityOfSchools, District, RoleAssignment, School, User
from .services import user_invite


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
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    form = UserChange
    actions = ["send_invitation", "reset_two_factor"]
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

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change and not obj.has_usable_password():
            user_invite(actor=request.user, user=obj)
            messages.info(request, f"An invitation has been sent to {obj.email}.")

    @admin.action(description="Send an invitation to choose a password")
    def send_invitation(self, request, queryset) -> None:
        for user in queryset.filter(is_active=True):
            user_invite(actor=request.user, user=user)
        messages.success(
            request, f"Invitations sent to {queryset.filter(is_active=True).count()} people."
        )

    @admin.action(description="Reset two-factor sign-in (they enrol again at next sign-in)")
    def reset_two_factor(self, request, queryset) -> None:
        for user in queryset:
            mfa.reset(user)
        messages.success(request, f"Two-factor sign-in reset for {queryset.count()} people.")


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
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "school", "community", "area", "created_at"]
    list_filter = ["role", "area"]
    search_fields = ["user__full_name", "user__email", "school__name", "community__name"]
    list_select_related = ["user", "school", "community", "area"]
    autocomplete_fields = ["user", "school", "community"]
