"""The local groups' figures, hand-counted over real rows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.groups import quickwins
from alongside.groups.figures import group_figures, public_name
from alongside.groups.models import Connection, Profile, WebCheck
from alongside.helprecords.services import help_record_add
from alongside.surgeries.models import Organisation, Surgery
from alongside.test import BaseTestCase

FRIENDS, SPORTS = Organisation.Kind.FRIENDS_GROUP, Organisation.Kind.SPORTS_CLUB


def at(date: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(12)))


class GroupFiguresBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.park = cls.make_session(days=-60, for_kinds=[SPORTS, FRIENDS], for_miles=3)
        cls.usual = cls.make_session(days=-30)
        cls.dudley = cls.make_session(days=-50, surgery=cls.other_surgery, for_kinds=[SPORTS])

    def group(self, name, kind, district="", *, listed=True) -> Organisation:
        group = Organisation.objects.create(name=name, kind=kind)
        if district or listed:
            Profile.objects.create(
                organisation=group,
                postcode_district=district,
                listed_at=timezone.now() if listed else None,
            )
        return group

    def help(self, session, group, name) -> None:
        booking = self.book(session, name=name, organisation_name=group.name)
        help_record_add(
            booking=booking,
            surgeon=None,
            topics=[self.facebook],
            note="Helped.",
            links=(),
            public=False,
            actor=self.organiser,
        )

    def connect(self, one, other, session) -> Connection:
        first, second = sorted([one, other], key=lambda g: g.pk)
        return Connection.objects.create(first=first, second=second, session=session)

    def check(self, group, when, wins, *, linking, reason=WebCheck.Reason.PROFILE) -> WebCheck:
        return WebCheck.objects.create(
            organisation=group,
            url="https://example.org/",
            reason=reason,
            outcome=WebCheck.Outcome.CHECKED,
            created_at=when,
            checked_at=when,
            quick_wins=wins,
            links_to_socials=linking,
        )


class GroupFiguresTestCase(GroupFiguresBase):
    def setUp(self):
        self.leasowes = self.group("Friends of Leasowes", FRIENDS, "B62")
        self.harriers = self.group("Halesowen Harriers", SPORTS, "b63")
        self.rugby = self.group("Stourbridge Rugby Club", SPORTS, "DY8", listed=False)
        self.quilters = self.group("Lye Quilters", Organisation.Kind.ARTS_GROUP, listed=False)
        self.help(self.park, self.leasowes, "Lin")
        self.help(self.park, self.harriers, "Hal")
        self.help(self.park, self.rugby, "Rob")
        self.help(self.usual, self.quilters, "Quin")

    def test_groups_helped_by_locality_with_unknown_last(self):
        shown = group_figures(self.surgery)
        self.assertEqual(shown.by_locality, [("B62", 1), ("B63", 1), ("DY8", 1), ("", 1)])
        self.assertEqual(shown.localities()[-1], ("Unknown", 1))

    def test_groups_brought_together_count_only_themed_sessions(self):
        self.help(self.dudley, self.quilters, "Quin")  # themed, alone there
        shown = group_figures(self.surgery)
        self.assertEqual((shown.brought_together, shown.sessions_together), (3, 1))
        network = group_figures()
        self.assertEqual((network.brought_together, network.sessions_together), (4, 1))
        self.assertEqual(group_figures(self.other_surgery).brought_together, 1)

    def test_a_date_range_leaves_out_sessions_outside_it(self):
        since = timezone.localdate() - dt.timedelta(days=40)
        shown = group_figures(self.surgery, start=since)
        self.assertEqual((shown.brought_together, shown.by_locality), (0, [("", 1)]))

    def test_a_group_helped_before_and_after_a_range_is_not_counted_within_it(self):
        self.help(self.make_session(days=-5), self.leasowes, "Lin")
        between = timezone.localdate() - dt.timedelta(days=40)
        shown = group_figures(self.surgery, start=between, end=between)
        self.assertEqual(shown.by_locality, [])
        # Help at a campaign's event is not help at a surgery, across the whole network.
        Surgery.objects.filter(pk=self.other_surgery.pk).update(kind=Surgery.Kind.EVENT)
        self.help(self.dudley, self.group("Cradley Bowls", SPORTS, "B64"), "Bo")
        helped = dict(group_figures().by_locality)
        self.assertEqual(helped, {"B62": 1, "B63": 1, "DY8": 1, "": 1})
        self.assertEqual(dict(group_figures(self.other_surgery).by_locality), {"B64": 1})

    def test_connections_count_by_their_sessions_surgery_and_elsewhere_network_wide(self):
        self.connect(self.leasowes, self.harriers, self.park)
        self.connect(self.harriers, self.rugby, self.park)
        self.connect(self.leasowes, self.quilters, self.dudley)
        self.connect(self.leasowes, self.rugby, None)
        self.assertEqual(group_figures(self.surgery).connections, 2)
        self.assertEqual(group_figures(self.other_surgery).connections, 1)
        self.assertEqual(group_figures(surgeries=[self.surgery.pk]).connections, 2)
        self.assertEqual(group_figures().connections, 4)

    def test_pairs_name_only_groups_listed_publicly(self):
        self.connect(self.leasowes, self.harriers, self.park)
        self.connect(self.harriers, self.rugby, self.park)
        pairs = {frozenset(pair) for pair in group_figures(self.surgery).pairs}
        self.assertEqual(
            pairs,
            {
                frozenset({"Friends of Leasowes", "Halesowen Harriers"}),
                frozenset({"Halesowen Harriers", "a sports club"}),
            },
        )
        self.assertEqual(public_name(self.quilters), "an arts group")  # no profile at all

    def test_quick_wins_fixed_and_sites_now_linking(self):
        before, after = self.park.date - dt.timedelta(days=7), self.park.date + dt.timedelta(42)
        recheck = WebCheck.Reason.RECHECK
        wins = [quickwins.LINK_SOCIALS, quickwins.VIEWPORT, quickwins.CONTACT]
        self.check(self.leasowes, at(before), wins, linking=False)
        self.check(self.leasowes, at(after), [quickwins.CONTACT], linking=True, reason=recheck)
        self.check(self.harriers, at(before), wins[:1], linking=False)
        self.check(self.harriers, at(after), wins[:1], linking=False, reason=recheck)
        # Checked before only, or again only for another reason: not before-and-after.
        self.check(self.rugby, at(before), [quickwins.HTTPS], linking=False)
        self.check(self.rugby, at(after), [], linking=True)
        shown = group_figures(self.surgery)
        self.assertEqual(shown.quick_wins_fixed, 2)
        self.assertEqual((shown.now_linking, shown.not_linking_before), (1, 2))
        self.assertIn(("now_linking", "1 of 2"), [(k, v) for k, _l, v, _d in shown.rows()])
        self.assertTrue(shown.anything)

    def test_nothing_to_show_for_a_surgery_with_no_groups(self):
        self.assertFalse(group_figures(self.other_surgery).anything)
        self.assertFalse(group_figures(surgeries=[]).anything)

    def test_figures_nothing_has_fed_are_left_out(self):
        self.connect(self.leasowes, self.harriers, None)
        shown = group_figures(self.usual.surgery, start=self.usual.date)
        self.assertEqual([key for key, *_ in shown.rows()], [])
        self.assertEqual(
            [key for key, *_ in group_figures().rows()][:3],
            [
                "brought_together",
                "sessions_together",
                "connections",
            ],
        )

    def test_query_count_stays_the_same_as_rows_grow(self):
        with self.assertNumQueries(6):
            group_figures(self.surgery)
        for n in range(5):
            group = self.group(f"Club {n}", SPORTS, f"DY{n}")
            self.help(self.park, group, f"Member {n}")
            self.connect(group, self.leasowes, self.park)
            self.check(group, at(self.park.date), [quickwins.HTTPS], linking=False)
        with self.assertNumQueries(6):
            group_figures(self.surgery)
