"""Tra cứu thủ tục: the searchable catalogue and one procedure's page."""

import hashlib
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from motcua.catalog import selectors as catalog
from motcua.catalog.models import OnlineLevel
from motcua.dossiers.uploads import ascii_name
from motcua.portal.forms import SearchForm
from motcua.portal.page_cache import anonymous_page

PER_PAGE = 20


@anonymous_page
def procedures(request):
    html, page_number = _search(request)
    return render(
        request,
        "portal/procedures.html",
        {"search_html": html, "page_number": page_number},
    )


def _search(request) -> tuple[str, int]:
    """The form and the results as HTML, and the page's number. They depend only on the
    catalogue in force (its generation, which every catalogue and synonym change bumps, and
    the day), the language and the query string (what the form shows, the filters, the page,
    the links built on it), so they are kept under exactly those: building the form's lists
    and rendering twenty results were most of the page's time (profiled)."""
    seconds = settings.CATALOGUE_CACHE_SECONDS
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    key = (
        f"portal:search:{catalog.catalogue_generation()}:{timezone.localdate()}:"
        f"{get_language()}:{query}"
    )
    held = cache.get(key) if seconds else None
    if held is not None:
        return mark_safe(held[0]), held[1]  # noqa: S308 (rendered by our own template)
    agencies, fields = catalog.search_filter_choices()
    form = SearchForm(request.GET or None, agencies=agencies, fields=fields)
    filters = form.filters()
    results = catalog.search_procedures(**filters)
    paginator = Paginator(results, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    html = render_to_string(
        "portal/includes/procedure_search.html",
        {
            "form": form,
            "filters": filters,
            "results": results,
            "filtered": any(filters.values()),
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        },
        request=request,
    )
    if seconds:
        cache.set(key, (str(html), page.number), seconds)
    return html, page.number


def suggestions(request):
    """The search box's list as the citizen types (an htmx fragment). Without JavaScript
    nobody lands here; a shared link of it goes to the ordinary search page."""
    q = request.GET.get("q", "")[:200]
    if not request.htmx:
        return redirect(f"{reverse('portal:procedures')}?{urlencode({'q': q})}")
    return render(
        request,
        "portal/includes/suggestions.html",
        {"q": q, "suggestions": catalog.suggest_procedures(q)},
    )


def _submit_url(code: str) -> str | None:
    """The online submission page, once a release provides one."""
    try:
        return reverse("portal:submit", kwargs={"code": code})
    except NoReverseMatch:
        return None


@anonymous_page
def procedure(request, code):
    version = catalog.page_procedure_version(code)
    if version is None:
        return render(request, "portal/procedure_not_found.html", {"code": code}, status=404)
    online = version.level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)
    return render(
        request,
        "portal/procedure.html",
        {
            # The page's description is cached as rendered for the catalogue's generation.
            "catalogue_generation": catalog.catalogue_generation(),
            "cache_seconds": settings.CATALOGUE_CACHE_SECONDS,
            "version": version,
            "agency": version.agency,
            "components": list(version.components.all()),
            "fees": list(version.fees.all()),
            "online": online,
            "submit_url": _submit_url(version.procedure.code)
            if online and request.user.is_authenticated
            else None,
            "login_url": f"{reverse('portal:login')}?{urlencode({'next': request.path})}",
        },
    )


def component_template(request, code, component_id):
    """The blank form (mẫu đơn, tờ khai) of a component, from storage as a download, or the
    issuer's address when the catalogue keeps only that."""
    component = catalog.component_template(code, component_id)
    if component is None:
        raise Http404
    if not component.template_file:
        return redirect(component.template_url)
    try:
        handle = component.template_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = component.template_file.name.rsplit(".", 1)[-1].lower()
    # "Mẫu số 01/TK-KS": a slash is no part of a file name.
    name = f"{component.template_name or component.name}.{extension}".replace("/", "-")
    response = FileResponse(handle, as_attachment=True, filename=ascii_name(name))
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
