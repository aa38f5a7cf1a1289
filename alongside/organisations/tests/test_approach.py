"""The approach pack: platforms, versioned documents and who has read them, chosen sheets and
external training. Members read; the organisation's admins edit."""

from __future__ import annotations

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import AuditEntry
from alongside.guidance.models import Sheet
from alongside.organisations import approach_services
from alongside.organisations.models import (
    Acknowledgement,
    ChosenSheet,
    Course,
    DocumentVersion,
    Membership,
    Platform,
    Role,
    Team,
)
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.test import BaseTestCase, make_user


class ApproachTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.staff_team = Team.objects.create(organisation=cls.org, name="Staff")
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.ann = make_member(cls.org, "ann", team=cls.staff_team, name="Ann Ward")
        cls.bill = make_member(cls.org, "bill", role=Role.TRUSTEE, name="Bill Cole")
        cls.other = make_organisation("Sandwell CVS")
        cls.sal = make_member(cls.other, "sal", role=Role.ADMIN, name="Sal Khan")
        cls.outsider = make_user("olive", "olive@example.org")
        cls.base = f"/organisations/{cls.org.slug}/approach"

    def publish(self, kind="policy", body="## Who posts\n\nLorna and Ann.", by=None):
        by = by or self.lorna
        with self.sending():
            return approach_services.document_publish(
                organisation=self.org, kind=kind, body=body, actor=by.user, membership=by
            )


class DocumentsTestCase(ApproachTestCase):
    def test_an_admin_starts_the_policy_from_the_template_and_saving_makes_version_1(self):
        self.client.force_login(self.lorna.user)
        r = self.client.get(f"{self.base}/documents/policy/edit/")
        self.assertContains(r, "Dudley CVS")
        self.assertContains(r, "Who may post for us")
        template = r.context["form"].initial["body"]
        with self.sending():
            r = self.client.post(f"{self.base}/documents/policy/edit/", {"body": template})
        self.assertRedirects(r, f"{self.base}/documents/policy/")
        version = DocumentVersion.objects.get()
        self.assertEqual((version.kind, version.number), ("policy", 1))
        self.assertTrue(AuditEntry.objects.filter(action="approach.document_publish").exists())
        r = self.client.get(f"{self.base}/documents/policy/")
        self.assertContains(r, "<h2>Who may post for us</h2>", html=True)
        self.assertContains(r, "Version 1")
        self.assertContains(r, "by Lorna Prescott")
        r = self.client.get(f"{self.base}/")
        self.assertContains(r, "Change the social media policy")
        self.assertContains(r, "Write the escalation procedure, starting from our template")

    def test_the_escalation_template_says_what_counts_and_who_responds(self):
        text = approach_services.starting_text(self.org, "escalation")
        for words in (
            "Something went wrong",
            "Something odd arrived",
            "Report something",
            "within one working day",
            "close the report",
        ):
            self.assertIn(words, text)

    def test_saving_a_change_makes_a_new_version_and_keeps_the_old_one(self):
        self.publish(body="First words.")
        self.client.force_login(self.lorna.user)
        with self.sending():
            self.client.post(f"{self.base}/documents/policy/edit/", {"body": "Second words."})
        self.assertEqual(
            list(DocumentVersion.objects.values_list("number", "body")),
            [(2, "Second words."), (1, "First words.")],
        )
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/documents/policy/versions/1/")
        self.assertContains(r, "First words.")
        self.assertContains(r, "This is an old version.")
        self.assertNotContains(r, "I have read version")
        r = self.client.get(f"{self.base}/documents/policy/versions/")
        self.assertContains(r, "Version 2")
        self.assertContains(r, "Version 1")
        self.assertContains(r, "Lorna Prescott")

    def test_a_new_version_shows_what_changed_since_the_one_before(self):
        self.publish(body="## Who posts\n\nLorna and Ann.\n\nBe kind.")
        self.publish(body="## Who posts\n\nLorna, Ann and Bill.\n\nBe kind.")
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/documents/policy/")
        self.assertContains(r, "What changed since version 1")
        self.assertEqual(
            r.context["changes"], [("removed", "Lorna and Ann."), ("added", "Lorna, Ann and Bill.")]
        )
        r = self.client.get(f"{self.base}/documents/policy/versions/1/")
        self.assertNotContains(r, "What changed")

    def test_saving_the_same_text_again_adds_no_version(self):
        self.publish(body="Same words.")
        self.client.force_login(self.lorna.user)
        with self.sending():
            r = self.client.post(f"{self.base}/documents/policy/edit/", {"body": "Same words.\n"})
        self.assertEqual(DocumentVersion.objects.count(), 1)
        self.assertContains(self.client.get(r.url), "Nothing was changed")

    def test_markdown_is_sanitised_so_a_script_never_comes_out(self):
        self.publish(body='Hello <script>alert("x")</script> [click](javascript:alert(1))')
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/documents/policy/")
        self.assertNotContains(r, "<script>alert")
        self.assertNotContains(r, "javascript:")
        self.assertContains(r, "Hello")

    def test_an_empty_or_huge_text_is_refused_with_nothing_typed_lost(self):
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/documents/policy/edit/", {"body": "   "})
        self.assertEqual(r.status_code, 200)
        r = self.client.post(f"{self.base}/documents/policy/edit/", {"body": "x" * 20_001})
        self.assertContains(r, "x" * 100)
        self.assertFalse(DocumentVersion.objects.exists())

    def test_an_unknown_kind_of_document_is_not_found(self):
        self.client.force_login(self.lorna.user)
        self.assertEqual(self.client.get(f"{self.base}/documents/secrets/").status_code, 404)
        self.assertEqual(self.client.get(f"{self.base}/documents/secrets/edit/").status_code, 404)

    def test_members_read_but_only_admins_edit(self):
        self.publish()
        self.client.force_login(self.ann.user)
        self.assertEqual(self.client.get(f"{self.base}/documents/policy/").status_code, 200)
        for url in ("documents/policy/edit/", "documents/policy/read-by/"):
            self.assertEqual(self.client.get(f"{self.base}/{url}").status_code, 403)
        r = self.client.post(f"{self.base}/documents/policy/edit/", {"body": "Mine now"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(DocumentVersion.objects.count(), 1)

    def test_another_organisation_and_strangers_cannot_read_it(self):
        self.publish(body="Our secret plan")
        for user in (self.sal.user, self.outsider):
            self.client.force_login(user)
            r = self.client.get(f"{self.base}/documents/policy/")
            self.assertEqual(r.status_code, 403)
        self.client.logout()
        r = self.client.get(f"{self.base}/documents/policy/")
        self.assertIn(r.status_code, (302, 403))
        self.client.force_login(self.sal.user)
        r = self.client.get(f"/organisations/{self.other.slug}/approach/documents/policy/")
        self.assertNotContains(r, "Our secret plan")


class AcknowledgingTestCase(ApproachTestCase):
    def acknowledge(self, member, number=1, kind="policy"):
        self.client.force_login(member.user)
        return self.client.post(f"{self.base}/documents/{kind}/acknowledge/", {"number": number})

    def test_a_member_says_they_have_read_the_current_version(self):
        self.publish()
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/documents/policy/")
        self.assertContains(r, "I have read version 1")
        r = self.acknowledge(self.ann)
        self.assertRedirects(r, f"{self.base}/")
        self.assertTrue(Acknowledgement.objects.filter(membership=self.ann).exists())
        r = self.client.get(f"{self.base}/")
        self.assertContains(r, "You have read version 1")
        r = self.client.get(f"{self.base}/documents/policy/")
        self.assertNotContains(r, "I have read version 1")

    def test_a_double_submit_records_it_once(self):
        self.publish()
        self.acknowledge(self.ann)
        self.acknowledge(self.ann)
        self.assertEqual(Acknowledgement.objects.filter(membership=self.ann).count(), 1)

    def test_a_new_version_asks_again_and_an_old_page_cannot_acknowledge_it(self):
        self.publish(body="One")
        self.acknowledge(self.ann)
        self.publish(body="Two")
        self.client.force_login(self.ann.user)
        r = self.client.get(f"/organisations/{self.org.slug}/")
        self.assertContains(r, "Social media policy, version 2")
        r = self.acknowledge(self.ann, number=1)  # the back button, a page open since yesterday
        self.assertRedirects(r, f"{self.base}/documents/policy/")
        self.assertFalse(
            Acknowledgement.objects.filter(membership=self.ann, version__number=2).exists()
        )
        self.acknowledge(self.ann, number=2)
        r = self.client.get(f"/organisations/{self.org.slug}/")
        self.assertNotContains(r, "Social media policy, version 2")

    def test_the_author_has_read_what_they_wrote(self):
        self.publish()
        self.assertTrue(Acknowledgement.objects.filter(membership=self.lorna).exists())

    def test_a_new_version_emails_each_other_member_once(self):
        self.publish(body="One")
        self.assertEqual(len(self.sent_to(self.ann.user.email)), 1)
        self.assertEqual(len(self.sent_to(self.bill.user.email)), 1)
        self.assertEqual(self.sent_to(self.lorna.user.email), [])
        self.assertEqual(self.sent_to(self.sal.user.email), [])
        [message] = self.sent_to(self.ann.user.email)
        self.assertIn("Dudley CVS", message.subject)
        self.assertIn(f"{self.base}/documents/policy/", message.body)
        # The task running twice sends nothing more.
        version = DocumentVersion.objects.get()
        with self.sending():
            from alongside.organisations import tasks

            tasks.send_document_version.enqueue(version.pk)
        self.assertEqual(len(self.sent_to(self.ann.user.email)), 1)
        self.publish(body="Two")
        self.assertEqual(len(self.sent_to(self.ann.user.email)), 2)

    def test_the_training_criteria_ask_nobody_to_read_them(self):
        self.publish(kind="training-criteria", body="Is there a free way first?")
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Acknowledgement.objects.exists())
        r = self.acknowledge(self.ann, kind="training-criteria")
        self.assertFalse(Acknowledgement.objects.exists())
        self.assertEqual(r.status_code, 302)

    def test_acknowledging_another_organisations_document_is_not_found(self):
        theirs = approach_services.document_publish(
            organisation=self.other,
            kind="policy",
            body="Theirs",
            actor=self.sal.user,
            membership=self.sal,
        )
        self.publish()
        self.client.force_login(self.ann.user)
        r = self.client.post(
            f"/organisations/{self.other.slug}/approach/documents/policy/acknowledge/",
            {"number": theirs.number},
        )
        self.assertEqual(r.status_code, 403)
        r = self.acknowledge(self.ann, number=7)
        self.assertEqual(r.status_code, 404)
        r = self.acknowledge(self.ann, number="x")
        self.assertEqual(r.status_code, 404)

    def test_admins_see_who_has_and_has_not_read_it(self):
        self.publish()
        self.acknowledge(self.ann)
        self.client.force_login(self.lorna.user)
        r = self.client.get(f"{self.base}/documents/policy/read-by/")
        self.assertContains(r, "2 of 3 members have read version 1.")
        self.assertEqual([m.name for m in r.context["unread"]], ["Bill Cole"])
        self.assertEqual(
            sorted(m.name for m, _ in r.context["read"]), ["Ann Ward", "Lorna Prescott"]
        )

    def test_acknowledgement_figures_equal_a_recount(self):
        self.publish(kind="policy", body="One")
        self.acknowledge(self.ann)
        self.publish(kind="policy", body="Two")
        self.acknowledge(self.bill, number=2)
        self.publish(kind="escalation", body="Tell us")
        self.acknowledge(self.ann, kind="escalation")
        self.publish(kind="training-criteria", body="Worth it?")
        make_member(self.org, "newcomer")
        with self.assertNumQueries(2):
            figures = approach_services.acknowledgement_figures(self.org)
        members = Membership.objects.filter(organisation=self.org).count()
        recount = []
        for kind in ("policy", "escalation"):
            current = DocumentVersion.objects.filter(organisation=self.org, kind=kind).latest(
                "number"
            )
            read = sum(
                Acknowledgement.objects.filter(version=current, membership=m).exists()
                for m in Membership.objects.filter(organisation=self.org)
            )
            recount.append((kind, current.number, read, members))
        self.assertEqual([(f.kind, f.number, f.acknowledged, f.members) for f in figures], recount)
        self.assertEqual(recount, [("policy", 2, 2, 4), ("escalation", 1, 2, 4)])
        self.assertEqual(approach_services.acknowledgement_figures(self.other), [])

    def test_a_member_who_leaves_is_no_longer_counted(self):
        self.publish()
        self.acknowledge(self.ann)
        self.ann.delete()
        [policy] = approach_services.acknowledgement_figures(self.org)
        self.assertEqual((policy.acknowledged, policy.members), (1, 2))


class PlatformsTestCase(ApproachTestCase):
    def test_an_admin_adds_a_platform_with_who_looks_after_it(self):
        self.client.force_login(self.lorna.user)
        r = self.client.post(
            f"{self.base}/platforms/",
            {
                "name": " Our  Flickr account",
                "url": "flickr.com/dudleycvs",
                "purpose": "Photos of events",
                "keepers": [self.ann.pk, self.bill.pk],
            },
        )
        self.assertRedirects(r, f"{self.base}/platforms/")
        platform = Platform.objects.get()
        self.assertEqual(
            (platform.name, platform.url), ("Our Flickr account", "https://flickr.com/dudleycvs")
        )
        self.assertEqual(set(platform.keepers.all()), {self.ann, self.bill})
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/")
        self.assertContains(r, "Our Flickr account")
        self.assertContains(r, "Looked after by Ann Ward, Bill Cole")

    def test_a_keeper_from_another_organisation_is_refused(self):
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/platforms/", {"name": "X", "keepers": [self.sal.pk]})
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Platform.objects.exists())

    def test_the_same_name_twice_is_refused(self):
        Platform.objects.create(organisation=self.org, name="Facebook page")
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/platforms/", {"name": "facebook PAGE"})
        self.assertContains(r, "There is one called that already.")

    def test_an_admin_changes_and_removes_a_platform(self):
        platform = Platform.objects.create(organisation=self.org, name="Twitter")
        self.client.force_login(self.lorna.user)
        self.client.post(
            f"{self.base}/platforms/{platform.pk}/", {"name": "X (Twitter)", "purpose": "News"}
        )
        platform.refresh_from_db()
        self.assertEqual(platform.name, "X (Twitter)")
        self.assertContains(self.client.get(f"{self.base}/platforms/{platform.pk}/remove/"), "?")
        self.client.post(f"{self.base}/platforms/{platform.pk}/remove/")
        self.assertFalse(Platform.objects.exists())
        self.assertTrue(AuditEntry.objects.filter(action="approach.platform_remove").exists())

    def test_another_organisations_platform_is_not_found(self):
        theirs = Platform.objects.create(organisation=self.other, name="Theirs")
        self.client.force_login(self.lorna.user)
        for url in (f"platforms/{theirs.pk}/", f"platforms/{theirs.pk}/remove/"):
            self.assertEqual(self.client.post(f"{self.base}/{url}", {"name": "M"}).status_code, 404)
        self.assertTrue(Platform.objects.filter(name="Theirs").exists())

    def test_members_cannot_change_platforms(self):
        platform = Platform.objects.create(organisation=self.org, name="Twitter")
        self.client.force_login(self.ann.user)
        self.assertEqual(
            self.client.post(f"{self.base}/platforms/", {"name": "A"}).status_code, 403
        )
        r = self.client.post(f"{self.base}/platforms/{platform.pk}/remove/")
        self.assertEqual(r.status_code, 403)


class SheetsTestCase(ApproachTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sheets = [
            Sheet.objects.create(
                title=f"Sheet {c}",
                slug=f"sheet-{c}",
                summary=f"About {c}",
                body="Hi",
                published=True,
            )
            for c in "abc"
        ]
        cls.draft = Sheet.objects.create(title="Draft", slug="draft", summary="D", body="D")

    def choose(self, sheet):
        return self.client.post(f"{self.base}/sheets/", {"sheet": sheet.pk})

    def test_an_admin_chooses_and_orders_published_sheets_and_members_see_them(self):
        self.client.force_login(self.lorna.user)
        for sheet in self.sheets:
            self.choose(sheet)
        a, b, c = ChosenSheet.objects.all()
        self.client.post(f"{self.base}/sheets/{c.pk}/", {"action": "up"})
        self.client.post(f"{self.base}/sheets/{a.pk}/", {"action": "down"})
        self.client.post(f"{self.base}/sheets/{b.pk}/", {"action": "remove"})
        self.assertEqual(
            [c.sheet.title for c in ChosenSheet.objects.select_related("sheet")],
            ["Sheet c", "Sheet a"],
        )
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/")
        self.assertEqual([c.sheet.title for c in r.context["sheets"]], ["Sheet c", "Sheet a"])
        self.assertContains(r, 'href="/guidance/sheet-c/"')

    def test_a_draft_sheet_cannot_be_chosen_and_one_unpublished_later_is_not_shown(self):
        self.client.force_login(self.lorna.user)
        r = self.choose(self.draft)
        self.assertEqual(r.status_code, 200)
        self.assertFalse(ChosenSheet.objects.exists())
        self.choose(self.sheets[0])
        Sheet.objects.filter(pk=self.sheets[0].pk).update(published=False)
        self.client.force_login(self.ann.user)
        self.assertEqual(list(self.client.get(f"{self.base}/").context["sheets"]), [])

    def test_choosing_twice_keeps_one(self):
        self.client.force_login(self.lorna.user)
        self.choose(self.sheets[0])
        self.choose(self.sheets[0])
        self.assertEqual(ChosenSheet.objects.count(), 1)

    def test_another_organisations_choice_is_not_found(self):
        theirs = ChosenSheet.objects.create(organisation=self.other, sheet=self.sheets[0])
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/sheets/{theirs.pk}/", {"action": "remove"})
        self.assertEqual(r.status_code, 404)
        self.assertTrue(ChosenSheet.objects.filter(pk=theirs.pk).exists())


class TrainingTestCase(ApproachTestCase):
    def test_an_admin_adds_a_course_and_members_read_it_with_the_criteria(self):
        self.publish(kind="training-criteria", body="- **Is there a free way first?**")
        self.client.force_login(self.lorna.user)
        r = self.client.post(
            f"{self.base}/training/",
            {
                "title": "Canva for charities",
                "provider": "Charity Digital",
                "url": "https://example.org/canva",
                "cost": "£45",
                "length": "Two hours online",
                "topic": self.facebook.pk,
                "notes": "Good for the comms team.",
            },
        )
        self.assertRedirects(r, f"{self.base}/training/")
        course = Course.objects.get()
        self.assertEqual((course.cost, course.topic), ("£45", self.facebook))
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/training/")
        self.assertContains(r, "Canva for charities")
        self.assertContains(r, "Good for the comms team.")
        self.assertContains(r, "<strong>Is there a free way first?</strong>", html=True)
        self.assertNotContains(r, "Add a course")

    def test_members_cannot_add_change_or_remove_courses(self):
        course = Course.objects.create(organisation=self.org, title="Canva")
        self.client.force_login(self.ann.user)
        self.assertEqual(
            self.client.post(f"{self.base}/training/", {"title": "Mine"}).status_code, 403
        )
        self.assertEqual(
            self.client.post(f"{self.base}/training/{course.pk}/", {"title": "M"}).status_code,
            403,
        )
        self.assertEqual(Course.objects.get().title, "Canva")

    def test_an_admin_changes_and_removes_a_course(self):
        course = Course.objects.create(organisation=self.org, title="Canva")
        self.client.force_login(self.lorna.user)
        self.client.post(f"{self.base}/training/{course.pk}/", {"title": "Canva basics"})
        self.assertEqual(Course.objects.get().title, "Canva basics")
        self.client.post(f"{self.base}/training/{course.pk}/remove/")
        self.assertFalse(Course.objects.exists())

    def test_another_organisations_course_is_not_found(self):
        theirs = Course.objects.create(organisation=self.other, title="Theirs")
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/training/{theirs.pk}/remove/")
        self.assertEqual(r.status_code, 404)
        self.assertTrue(Course.objects.filter(pk=theirs.pk).exists())


class QueriesTestCase(ApproachTestCase):
    def fill(self, n: int):
        for i in range(n):
            member = make_member(self.org, f"m{self.counter}-{i}")
            platform = Platform.objects.create(organisation=self.org, name=f"P{self.counter}-{i}")
            platform.keepers.add(member, self.ann)
            Course.objects.create(
                organisation=self.org, title=f"C{self.counter}-{i}", topic=self.website
            )
            sheet = Sheet.objects.create(
                title=f"S{self.counter}-{i}",
                slug=f"s{self.counter}-{i}",
                summary="s",
                body="b",
                published=True,
            )
            ChosenSheet.objects.create(organisation=self.org, sheet=sheet, position=i)
            if i % 2:
                for version in DocumentVersion.objects.filter(organisation=self.org):
                    Acknowledgement.objects.create(version=version, membership=member)
        self.counter += 1

    counter = 0

    def assert_same_queries(self, user, url):
        self.publish(kind="policy", body="One")
        self.publish(kind="escalation", body="Two")
        self.fill(2)
        self.client.force_login(user)
        self.client.get(url)
        with self.assertNumQueries(0) as small:
            pass

        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(url).status_code, 200)
        self.fill(15)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(url)
        print("QUERIES", url, len(small.captured_queries))
        return len(small.captured_queries)

    def test_the_landing_page_takes_the_same_queries_however_much_is_on_it(self):
        self.assertLessEqual(self.assert_same_queries(self.lorna.user, f"{self.base}/"), 12)

    def test_the_landing_page_for_a_member(self):
        self.assertLessEqual(self.assert_same_queries(self.ann.user, f"{self.base}/"), 10)

    def test_the_list_pages_take_the_same_queries_however_long(self):
        for url in (
            "platforms/",
            "training/",
            "sheets/",
            "documents/policy/read-by/",
            "documents/policy/versions/",
            "documents/policy/",
        ):
            with self.subTest(url=url):
                DocumentVersion.objects.all().delete()
                Platform.objects.all().delete()
                Course.objects.all().delete()
                ChosenSheet.objects.all().delete()
                Membership.objects.filter(user__username__startswith="m").delete()
                self.assert_same_queries(self.lorna.user, f"{self.base}/{url}")
