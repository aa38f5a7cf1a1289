"""The six-week follow-up, answered from the link in its email: no account needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from alongside.helprecords import outcomes
from alongside.helprecords.forms import FollowUpForm
from alongside.helprecords.models import FollowUp
from alongside.helprecords.tasks import record_from_follow_up_token


def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    record = record_from_follow_up_token(token)
    if record is None:
        raise Http404("No such follow-up.")
    answered = FollowUp.objects.filter(help_record=record).first()
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and answered is None and form.is_valid():
        outcomes.follow_up_answer(record=record, **form.cleaned_data)
        return redirect(request.path)
    ctx = {"form": form, "record": record, "session": record.session, "answered": answered}
    if answered and answered.confidence_now >= outcomes.CONFIDENT:
        ctx["help_out_url"] = outcomes.help_out_path(record.session.surgery)
    return render(request, "helprecords/follow_up.html", ctx)
