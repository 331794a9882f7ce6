from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_HOTLINE": settings.SITE_HOTLINE,
        "MAILBOX_ENABLED": settings.MAILBOX_ENABLED,
        "DEMO_MODE": not settings.PRODUCTION,
    }
