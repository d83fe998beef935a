from django.urls import path

from .views import administration, detail, officer, senco

app_name = "requests"

urlpatterns = [
    path("schools/<int:school_id>/", senco.school_home, name="school"),
    path("schools/<int:school_id>/requests/new/", senco.request_start, name="start"),
    path("requests/<int:pk>/", detail.request_detail, name="detail"),
    path("requests/<int:pk>/pupil/", senco.section_pupil, name="pupil"),
    path("requests/<int:pk>/needs/", senco.section_needs, name="needs"),
    path("requests/<int:pk>/funding/", senco.section_funding, name="funding"),
    path("requests/<int:pk>/exceptional/", senco.section_exceptional, name="exceptional"),
    path("requests/<int:pk>/evidence/", senco.evidence, name="evidence"),
    path(
        "requests/<int:pk>/evidence/<int:attachment_id>/",
        senco.evidence_download,
        name="evidence_download",
    ),
    path(
        "requests/<int:pk>/evidence/<int:attachment_id>/remove/",
        senco.evidence_remove,
        name="evidence_remove",
    ),
    path("requests/<int:pk>/check/", senco.check_answers, name="check"),
    path("requests/<int:pk>/submitted/", senco.submitted, name="submitted"),
    path("requests/<int:pk>/withdraw/", senco.withdraw, name="withdraw"),
    path("requests/<int:pk>/discard/", senco.discard, name="discard"),
    path("support-services/", detail.prg_directory, name="prg_directory"),
    path("administration/subject-access/", administration.subject_access, name="subject_access"),
    # Placeholders filled by the chair's and officer's work.
    path("communities/<int:community_id>/", senco.community_placeholder, name="community"),
    # The HNF Monitoring Officer.
    path("areas/<int:area_id>/officer/", officer.officer_home, name="officer"),
    path("requests/<int:pk>/acknowledge/", officer.acknowledge, name="acknowledge"),
    path("requests/<int:pk>/pdf/", officer.request_pdf, name="request_pdf"),
]
