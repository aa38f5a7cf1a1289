"""The shared list of topics people pick from when they book, offer to help or record help.

Names are kept in English and shown translated (Topic.__str__).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

TOPICS = [
    ("facebook", _("Facebook")),
    ("instagram", _("Instagram")),
    ("x-twitter", _("X/Twitter")),
    ("website", _("Website or blog")),
    ("newsletters", _("Email newsletters")),
    ("fundraising", _("Online fundraising")),
    ("photos-video", _("Photos and video")),
    ("safety", _("Online safety and privacy")),
    ("google-microsoft", _("Google or Microsoft tools")),
    ("whatsapp", _("WhatsApp and community groups")),
    ("other", _("Something else")),
]


def ensure_topics(topic_model) -> None:
    """Create or rename the shared topics. Takes the model so migrations can pass theirs."""
    for position, (slug, name) in enumerate(TOPICS):
        topic_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
