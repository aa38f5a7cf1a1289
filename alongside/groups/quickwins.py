"""The quick wins a website check can find, in the plain words a group's volunteer reads.

A check stores codes (`WebCheck.quick_wins`), never words: the words can improve, and be
translated, after the check. Most useful first: a site nobody can open matters more than a
missing date.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from alongside.groups.models import WebCheck

UNREACHABLE = "unreachable"
HTTPS = "https"
CERTIFICATE = "certificate"
VIEWPORT = "viewport"
LINK_SOCIALS = "link_socials"
LINK_BACK = "link_back"
CONTACT = "contact"
BROKEN_LINKS = "broken_links"
RECENT = "recent"

QUICK_WINS = {
    UNREACHABLE: _(
        "Your website did not open when we tried it. Check that the address is right and "
        "that your hosting is paid up."
    ),
    HTTPS: _(
        'Make your website open with https:// so browsers don\'t call it "not secure". '
        "Most hosts switch this on for free."
    ),
    CERTIFICATE: _(
        "Your website's security certificate is out of date or not right, so browsers "
        "warn people away. Ask your host to renew it."
    ),
    VIEWPORT: _(
        "Make your website fit a phone screen: most people will look at it on a phone. "
        "Website builders have a setting for this."
    ),
    LINK_SOCIALS: _(
        "Add links to your social media accounts on your website, for example in the footer."
    ),
    LINK_BACK: _("Put your website's address on your social media pages, in the About section."),
    CONTACT: _("Show a way to get in touch: an email address, a phone number or a contact form."),
    BROKEN_LINKS: _("Fix the links on your home page that lead nowhere."),
    RECENT: _(
        "Add something new, with a date, so people can see your group is still going: "
        "your next meeting, or a photo from the last one."
    ),
}

ORDER = list(QUICK_WINS)


def words(code: str) -> str:
    return str(QUICK_WINS.get(code, ""))


def latest_quick_wins(
    organisation_ids: Iterable[int | None], limit: int = 3
) -> dict[int, list[str]]:
    """The top quick wins, in words, from each group's latest finished check; one query.

    Groups never checked, or whose latest check found nothing to fix, are left out.
    """
    ids = {pk for pk in organisation_ids if pk is not None}
    if not ids:
        return {}
    latest: dict[int, list[str]] = {}
    rows = (
        WebCheck.objects.filter(organisation_id__in=ids)
        .exclude(outcome=WebCheck.Outcome.PENDING)
        .order_by("organisation_id", "-created_at", "-id")
        .values_list("organisation_id", "quick_wins")
    )
    for organisation_id, codes in rows:
        if organisation_id not in latest:
            latest[organisation_id] = [words(code) for code in codes if code in QUICK_WINS][:limit]
    return {pk: wins for pk, wins in latest.items() if wins}
