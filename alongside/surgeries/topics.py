"""The shared list of topics people pick from when they book, offer to help or record help."""

from __future__ import annotations

TOPICS = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("x-twitter", "X/Twitter"),
    ("website", "Website or blog"),
    ("newsletters", "Email newsletters"),
    ("fundraising", "Online fundraising"),
    ("photos-video", "Photos and video"),
    ("safety", "Online safety and privacy"),
    ("google-microsoft", "Google or Microsoft tools"),
    ("whatsapp", "WhatsApp and community groups"),
    ("other", "Something else"),
]


def ensure_topics(topic_model) -> None:
    """Create or rename the shared topics. Takes the model so migrations can pass theirs."""
    for position, (slug, name) in enumerate(TOPICS):
        topic_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
