"""Response cache for the public catalogue reads of the API.

The catalogue changes a few times a month and is read all day, so anonymous GETs of the
procedure list and detail are served from the cache. Two things keep it honest:
- the key includes the catalogue *generation*, which every catalogue write bumps
  (``catalog.services.bump_generation``), so a change shows at once wherever the cache is
  shared (Redis in production); a per-process memory cache (the demo) may lag by the TTL;
- a request carrying credentials is never answered from the cache, so a bad token is
  still refused.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from motcua.catalog.selectors import catalogue_generation


def _key(request) -> str:
    query = request.META.get("QUERY_STRING", "")
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"api:public:{catalogue_generation()}:{digest}"


def cached(request) -> HttpResponse | None:
    """The cached answer to ``request`` when it may have one (an anonymous GET, the cache on)."""
    if not _cacheable(request):
        return None
    hit = cache.get(_key(request))
    if hit is None:
        return None
    content, content_type = hit
    response = HttpResponse(content, content_type=content_type)
    response["X-Cache"] = "hit"
    return response


def keep(request, content: bytes, content_type: str) -> None:
    """Keeps a 200 answer's body for ``cached``."""
    if _cacheable(request):
        cache.set(_key(request), (content, content_type), settings.CATALOGUE_CACHE_SECONDS)


def _cacheable(request) -> bool:
    return (
        request.method == "GET"
        and bool(settings.CATALOGUE_CACHE_SECONDS)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def cache_public(view):
    """Cache 200 answers of an anonymous GET for ``settings.CATALOGUE_CACHE_SECONDS``."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        hit = cached(request)
        if hit is not None:
            return hit
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            keep(request, response.content, response["Content-Type"])
        return response

    return wrapper
