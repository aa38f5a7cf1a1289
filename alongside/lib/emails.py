"""One function per message. Each renders emails/<name>-subject.txt, -body.txt, -body.html."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send(name: str, to: str, ctx: dict) -> None:
    ctx = {"site_name": settings.SITE_NAME, "site_root": settings.SITE_ROOT, **ctx}
    subject = render_to_string(f"emails/{name}-subject.txt", ctx)
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    msg = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    msg.attach_alternative(html, "text/html")
    msg.send()


def booking_confirmed(booking) -> None:
    send("booking-confirmed", booking.email, {"booking": booking, "session": booking.session})


def booking_waiting(booking) -> None:
    send("booking-waiting", booking.email, {"booking": booking, "session": booking.session})


def booking_promoted(booking) -> None:
    send("booking-promoted", booking.email, {"booking": booking, "session": booking.session})
