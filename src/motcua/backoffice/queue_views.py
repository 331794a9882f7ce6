"""The officers' work pages: the landing page with a count per queue, and a queue's list with
search, filters, keyset pages and bulk assignment (each dossier its own ``perform``)."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from motcua.accounts.models import Role, User
from motcua.accounts.services import staff_needs_second_factor
from motcua.backoffice.queue_forms import BulkAssignForm, QueueFilterForm
from motcua.dossiers import desk_clock, services
from motcua.dossiers import staff_selectors as sel
from motcua.dossiers.services import DossierError

MAX_BULK = 100
# A kept list page is found again only within its minute (``_page_key``): two minutes
# covers the clock's edge, and the entry is dead once its minute has passed.
PAGE_SECONDS = 120
# Who may assign (lifecycle "assign"); the process of each dossier still decides, per row.
ASSIGNERS = {Role.DEPT_HEAD, Role.RECEIVER}


def _officer(request) -> sel.Officer:
    """Staff only, with their second factor given when they owe one (as the tracking book)."""
    user = request.user
    if user.kind != User.Kind.STAFF:
        raise PermissionDenied
    # A session verified by a device has given its second factor: asking whether the user
    # owes one would read their devices again (django_otp's middleware already did).
    verified = getattr(user, "is_verified", lambda: False)()
    if not verified and staff_needs_second_factor(user):
        raise PermissionDenied
    return sel.officer(user)


@never_cache
@login_required
def home(request):
    o = _officer(request)
    counts = sel.counts(o)
    by_key = {q.key: q for q in sel.QUEUES}
    sections = [
        (label, [(by_key[k], counts[k]) for k in sel.ROLE_QUEUES.get(role, ())])
        for role, label in o.role_labels
    ]
    return render(
        request,
        "backoffice/queues_home.html",
        {
            "officer": o,
            "queues": [(q, counts[q.key]) for q in sel.QUEUES],
            "sections": [s for s in sections if s[1]],
        },
    )


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@never_cache
@login_required
def dossier_list(request):
    o = _officer(request)
    procedures, options = sel.procedure_menu(o)
    form = QueueFilterForm(request.GET or None, procedures=procedures, options=options)
    valid = form.is_valid() if request.GET else True
    f = form.filter() if request.GET and valid else sel.QueueFilter()
    may_assign = bool(ASSIGNERS & set(o.roles))
    people = sel.assignable(o) if may_assign else []
    bulk = BulkAssignForm(request.POST or None, people=people)
    outcome = None
    if request.method == "POST":
        if not may_assign:
            raise PermissionDenied
        if bulk.is_valid():
            outcome = _assign_all(request, o, bulk)
            if not outcome["failed"]:
                messages.success(
                    request, f"Đã phân công {len(outcome['done'])} hồ sơ.", fail_silently=True
                )
                return redirect(request.get_full_path())
    failed = dict(outcome["failed"]) if outcome else {}
    table = pages = ""
    if valid:
        # A page after a POST carries that POST's marks (errors, ticked rows): never kept.
        key = _page_key(request, o, may_assign) if request.method != "POST" else None
        pieces = cache.get(key) if key else None
        if pieces is None:
            pieces = _list_page(request, o, f, bulk if may_assign else None, failed)
            if key:
                cache.set(key, pieces, PAGE_SECONDS)
        table, pages = (mark_safe(p) for p in pieces)  # noqa: S308 (rendered by templates)
    return render(
        request,
        "backoffice/queue_list.html",
        {
            "officer": o,
            "form": form,
            "bulk": bulk if may_assign else None,
            "outcome": outcome,
            "queue": sel.BY_KEY[f.queue],
            "queues": (sel.ALL, *sel.QUEUES),
            "listed": valid,
            "table": table,
            "pages": pages,
        },
        status=200 if valid and (bulk.is_valid() or request.method != "POST") else 400,
    )


def _page_key(request, o: sel.Officer, may_assign: bool) -> str:
    """What a kept list depends on: the desk clock of the officer and their agencies (read
    before the rows, so a write committed meanwhile leaves newer rows under the older
    stamp, never the reverse), the minute (deadline colours, "sắp đến hạn", "đã trả" move
    with the time; a working-calendar or catalogue edit is seen within it), the query
    string (filters, search, keyset cursor, and the links built from it), and whether the
    rows carry checkboxes."""
    stamp = desk_clock.stamp(o.user.pk, o.agencies)
    minute = int(timezone.now().timestamp() // 60)
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    agencies = ",".join(map(str, o.agencies))
    return f"staff:queue-page:{o.user.pk}:{agencies}:{int(may_assign)}:{stamp}:{minute}:{query}"


def _list_page(request, o, f, bulk, failed) -> tuple[str, str]:
    """The rows of one page and its keyset links, rendered: (table, links), or two empty
    texts when the page has no row."""
    now = timezone.now()
    horizon = sel.warning_horizon(o, now)
    result = sel.page(
        sel.filtered(o, f, now, horizon),
        before=_cursor(request.GET.get("truoc")),
        after=_cursor(request.GET.get("sau")),
    )
    if not result.rows:
        return "", ""
    rows = [
        {
            "d": d,
            "clock": sel.clock_state(d, now, horizon),
            "error": failed.get(d.code, ""),
            "checked": d.code in failed,
        }
        for d in result.rows
    ]
    context = {"queue": sel.BY_KEY[f.queue], "bulk": bulk, "rows": rows, "result": result}
    return (
        render_to_string("backoffice/queue_table.html", context),
        render_to_string("backoffice/queue_pages.html", context, request=request),
    )


def _assign_all(request, o: sel.Officer, bulk: BulkAssignForm) -> dict:
    """One ``perform`` per dossier, each its own transaction: one that fails leaves the
    others assigned, and its reason is reported on its row."""
    codes = list(dict.fromkeys(bulk.cleaned_data["dossiers"]))[:MAX_BULK]
    assignee = bulk.cleaned_data.get("assignee") or None
    found = sel.by_codes(o, codes)
    done, failed = [], []
    for code in codes:
        d = found.get(code)
        if d is None:
            failed.append((code, "Không tìm thấy hồ sơ này trong phạm vi bạn được xem."))
            continue
        try:
            services.perform(d, "assign", request.user, assignee=assignee)
        except DossierError as exc:
            failed.append((code, exc.message))
        else:
            done.append(code)
    return {"done": done, "failed": failed}
