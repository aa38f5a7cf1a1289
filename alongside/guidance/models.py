from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.guidance.markdown import render


class SheetQuerySet(models.QuerySet):
    def published(self) -> SheetQuerySet:
        return self.filter(published=True)

    def about_topics(self, **through) -> SheetQuerySet:
        """Published sheets on the topics reached by `through`, in one query.

        For example `about_topics(bookings=booking)` or `about_topics(pk__in=ids)`: the keyword
        is a lookup on Topic, joined through the sheet's topics.
        """
        lookups = {f"topics__{key}": value for key, value in through.items()}
        return self.published().filter(**lookups).distinct().order_by("title")


class Sheet(models.Model):
    """A short, practical guidance sheet on one thing groups ask for help with."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(unique=True, max_length=80)
    summary = models.CharField(
        _("summary"),
        max_length=240,
        help_text=_("One sentence saying who it is for and what it helps with."),
    )
    body = models.TextField(_("the sheet"))
    topics = models.ManyToManyField("surgeries.Topic", blank=True, related_name="sheets")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="sheets"
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SheetQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sheet", args=[self.slug])

    @property
    def html(self):
        return render(self.body)
