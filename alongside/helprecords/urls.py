from django.urls import path

from alongside.helprecords import views

urlpatterns = [
    path("sessions/<int:session_id>/help/new/", views.help_record_new, name="help_record_new"),
]
