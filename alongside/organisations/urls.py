from django.urls import path

from alongside.organisations import approach, escalation, mentors, outcomes, own_surgeries, views

# "organisations/<int:organisation_id>/" (a group's history, for organisers) comes first in
# the URL conf; an organisation's slug is never only digits (surgeries.Organisation.save).
urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.space, name="organisation_space"),
    path("organisations/<slug:slug>/members/", views.members, name="organisation_members"),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/",
        views.member_edit,
        name="organisation_member",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="organisation_member_remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="member_invitation_resend",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="member_invitation_withdraw",
    ),
    path("organisations/<slug:slug>/teams/", views.teams, name="organisation_teams"),
    # The skills and needs check.
    path("organisations/<slug:slug>/check/", views.check, name="organisation_check"),
    path(
        "organisations/<slug:slug>/check/organisation/",
        views.maturity,
        name="organisation_maturity",
    ),
    path("organisations/<slug:slug>/check/rounds/", views.rounds, name="organisation_rounds"),
    path(
        "organisations/<slug:slug>/check/rounds/close/",
        views.round_close,
        name="organisation_round_close",
    ),
    path("organisations/<slug:slug>/check/topics/", views.own_topics, name="organisation_topics"),
    path("organisations/<slug:slug>/results/", views.results, name="organisation_results"),
    path(
        "organisations/<slug:slug>/results/<int:number>/",
        views.results,
        name="organisation_round_results",
    ),
    path("join/<str:token>/", views.invitation, name="member_invitation"),
    # The escalation route: any member reports; the responders (never network admins) read.
    path("organisations/<slug:slug>/report/", escalation.report, name="escalation_report_new"),
    path("organisations/<slug:slug>/reports/", escalation.reports, name="escalation_reports"),
    path(
        "organisations/<slug:slug>/reports/<int:report_id>/",
        escalation.report_page,
        name="escalation_report",
    ),
    path(
        "organisations/<slug:slug>/reports/<int:report_id>/acknowledge/",
        escalation.report_acknowledge,
        name="escalation_report_acknowledge",
    ),
    path(
        "organisations/<slug:slug>/reports/<int:report_id>/steps/",
        escalation.report_step,
        name="escalation_report_step",
    ),
    path(
        "organisations/<slug:slug>/reports/<int:report_id>/close/",
        escalation.report_close,
        name="escalation_report_close",
    ),
    path(
        "organisations/<slug:slug>/responders/",
        escalation.responders,
        name="escalation_responders",
    ),
]

# Digital mentors.
urlpatterns += [
    path("organisations/<slug:slug>/mentors/", mentors.mentors, name="organisation_mentors"),
    path("organisations/<slug:slug>/mentors/ask/", mentors.mentors_ask, name="mentors_ask"),
    path("organisations/<slug:slug>/mentors/offer/", mentors.mentors_offer, name="mentors_offer"),
    path(
        "organisations/<slug:slug>/mentors/<int:mentoring_id>/",
        mentors.mentor_pairing,
        name="mentor_pairing",
    ),
    path(
        "organisations/<slug:slug>/mentors/<int:mentoring_id>/answer/",
        mentors.mentor_answer,
        name="mentor_answer",
    ),
    path(
        "organisations/<slug:slug>/mentors/<int:mentoring_id>/meeting/",
        mentors.mentor_meeting,
        name="mentor_meeting",
    ),
    path(
        "organisations/<slug:slug>/mentors/<int:mentoring_id>/done/",
        mentors.mentor_done,
        name="mentor_done",
    ),
    path(
        "organisations/<slug:slug>/mentors/<int:mentoring_id>/confidence/",
        mentors.mentor_confidence,
        name="mentor_confidence",
    ),
]

# The organisation's approach pack.
_approach = "organisations/<slug:slug>/approach/"
_document = _approach + "documents/<slug:kind>/"
urlpatterns += [
    path(_approach, approach.approach, name="organisation_approach"),
    path(_document, approach.document, name="approach_document"),
    path(_document + "edit/", approach.document_edit, name="approach_document_edit"),
    path(_document + "acknowledge/", approach.acknowledge, name="approach_acknowledge"),
    path(_document + "read-by/", approach.acknowledgements, name="approach_acknowledgements"),
    path(_document + "versions/", approach.document_versions, name="approach_document_versions"),
    path(
        _document + "versions/<int:number>/",
        approach.document_version,
        name="approach_document_version",
    ),
    path(_approach + "platforms/", approach.platforms, name="approach_platforms"),
    path(
        _approach + "platforms/<int:platform_id>/",
        approach.platform_edit,
        name="approach_platform",
    ),
    path(
        _approach + "platforms/<int:platform_id>/remove/",
        approach.platform_remove,
        name="approach_platform_remove",
    ),
    path(_approach + "sheets/", approach.sheets, name="approach_sheets"),
    path(_approach + "sheets/<int:chosen_id>/", approach.sheet_change, name="approach_sheet"),
    path(_approach + "training/", approach.training, name="approach_training"),
    path(_approach + "training/<int:course_id>/", approach.course_edit, name="approach_course"),
    path(
        _approach + "training/<int:course_id>/remove/",
        approach.course_remove,
        name="approach_course_remove",
    ),
    # The organisation's own surgeries: for members only, or for both.
    path(
        "organisations/<slug:slug>/surgeries/",
        own_surgeries.own_surgeries,
        name="organisation_surgeries",
    ),
    path(
        "organisations/<slug:slug>/surgeries/<slug:surgery_slug>/who-can-come/",
        own_surgeries.own_surgery_audience,
        name="organisation_surgery_audience",
    ),
    # The organisation's outcomes over a period, to read, print or download.
    path(
        "organisations/<slug:slug>/outcomes/",
        outcomes.outcomes_report,
        name="organisation_outcomes",
    ),
    path(
        "organisations/<slug:slug>/outcomes.csv",
        outcomes.outcomes_csv,
        name="organisation_outcomes_csv",
    ),
]
