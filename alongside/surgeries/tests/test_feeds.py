"""The Atom feeds written directly (lib/atom.py) are what Django's syndication framework
wrote for them, byte for byte, in both languages; and a character XML cannot hold is left
out rather than making the feed an error."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from alongside.lib.markup import address
from alongside.lib.site import absolute
from alongside.lib.times import date
from alongside.surgeries.models import Session, Surgery
from alongside.surgeries.publicity import FEED_ITEMS, session_summary
from alongside.test import RENDERED, BaseTestCase


# The feeds as they were, through Django's syndication framework: what lib/atom.py must write.
class DjangosSessionsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("%(site)s: upcoming social media surgeries") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("Free help with the web for community groups, charities, clubs and citizens.")

    def link(self):
        return absolute(reverse("home"))

    def sessions(self):
        return Session.objects.public().upcoming().select_related("surgery", "venue")

    def items(self):
        return self.sessions().with_counts()[:FEED_ITEMS]

    def item_link(self, item):
        return absolute(address("session", item.pk))

    def item_title(self, item):
        title = f"{item.surgery.name}: {date(item.date, 'l j F')}"
        return _("Cancelled: %(title)s") % {"title": title} if item.is_cancelled else title

    def item_description(self, item):
        places = _("Places left for people wanting help: %(n)s.") % {"n": item.help_places_left}
        return f"{session_summary(item)} {places}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return max(c for c in [item.created_at, item.moved_at, item.cancelled_at] if c)

    def item_author_name(self, item):
        return item.surgery.host_organisation or item.surgery.name


class DjangosSurgeryFeed(DjangosSessionsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Surgery.objects.public(), slug=slug)

    def title(self, obj):
        return _("%(surgery)s: upcoming sessions") % {"surgery": obj.name}

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def items(self, obj):
        return self.sessions().filter(surgery=obj).with_counts()[:FEED_ITEMS]


@RENDERED
class FeedsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.surgery.host_organisation = "Dudley CVS & <Friends>"
        self.surgery.description = 'Tea, "cake" & help — <b>free</b>.'
        self.surgery.save()
        self.session.venue = self.venue
        self.session.save()
        self.make_session(days=10, surgery=self.other_surgery, online_url="https://meet.example")
        self.make_session(days=12, cancelled_at=timezone.now())
        moved = self.make_session(days=14)
        moved.moved_at = timezone.now() + dt.timedelta(hours=1)
        moved.save()
        self.book(self.session, name="Pat")

    def django(self, feed: Feed, url: str, **kwargs):
        request = HttpRequest()
        request.method = "GET"
        request.path = url
        request.META = {"SERVER_NAME": "testserver", "SERVER_PORT": "80"}
        return feed(request, **kwargs)

    def test_each_feed_is_what_django_wrote(self):
        feeds = [
            ("/feeds/sessions.atom", DjangosSessionsFeed(), {}, 4),
            (
                "/surgeries/stourbridge/sessions.atom",
                DjangosSurgeryFeed(),
                {"slug": "stourbridge"},
                3,
            ),
            ("/surgeries/dudley/sessions.atom", DjangosSurgeryFeed(), {"slug": "dudley"}, 1),
        ]
        for language in ("en-gb", "cy"):
            for url, feed, kwargs, entries in feeds:
                with self.subTest(language=language, url=url):
                    self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                    ours = self.client.get(url)
                    with translation.override(language):
                        theirs = self.django(feed, url, **kwargs)
                    self.assertEqual(ours.content.decode(), theirs.content.decode())
                    self.assertEqual(ours["Content-Type"], theirs["Content-Type"])
                    self.assertEqual(ours["Last-Modified"], theirs["Last-Modified"])
                    self.assertEqual(ours.content.count(b"<entry>"), entries)
                    self.assertIn(f'<feed xml:lang="{language}"'.encode(), ours.content)

    def test_a_kept_entry_is_written_again_when_what_it_shows_changes(self):
        # Entries are kept by what they show (lib/written.py): after each change, made as a
        # bulk update makes it (no signal), the feed is still what Django wrote.
        venue = type(self.venue).objects.filter(pk=self.venue.pk)
        changes = [
            lambda: None,
            lambda: self.book(self.session, name="Sam"),
            lambda: Session.objects.filter(pk=self.session.pk).update(help_places=2),
            lambda: venue.update(name="The Crown & Anchor"),
            lambda: Surgery.objects.filter(pk=self.surgery.pk).update(description="New words."),
            lambda: Surgery.objects.filter(pk=self.surgery.pk).update(host_organisation=""),
            lambda: Surgery.objects.filter(pk=self.surgery.pk).update(time_zone="America/Toronto"),
            lambda: Session.objects.filter(pk=self.session.pk).update(
                online_url="https://meet.example/s", moved_at=timezone.now()
            ),
            lambda: Session.objects.filter(pk=self.session.pk).update(cancelled_at=timezone.now()),
        ]
        for change in changes:
            change()
            with self.subTest(change=change):
                ours = self.client.get("/feeds/sessions.atom")
                theirs = self.django(DjangosSessionsFeed(), "/feeds/sessions.atom")
                self.assertEqual(ours.content.decode(), theirs.content.decode())
        self.assertIn(b"Cancelled: ", ours.content)
        self.assertIn(b"New words.", ours.content)

    def test_a_feed_with_no_sessions_was_last_changed_now(self):
        Session.objects.all().delete()
        with time_machine.travel(dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC), tick=False):
            ours = self.client.get("/feeds/sessions.atom")
            theirs = self.django(DjangosSessionsFeed(), "/feeds/sessions.atom")
        self.assertEqual(ours.content, theirs.content)
        self.assertEqual(ours["Last-Modified"], "Mon, 07 Dec 2026 09:30:00 GMT")

    def test_a_character_xml_cannot_hold_is_left_out(self):
        self.surgery.description = "Help\x02 with the web"
        self.surgery.host_organisation = "Dudley\x01 CVS"
        self.surgery.save()
        r = self.client.get("/feeds/sessions.atom")
        self.assertEqual(r.status_code, 200)
        self.assertIn(b"Help with the web", r.content)
        self.assertIn(b"<author><name>Dudley CVS</name></author>", r.content)
