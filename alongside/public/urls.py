from django.urls import path

from alongside.public import views

urlpatterns = [
    path("", views.home, name="home"),
    path("surgeries/", views.directory, name="surgery_list"),
    path("surgeries/<slug:slug>/", views.surgery, name="surgery"),
]
