from django.conf import settings

from alongside.lib.staff import staff_powers


def site(request):
    return {"site_name": settings.SITE_NAME, "site_root": settings.SITE_ROOT}


def staff(request):
    """Whether to show network admins' links: only in a session that used a second factor."""
    return {"staff_powers": hasattr(request, "user") and staff_powers(request)}
