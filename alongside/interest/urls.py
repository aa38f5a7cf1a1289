from django.urls import path

from alongside.interest import views

urlpatterns = [
    path("interest/", views.register, name="interest_register"),
    path("interest/<str:token>/", views.thanks, name="interest_thanks"),
    path("interest/<str:token>/withdraw/", views.withdraw, name="interest_withdraw"),
    path("network/interest/", views.broker_map, name="interest_map"),
    path("network/interest/<str:place>/", views.broker_place, name="interest_place"),
    path(
        "network/interest/<str:place>/put-in-touch/",
        views.put_in_touch,
        name="interest_put_in_touch",
    ),
]
