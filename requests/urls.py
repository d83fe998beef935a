from django.urls import path

from .notifications import views as notifications
from .views import administration, decisions, detail, meetings, officer, payments, senco

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
    path("requests/<int:pk>/continue/", senco.continue_support, name="continue"),
    path("requests/<int:pk>/review/", senco.review, name="review"),
    path("support-services/", detail.prg_directory, name="prg_directory"),
    # Everyone's notifications.
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/preferences/", notifications.preferences, name="notification_preferences"),
    path("administration/subject-access/", administration.subject_access, name="subject_access"),
    # The HNF Monitoring Officer.
    path("areas/<int:area_id>/officer/", officer.officer_home, name="officer"),
    path("requests/<int:pk>/acknowledge/", officer.acknowledge, name="acknowledge"),
    path("requests/<int:pk>/payment-route/", officer.payment_route, name="payment_route"),
    path("requests/<int:pk>/pdf/", officer.request_pdf, name="request_pdf"),
    path("requests/<int:pk>/payments/new/", payments.payment_record, name="payment_record"),
    path(
        "requests/<int:pk>/payments/<int:payment_id>/reverse/",
        payments.payment_reverse,
        name="payment_reverse",
    ),
    path("areas/<int:area_id>/officer/exports/", payments.export_page, name="exports"),
    path(
        "areas/<int:area_id>/officer/exports/payments-due.csv",
        payments.export_due_csv,
        name="export_due_csv",
    ),
    path(
        "areas/<int:area_id>/officer/exports/payments-made.csv",
        payments.export_made_csv,
        name="export_made_csv",
    ),
    path(
        "areas/<int:area_id>/officer/exports/payments.xlsx",
        payments.export_xlsx,
        name="export_xlsx",
    ),
    # The CoS chair's journey.
    path("communities/<int:community_id>/", meetings.community_home, name="community"),
    path("communities/<int:community_id>/meetings/", meetings.meeting_list, name="meetings"),
    # What a CoS's members see of it.
    path(
        "communities/<int:community_id>/members/",
        meetings.community_for_members,
        name="members",
    ),
    path(
        "communities/<int:community_id>/meetings/new/",
        meetings.meeting_create,
        name="meeting_new",
    ),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/case-summaries/", meetings.case_summaries, name="case_summaries"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/agenda/add/", meetings.agenda_add, name="agenda_add"),
    path(
        "meetings/<int:pk>/agenda/<int:item_id>/remove/",
        meetings.agenda_remove,
        name="agenda_remove",
    ),
    path("meetings/<int:pk>/agenda/<int:item_id>/move/", meetings.agenda_move, name="agenda_move"),
    path("meetings/<int:pk>/agenda/<int:item_id>/decide/", decisions.decide, name="decide"),
    path("meetings/<int:pk>/agenda/<int:item_id>/ratify/", decisions.ratify, name="ratify"),
    path("meetings/<int:pk>/agenda/<int:item_id>/correct/", decisions.correct, name="correct"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="attendance"),
    path("meetings/<int:pk>/declarations/", meetings.declarations, name="declarations"),
    path(
        "meetings/<int:pk>/representation/<int:school_id>/",
        meetings.representation,
        name="representation",
    ),
    path(
        "meetings/<int:pk>/declarations/<int:declaration_id>/remove/",
        meetings.declaration_remove,
        name="declaration_remove",
    ),
    path("meetings/<int:pk>/close/", meetings.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/minutes/", meetings.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", meetings.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/agenda-pack.pdf", meetings.agenda_pdf, name="agenda_pdf"),
    path("requests/<int:pk>/interim-decision/", decisions.interim_decide, name="interim"),
    path("requests/<int:pk>/meeting-summary/", decisions.meeting_summary, name="meeting_summary"),
]
