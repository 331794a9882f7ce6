"""Browser sessions for the tests: a user logged in without typing, by the session cookie
Django's test client makes."""

from django.conf import settings
from django.test import Client


def log_in(page, site, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}]
    )
