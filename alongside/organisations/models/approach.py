"""The organisation's approach pack: the platforms it uses, its policy and escalation procedure
(versioned, each version acknowledged by the members), the guidance sheets it chose, and the
external training it would pay for with its criteria for line managers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.guidance.markdown import render


class Platform(models.Model):
    """Somewhere the organisation has agreed to be online, and who looks after it."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="platforms"
    )
    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("its address"), blank=True, max_length=300)
    purpose = models.CharField(_("what we use it for"), max_length=300, blank=True)
    keepers = models.ManyToManyField(
        "organisations.Membership", blank=True, related_name="platforms_kept"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("name"), name="platform_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    # The value is also the document's address: /organisations/<slug>/approach/<kind>/.
    POLICY = "policy", _("Social media policy")
    ESCALATION = "escalation", _("Escalation procedure")
    TRAINING_CRITERIA = "training-criteria", _("What makes training worth paying for")


# Members are asked to say they have read these; the training criteria are for line managers.
ACKNOWLEDGED_KINDS = (DocumentKind.POLICY, DocumentKind.ESCALATION)


class DocumentVersion(models.Model):
    """One version of one of the organisation's documents. Saving a change adds a version;
    old versions are kept, so anyone can see what was agreed when."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="document_versions"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    number = models.PositiveIntegerField()
    body = models.TextField(_("the text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "number"], name="document_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "approach_document_version", args=[self.organisation.slug, self.kind, self.number]
        )

    @property
    def html(self):
        return render(self.body)

    @property
    def asks_acknowledgement(self) -> bool:
        return self.kind in ACKNOWLEDGED_KINDS


class Acknowledgement(models.Model):
    """A member saying "I have read this" of one version. A new version asks them again."""

    version = models.ForeignKey(DocumentVersion, models.CASCADE, related_name="acknowledgements")
    # Leaving the organisation takes their acknowledgements out of its figures.
    membership = models.ForeignKey(
        "organisations.Membership", models.CASCADE, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "membership"], name="acknowledgement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} read {self.version_id}"


class ChosenSheet(models.Model):
    """A guidance sheet the organisation asks its members to read, in its own order."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="chosen_sheets"
    )
    sheet = models.ForeignKey("guidance.Sheet", models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sheet"], name="chosen_sheet_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} for {self.organisation_id}"


class Course(models.Model):
    """External training the organisation knows of, with its line manager's notes."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="courses"
    )
    title = models.CharField(_("course"), max_length=160)
    provider = models.CharField(_("who runs it"), max_length=120, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=300)
    cost = models.CharField(
        _("cost"), max_length=60, blank=True, help_text=_("For example: Free, or £45 a person.")
    )
    length = models.CharField(
        _("how long it takes"),
        max_length=60,
        blank=True,
        help_text=_("For example: Two hours online, or one day."),
    )
    topic = models.ForeignKey(
        "surgeries.Topic", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(
        _("notes for line managers"),
        blank=True,
        max_length=2000,
        help_text=_("Optional. Who it suits, and anything to check before paying for it."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title
