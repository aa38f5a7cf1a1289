from django.urls import path

from alongside.network import views

urlpatterns = [
    path("start/", views.start, name="start"),
    path("organise/", views.organise, name="organise"),
    path("surgeries/new/", views.surgery_new, name="surgery_new"),
    path("surgeries/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    # Network admins (brokers): proposals, areas and their coordinators.
    path("network/", views.dashboard, name="network"),
    path("network/proposals/", views.proposals, name="proposals"),
    path("network/proposals/<int:surgery_id>/", views.proposal, name="proposal"),
    path(
        "network/proposals/<int:surgery_id>/approve/",
        views.proposal_approve,
        name="proposal_approve",
    ),
    path(
        "network/proposals/<int:surgery_id>/decline/",
        views.proposal_decline,
        name="proposal_decline",
    ),
    path("network/areas/", views.areas, name="network_areas"),
    path("network/areas/new/", views.area_new, name="area_new"),
    path("network/areas/<slug:slug>/", views.area, name="network_area"),
    path("network/areas/<slug:slug>/edit/", views.area_edit, name="area_edit"),
    path(
        "network/areas/<slug:slug>/coordinators/",
        views.area_coordinators,
        name="area_coordinators",
    ),
    path(
        "network/areas/<slug:slug>/coordinators/<int:coordinator_id>/remove/",
        views.coordinator_remove,
        name="coordinator_remove",
    ),
    path(
        "network/areas/<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.area_invitation_withdraw,
        name="area_invitation_withdraw",
    ),
    # A surgery's organisers, and invitations to join them.
    path("surgeries/<slug:slug>/organisers/", views.organisers, name="organisers"),
    path("surgeries/<slug:slug>/organisers/leave/", views.organiser_leave, name="organiser_leave"),
    path(
        "surgeries/<slug:slug>/organisers/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "surgeries/<slug:slug>/organisers/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
