"""The network's demo rows go on top of the demo network, and show on the admin's pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from alongside.demo.build import build_demo_network
from alongside.network.demo import add_demo
from alongside.surgeries.models import Session, Surgery


@pytest.mark.django_db
def test_the_demo_has_proposals_a_coordinator_and_invitations():
    today = timezone.localdate()
    build_demo_network(today=today)
    counts = add_demo(today=today)
    assert counts == {"areas": 3, "coordinators": 1, "proposals": 2, "invitations": 3}
    # Running it again adds nothing.
    assert add_demo(today=today) == counts
    # Its first session is when its proposal says it will meet: the second Wednesday.
    first = Session.objects.get(surgery__slug="kingswinford").date
    assert first.weekday() == 2 and 8 <= first.day <= 14 and first > today
    client = Client()
    assert client.get("/surgeries/kingswinford/").status_code == 404
    assert client.get("/surgeries/stourbridge/").status_code == 200
    client.force_login(Surgery.objects.get(slug="stourbridge").organisers.first())
    assert b"priya@stourbridge.example" in client.get("/surgeries/stourbridge/organisers/").content
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client.force_login(users.get(username="admin"))
    page = client.get("/network/proposals/").content.decode()
    assert "Kingswinford Social Media Surgery" in page and "Smethwick" in page
    client.force_login(users.get(username="jo"))
    page = client.get("/network/areas/dudley-borough/").content.decode()
    assert "Stourbridge Social Media Surgery" in page and "Kingswinford" in page
