"""The officers' work pages: the landing page with a count per queue, and a queue's list with
search, filters, keyset pages and bulk assignment (each dossier its own ``perform``)."""

import hashlib
import zlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from motcua.accounts.models import Role, User
from motcua.accounts.services import staff_needs_second_factor
from motcua.backoffice.queue_forms import BulkAssignForm, QueueFilterForm
from motcua.catalog.selectors import catalogue_generation
from motcua.dossiers import consultations, services
from motcua.dossiers import staff_selectors as sel
from motcua.dossiers.services import DossierError

MAX_BULK = 100
# A kept page is found again only within its minute (``_page_key``): two minutes cover
# the clock's edge, and the entry is dead once its minute has passed.
PAGE_SECONDS = 120
# Stands for the request's CSRF token in a kept page: letters no rendered text holds.
CSRF_MARK = "csrf-token-of-this-answer-5c1e0b7a9d2f4e36"
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
            "inbox": _inbox(request, o),
            "now": timezone.now(),
        },
    )


INBOX_SIZE = 25


def _inbox(request, o: sel.Officer) -> dict | None:
    """A partner agency's consultations waiting for its answer (T6), a keyset page at a time."""
    if Role.PARTNER_AGENCY not in o.roles:
        return None
    before = _cursor(request.GET.get("y-kien-truoc"))
    rows = consultations.inbox(o.user, before=before, size=INBOX_SIZE)
    more = len(rows) > INBOX_SIZE
    rows = rows[:INBOX_SIZE]
    return {
        "rows": rows,
        "next": rows[-1].pk if more else None,
        "paged": before is not None,
        "count": consultations.open_count(o.user),
    }


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@never_cache
@login_required
def dossier_list(request):
    o = _officer(request)
    may_assign = bool(ASSIGNERS & set(o.roles))
    people = sel.assignable(o) if may_assign else []
    # A GET with no message waiting is the same page for everyone with the same key, but for
    # its CSRF token: kept with a mark in the token's place, filled in per answer.
    key = None
    if request.method == "GET" and not len(messages.get_messages(request)):
        key = _page_key(request, o, people)
        kept = cache.get(key)
        if kept is not None:
            return _with_token(request, HttpResponse(zlib.decompress(kept)))
    procedures, options = sel.procedure_menu(o)
    form = QueueFilterForm(request.GET or None, procedures=procedures, options=options)
    valid = form.is_valid() if request.GET else True
    f = form.filter() if request.GET and valid else sel.QueueFilter()
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
    now = timezone.now()
    horizon = sel.warning_horizon(o, now)
    result = None
    if valid:
        result = sel.page(
            sel.filtered(o, f, now, horizon),
            before=_cursor(request.GET.get("truoc")),
            after=_cursor(request.GET.get("sau")),
        )
    failed = dict(outcome["failed"]) if outcome else {}
    rows = [
        {
            "d": d,
            "clock": sel.clock_state(d, now, horizon),
            "error": failed.get(d.code, ""),
            "checked": d.code in failed,
        }
        for d in (result.rows if result else [])
    ]
    context = {
        "officer": o,
        "form": form,
        "bulk": bulk if may_assign else None,
        "outcome": outcome,
        "queue": sel.BY_KEY[f.queue],
        "queues": (sel.ALL, *sel.QUEUES),
        "result": result,
        "rows": rows,
    }
    if key is None:
        status = 200 if valid and (bulk.is_valid() or request.method != "POST") else 400
        return render(request, "backoffice/queue_list.html", context, status=status)
    response = render(request, "backoffice/queue_list.html", {**context, "csrf_token": CSRF_MARK})
    if valid:
        # Compressed: a page is 30-70 kB (the procedure menu), its deflated form a tenth.
        cache.set(key, zlib.compress(response.content, 1), PAGE_SECONDS)
    else:
        response.status_code = 400
    return _with_token(request, response)


def _with_token(request, response: HttpResponse) -> HttpResponse:
    token = get_token(request)  # also has the middleware set the CSRF cookie when needed
    response.content = response.content.replace(CSRF_MARK.encode(), token.encode())
    return response


def _page_key(request, o: sel.Officer, people: list) -> str:
    """What a kept page depends on: the desk clock of the officer and their agencies (read
    with the memberships, before the rows, so a write committed meanwhile leaves newer rows under the older
    stamp, never the reverse), the minute (deadline colours, "sắp đến hạn", "đã trả" move
    with the time; a working-calendar edit is seen within it), the query string (filters,
    search, keyset cursor, and the links built from it), the officer's roles and desks, the
    handlers offered with their loads (read on every request: a handler's load counts
    dossiers of any agency), the catalogue's generation (menus) and the language."""
    minute = int(timezone.now().timestamp() // 60)
    handlers = [(u.pk, u.full_name, u.load) for u in people]
    parts = [
        request.GET.urlencode(),
        o.roles,
        o.receiver_desk,
        handlers,
        catalogue_generation(),
        get_language(),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    agencies = ",".join(map(str, o.agencies))
    return f"staff:queue-page:{o.user.pk}:{agencies}:{o.stamp}:{minute}:{digest}"


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
