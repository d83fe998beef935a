"""The service's admin site (django.contrib.admin's, named in INSTALLED_APPS through
kentlocality.apps.KentAdminConfig). Its own module: kentlocality/admin.py registers models
on the site, so it cannot also be where the site is made."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """A searchable drop-down's choices labelled by the model admin's
    ``autocomplete_label(obj)`` where it has one: "Spring Primary School (URN 118234,
    primary, Dover Rural CoS)" rather than a name two schools may share."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class KentAdminSite(admin.AdminSite):
    site_header = "Kent Communities of Schools: administration"
    site_title = "Kent CoS admin"
    index_title = "Administration"
    # The home links the Kent overview (reporting), which is outside the admin.
    index_template = "admin/kent_index.html"

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
