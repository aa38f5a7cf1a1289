from django.urls import path

from alongside.organisations import outcomes, views

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
