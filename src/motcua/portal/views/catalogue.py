"""Tra cứu thủ tục: the searchable catalogue and one procedure's page."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from motcua.catalog import selectors as catalog
from motcua.catalog.models import OnlineLevel
from motcua.portal.forms import SearchForm

PER_PAGE = 20


def procedures(request):
    form = SearchForm(
        request.GET or None,
        agencies=catalog.agencies_with_procedures(),
        fields=catalog.fields_with_procedures(),
    )
    filters = form.filters()
    paginator = Paginator(catalog.search_procedures(**filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/procedures.html",
        {
            "form": form,
            "filters": filters,
            "filtered": any(filters.values()),
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        },
    )


def _submit_url(code: str) -> str | None:
    """The online submission page, once a release provides one."""
    try:
        return reverse("portal:submit", kwargs={"code": code})
    except NoReverseMatch:
        return None


def procedure(request, code):
    version = catalog.page_procedure_version(code)
    if version is None:
        return render(request, "portal/procedure_not_found.html", {"code": code}, status=404)
    online = version.level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)
    components = list(version.components.all())
    return render(
        request,
        "portal/procedure.html",
        {
            # The page's description is cached as rendered for the catalogue's generation.
            "catalogue_generation": catalog.catalogue_generation(),
            "cache_seconds": settings.CATALOGUE_CACHE_SECONDS,
            "version": version,
            "agency": version.agency,
            "components": components,
            "fees": list(version.fees.all()),
            "online": online,
            "submit_url": _submit_url(version.procedure.code)
            if online and request.user.is_authenticated
            else None,
            "login_url": f"{reverse('portal:login')}?{urlencode({'next': request.path})}",
        },
    )
