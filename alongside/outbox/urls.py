from django.urls import path

from alongside.outbox import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
