"""Reads of the catalogue. Every query the portal and the API make lives here.

Search in citizens' words (synonyms, typos, ranking) is ``catalog.search``, which holds the
catalogue in force in memory; ``search_procedures`` is its entry point for the views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Agency, Component, FeeItem, Field, ProcedureVersion
from motcua.core.orm import Reusable

GENERATION_KEY = "catalog:generation"


def catalogue_generation() -> int:
    """A number that changes whenever the catalogue does (see ``services.bump_generation``);
    caches of catalogue reads put it in their keys."""
    from django.core.cache import cache

    return cache.get_or_set(GENERATION_KEY, 1, None)


def effective(day: dt.date | None = None) -> Q:
    day = day or timezone.localdate()
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def current_agencies(day: dt.date | None = None) -> QuerySet[Agency]:
    # An agency's start date may be unknown (null): it existed before our records began, as
    # ``Agency.is_valid_on`` reads it. ``effective`` alone would hide such agencies.
    day = day or timezone.localdate()
    started = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    not_ended = Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    return (
        Agency.objects.filter(started, not_ended)
        .select_related("parent")
        .order_by("name_sort", "code")
    )


def agencies_with_procedures(day: dt.date | None = None) -> QuerySet[Agency]:
    """Agencies a citizen can pick in the search filter: those implementing something today."""
    ids = ProcedureVersion.objects.filter(effective(day)).values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("kind", "name_sort")


def all_fields() -> QuerySet[Field]:
    return Field.objects.order_by("name_sort", "code")


def fields_with_procedures(day: dt.date | None = None) -> QuerySet[Field]:
    """Fields worth offering as a filter or a link: those with a procedure in force."""
    ids = ProcedureVersion.objects.filter(effective(day)).values("field_id")
    return Field.objects.filter(pk__in=ids).order_by("name_sort", "code")


def search_filter_choices() -> tuple[list[Agency], list[Field]]:
    """``agencies_with_procedures`` and ``fields_with_procedures`` for today, as lists kept
    in the cache for the catalogue's generation: the search page offers them on every
    request, and they change only with the catalogue."""
    from django.conf import settings
    from django.core.cache import cache

    key = f"catalog:filter-choices:{catalogue_generation()}:{timezone.localdate()}"
    held = cache.get(key)
    if held is None:
        held = (list(agencies_with_procedures()), list(fields_with_procedures()))
        if settings.CATALOGUE_CACHE_SECONDS:
            cache.set(key, held, settings.CATALOGUE_CACHE_SECONDS)
    return held


def search_procedures(
    *,
    q: str = "",
    agency: str = "",
    field: str = "",
    level: str = "",
    day: dt.date | None = None,
):
    """Procedure versions in force on ``day`` matching the filters, best match first, as
    ``catalog.search.Results`` (see ``catalog.search.search``)."""
    from motcua.catalog import search

    return search.search(q=q, agency=agency, field=field, level=level, day=day)


def suggest_procedures(q: str) -> list[ProcedureVersion]:
    """The first few procedures for what has been typed so far."""
    from motcua.catalog import search

    return search.suggest(q)


def _version_on(day, code):
    # The model's ordering (procedure code, latest first): with one code, the latest.
    return (
        ProcedureVersion.objects.filter(effective(day), procedure__code=code)
        .select_related("procedure", "agency", "agency__parent", "field")
        .order_by("-valid_from")[:1]
    )


# Compiled once (core.orm): the procedure page, the API's detail and the wizard read them.
_VERSION_ON = Reusable(_version_on, dt.date(1901, 2, 3), "\x01procedure")
_COMPONENTS = Reusable(
    lambda version_id: Component.objects.filter(version_id=version_id).order_by("position", "id"),
    -7_300_051,
)
_FEES = Reusable(
    lambda version_id: FeeItem.objects.filter(version_id=version_id).order_by("position", "id"),
    -7_300_052,
)


def _prefetched(instance, name: str, rows: list) -> None:
    """``rows`` as what ``prefetch_related(name)`` leaves: ``instance.<name>.all()`` answers
    them without a query (and they are pickled with the instance into the cache)."""
    held = getattr(instance, name).all()
    held._result_cache, held._prefetch_done = rows, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = held


def get_procedure_version(code: str, day: dt.date | None = None) -> ProcedureVersion | None:
    """The version of procedure ``code`` in force on ``day``, with everything a page shows:
    its procedure, agency (with parent) and field joined, its components and fees in order."""
    found = _VERSION_ON(day or timezone.localdate(), code)
    if not found:
        return None
    version = found[0]
    components = _COMPONENTS(version.pk)
    fees = _FEES(version.pk)
    for row in (*components, *fees):
        row.version = version  # as the prefetch sets the reverse side
    _prefetched(version, "components", components)
    _prefetched(version, "fees", fees)
    return version


def page_procedure_version(code: str) -> ProcedureVersion | None:
    """``get_procedure_version`` for today, kept in the cache for the catalogue's generation
    (at most ``CATALOGUE_CACHE_SECONDS``, as the API's catalogue answers): the portal's
    procedure page is read all day and its version changes a few times a month."""
    import hashlib

    from django.conf import settings
    from django.core.cache import cache

    day = timezone.localdate()
    digest = hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"catalog:page-version:{catalogue_generation()}:{day}:{digest}"
    version = cache.get(key)
    if version is None:
        version = get_procedure_version(code, day)
        if version is not None and settings.CATALOGUE_CACHE_SECONDS:
            cache.set(key, version, settings.CATALOGUE_CACHE_SECONDS)
    return version


def procedure_versions(code: str) -> QuerySet[ProcedureVersion]:
    """All versions of a procedure, newest first (history shown to administrators)."""
    return ProcedureVersion.objects.filter(procedure__code=code).order_by("-valid_from")


@dataclass(frozen=True)
class FeesDue:
    """What an applicant pays for a procedure version: its fee items and their total."""

    items: list[FeeItem]
    total: int

    @property
    def legal_bases(self) -> list[str]:
        """The distinct legal bases of the items, in the catalogue's order."""
        return list(dict.fromkeys(f.legal_basis for f in self.items if f.legal_basis))


def fees_due(version: ProcedureVersion) -> FeesDue | None:
    """The fees of ``version`` (a dossier keeps the version it was received under, so these
    are also its fees), or None when the procedure charges nothing at all. Reads the
    prefetched ``fees`` when the caller loaded them."""
    items = sorted(version.fees.all(), key=lambda f: (f.position, f.pk))
    if not items:
        return None
    return FeesDue(items=items, total=sum(f.amount for f in items))


def component_template(code: str, component_id: int) -> Component | None:
    """A component of procedure ``code`` (any of its versions: a draft keeps the version it
    was started under) that has a form to download, or None."""
    component = (
        Component.objects.filter(pk=component_id, version__procedure__code=code)
        .only("id", "template_name", "template_file", "template_url", "name")
        .first()
    )
    return component if component is not None and component.has_template else None
