"""Reads of the catalogue. Every query the portal and the API make lives here.

Search folds the query with the same ``core.text.fold`` used for the indexed column, so no
database-specific accent handling is needed; on PostgreSQL the substring matches are served
by the trigram GIN index of migration 0002. A query that matches nothing as typed is
corrected word by word against the catalogue's own vocabulary (works on every database);
on PostgreSQL trigram word similarity is the last resort.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from motcua.catalog.models import Agency, Component, FeeItem, Field, ProcedureVersion
from motcua.core.text import fold, words

TRIGRAM_THRESHOLD = 0.45


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
    return Agency.objects.filter(started, not_ended).select_related("parent").order_by("code")


def agencies_with_procedures(day: dt.date | None = None) -> QuerySet[Agency]:
    """Agencies a citizen can pick in the search filter: those implementing something today."""
    ids = ProcedureVersion.objects.filter(effective(day)).values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("kind", "name")


def all_fields() -> QuerySet[Field]:
    return Field.objects.order_by("name")


def fields_with_procedures(day: dt.date | None = None) -> QuerySet[Field]:
    """Fields worth offering as a filter or a link: those with a procedure in force."""
    ids = ProcedureVersion.objects.filter(effective(day)).values("field_id")
    return Field.objects.filter(pk__in=ids).order_by("name")


def search_procedures(
    *,
    q: str = "",
    agency: str = "",
    field: str = "",
    level: str = "",
    day: dt.date | None = None,
) -> QuerySet[ProcedureVersion]:
    """Procedure versions in force on ``day`` matching the filters, best match first.

    ``agency`` is an agency code. A commune's own code also finds the procedures every
    commune decides (those hung on the commune-level group), because that is what a citizen
    choosing "UBND xã …" expects to see.
    """
    qs = ProcedureVersion.objects.filter(effective(day)).select_related(
        "procedure", "agency", "field"
    )
    if agency:
        agency_filter = Q(agency__code=agency)
        target = Agency.objects.filter(code=agency).select_related("parent").first()
        if target and target.kind == Agency.Kind.COMMUNE_COMMITTEE and target.parent_id:
            agency_filter |= Q(agency_id=target.parent_id, competence_level="xa")
        qs = qs.filter(agency_filter)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(level=level)
    terms = words(q)
    if not terms:
        return qs.order_by("name", "procedure__code")
    found = _matching_all(qs, terms)
    if found.exists():
        return _best_first(found, terms)
    # Nothing matched as typed: correct each unknown word against the catalogue's own
    # vocabulary (one typo in a short word, two in a long one), then search again.
    corrected = [_correct(t, _vocabulary(day)) for t in terms]
    if corrected != terms:
        fixed = _matching_all(qs, corrected)
        if fixed.exists():
            return _best_first(fixed, corrected)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        return (
            qs.annotate(rank=TrigramWordSimilarity(fold(q), "search_text"))
            .filter(rank__gte=TRIGRAM_THRESHOLD)
            .order_by("-rank", "name")
        )
    return found


def _matching_all(qs, terms: list[str]):
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return qs


def _best_first(qs, terms: list[str]):
    """The whole phrase before scattered words, then shorter (more specific) names: cheap
    to compute on every matching row, unlike a similarity score."""
    phrase = " ".join(terms)
    return qs.order_by(
        Case(When(search_text__contains=phrase, then=Value(0)), default=Value(1)),
        Length("name"),
        "name",
        "procedure__code",
    )


def _vocabulary(day: dt.date | None = None) -> dict[str, int]:
    """Folded words of the procedures in force, with their frequency; cached per catalogue
    generation because it changes only when the catalogue does."""
    from django.core.cache import cache

    key = f"catalog:vocabulary:{catalogue_generation()}:{day or timezone.localdate()}"
    vocab = cache.get(key)
    if vocab is None:
        vocab = {}
        for text in ProcedureVersion.objects.filter(effective(day)).values_list(
            "search_text", flat=True
        ):
            for word in text.split():
                vocab[word] = vocab.get(word, 0) + 1
        cache.set(key, vocab, 3600)
    return vocab


def _correct(term: str, vocab: dict[str, int]) -> str:
    if term in vocab or term.isdigit() or len(term) < 3:
        return term
    limit = 1 if len(term) <= 5 else 2
    best, best_key = term, None
    for word, count in vocab.items():
        if abs(len(word) - len(term)) > limit:
            continue
        distance = _edit_distance(term, word, limit)
        if distance <= limit:
            key = (distance, -count, word)
            if best_key is None or key < best_key:
                best, best_key = word, key
    return best


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of two letters counts once, the commonest
    phone typo), giving up early once every path exceeds ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def get_procedure_version(code: str, day: dt.date | None = None) -> ProcedureVersion | None:
    """The version of procedure ``code`` in force on ``day``, with everything a page shows."""
    return (
        ProcedureVersion.objects.filter(effective(day), procedure__code=code)
        .select_related("procedure", "agency", "agency__parent", "field")
        .prefetch_related(
            Prefetch("components", queryset=Component.objects.order_by("position", "id")),
            Prefetch("fees", queryset=FeeItem.objects.order_by("position", "id")),
        )
        .first()
    )


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
