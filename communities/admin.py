from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from kentlocality.admin import RankedSearchMixin

from . import mfa
from .models import Area, CommunityOfSchools, District, RoleAssignment, School, User
from .permissions import READ_ONLY_KENT_ROLES, can_grant_role, can_manage_person
from .services import role_changed_email, user_invite

# Access is the superusers' to give (issue 17): a KCC administrator manages the people of
# schools, CoS and areas, never their own access or that of anyone with administration
# access. The rules are in permissions.py (can_manage_person, can_grant_role); here they
# are applied to every way the admin has of giving or taking away a role.
ACCESS_FIELDS = ["is_superuser", "is_staff", "groups", "user_permissions"]
REFUSED_ROLE = "Only a superuser can give or take away this role for this person."


def _place_role_choices() -> list[tuple[str, str]]:
    return [
        (value, label)
        for value, label in RoleAssignment.Role.choices
        if value not in RoleAssignment.KENT_ROLES or value in READ_ONLY_KENT_ROLES
    ]


class LabelledChoicesMixin:
    """Schools and CoS chosen in a form are named as the searchable drop-down names them
    (their ``choice_label``), the one already chosen included."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related = db_field.related_model
        if field is not None and hasattr(related, "choice_label"):
            field.queryset = field.queryset.select_related(
                *{School: ["community"], CommunityOfSchools: ["area"]}.get(related, [])
            )
            field.label_from_instance = lambda obj: obj.choice_label
        return field


class RoleGrantFormSet(BaseInlineFormSet):
    """Checks each role added, changed or removed against can_grant_role, for the person
    signed in (``actor``, set by the inline's get_formset)."""

    actor: User

    def _person(self, form, user_id) -> User | None:
        if isinstance(self.instance, User):
            return self.instance
        return User.objects.filter(pk=user_id).first() if user_id else None

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            deleting = self._should_delete_form(form)
            if not deleting and not form.has_changed():
                continue
            checks = []
            if form.instance.pk is not None:  # what it was: taken away or changed
                checks.append((form.initial.get("user"), form.initial.get("role")))
            if not deleting:  # what it becomes
                data = getattr(form, "cleaned_data", {})
                user = data.get("user")
                checks.append((user.pk if user else None, data.get("role")))
            for user_id, role in checks:
                person = self._person(form, user_id)
                if role and person is not None and not can_grant_role(self.actor, person, role):
                    raise forms.ValidationError(REFUSED_ROLE)


class RoleGrantInlineMixin:
    formset = RoleGrantFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})


class RoleInline(LabelledChoicesMixin, RoleGrantInlineMixin, admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["school", "community"]
    fields = ["role", "school", "community", "area"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [("", "---------"), *_place_role_choices()]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _may_change(self, request, obj) -> bool:
        return obj is None or can_manage_person(request.user, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self._may_change(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)


class UserCreationForm(AdminUserCreationForm):
    """A new person is invited by email by default: they choose their own password
    through the link, and no administrator ever knows it. Setting a password here is the
    exception (for example an account for testing), and the form says so."""

    usable_password = forms.ChoiceField(
        label="How will they sign in?",
        required=False,
        initial="false",
        choices={
            "false": "Send an invitation email (recommended): they choose their own password",
            "true": "Set a password now (only when an invitation cannot reach them)",
        },
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
        help_text="An invitation link works for 24 hours; 'Send an invitation to choose a "
        "password' on the people list sends a new one. A password set here must be given "
        "to them some other way, and they should change it at once.",
    )

    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserChange(UserChangeForm):
    class Meta:
        model = User
        # Named, not "__all__": what the form may change is decided here and in
        # UserAdmin.get_readonly_fields, never by whatever the model grows.
        fields = [
            "email",
            "full_name",
            "job_title",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
        ]


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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Read only, so not in the form: a value posted for them is ignored.
            fields += [name for name in ACCESS_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_person(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        # Someone who has signed in has acted, and the audit names them: they are
        # switched off (not active), never deleted.
        return allowed and (
            obj is None or (obj.last_login is None and can_manage_person(request.user, obj))
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one person at a time, through the checks
        return actions

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change and not obj.has_usable_password():
            user_invite(actor=request.user, user=obj)
            messages.info(request, f"An invitation has been sent to {obj.email}.")

    def _manageable(self, request, queryset) -> tuple[list[User], int]:
        people = list(queryset)
        allowed = [person for person in people if can_manage_person(request.user, person)]
        return allowed, len(people) - len(allowed)

    def _refused(self, request, refused: int) -> None:
        if refused:
            messages.warning(
                request,
                f"{refused} of the people chosen have administration access (or are you): "
                "only a superuser can do that for them. Nothing was done for them.",
            )

    @admin.action(description="Send an invitation to choose a password")
    def send_invitation(self, request, queryset) -> None:
        people, refused = self._manageable(request, queryset.filter(is_active=True))
        for user in people:
            user_invite(actor=request.user, user=user)
        self._refused(request, refused)
        messages.success(request, f"Invitations sent to {len(people)} people.")

    @admin.action(description="Reset two-factor sign-in (they enrol again at next sign-in)")
    def reset_two_factor(self, request, queryset) -> None:
        people, refused = self._manageable(request, queryset)
        for user in people:
            mfa.reset(user, actor=request.user)
        self._refused(request, refused)
        messages.success(request, f"Two-factor sign-in reset for {len(people)} people.")


@admin.register(Area)
class AreaAdmin(RankedSearchMixin, admin.ModelAdmin):
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


class ChairInline(RoleGrantInlineMixin, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    verbose_name = "chair"
    verbose_name_plural = "chair (a person with the CoS chair role)"
    fields = ["user", "role"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(role=RoleAssignment.Role.CHAIR)


@admin.register(CommunityOfSchools)
class CommunityOfSchoolsAdmin(RankedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "area", "primary_care_network", "school_count"]
    list_filter = ["area"]
    search_fields = ["name", "primary_care_network"]
    inlines = [ChairInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area").annotate(n=Count("schools"))

    def autocomplete_label(self, obj: CommunityOfSchools) -> str:
        return obj.choice_label

    @admin.display(description="schools", ordering="n")
    def school_count(self, obj: CommunityOfSchools) -> int:
        return obj.n


@admin.register(School)
class SchoolAdmin(LabelledChoicesMixin, RankedSearchMixin, admin.ModelAdmin):
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

    def get_queryset(self, request):
        # The searchable drop-downs' labels name each school's CoS.
        return super().get_queryset(request).select_related("community")

    def autocomplete_label(self, obj: School) -> str:
        return obj.choice_label


class RoleAssignmentForm(forms.ModelForm):
    actor: User

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "school", "community", "area"]

    def clean(self):
        cleaned = super().clean()
        checks = [(self.cleaned_data.get("user"), cleaned.get("role"))]
        if self.instance.pk is not None:  # changing a role takes the old one away
            checks.append((self.instance.user, self.instance.role))
        for person, role in checks:
            if person is not None and role and not can_grant_role(self.actor, person, role):
                raise forms.ValidationError(REFUSED_ROLE)
        return cleaned


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(LabelledChoicesMixin, SimpleHistoryAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "school", "community", "area", "created_at"]
    list_filter = ["role", "area"]
    search_fields = ["user__full_name", "user__email", "school__name", "community__name"]
    list_select_related = ["user", "school", "community", "area"]
    autocomplete_fields = ["user", "school", "community"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [("", "---------"), *_place_role_choices()]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _may(self, request, obj) -> bool:
        return obj is None or can_grant_role(request.user, obj.user, obj.role)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)  # one at a time, through the checks
        return actions

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change or form.changed_data:
            role_changed_email(obj, given=True)  # the person is told (issue 16 item 5)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        role_changed_email(obj, given=False)
