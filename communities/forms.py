from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth import forms as auth_forms

from kentlocality.forms import GovForm, TextField

from .models import User


def _govuk(field: forms.Field, autocomplete: str) -> None:
    field.widget.attrs.update({"class": "govuk-input", "autocomplete": autocomplete})


class SignInForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case sensitive "
        "except the email address.",
        "inactive": "This account has been switched off. Ask a KCC administrator.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        _govuk(self.fields["username"], "email")
        self.fields["username"].widget.attrs["spellcheck"] = "false"
        _govuk(self.fields["password"], "current-password")


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        _govuk(self.fields["email"], "email")

    def get_users(self, email: str):
        """Active accounts with this address, including people invited who have not yet
        chosen a password (Django leaves those out): their invitation lasts 24 hours,
        and this is how they ask for another link, as the invitation tells them."""
        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 12 characters. Avoid common passwords and words from your name or email."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        for name in ("new_password1", "new_password2"):
            _govuk(self.fields[name], "new-password")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        error_messages={
            "required": "Enter the security code",
            "max_length": "Enter the code as it is shown",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _govuk(self.fields["code"], "one-time-code")
        self.fields["code"].widget.attrs.update(
            {
                "class": "govuk-input govuk-input--width-10",
                "spellcheck": "false",
                "inputmode": "text",
            }
        )


class InviteForm(GovForm):
    """A new person for a role the inviter manages (communities.services.person_invite)."""

    full_name = TextField(label="Full name", max_length=150, required=True)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role"},
    )

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        if len(roles) == 1:
            self.fields["role"].initial = roles[0][0]
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.helper.layout = Layout(
            Field.text("full_name", label_size=Size.SMALL, field_width=20),
            Field.text("email", label_size=Size.SMALL, field_width=20),
            Field.radios("role", legend_size=Size.SMALL),
        )
