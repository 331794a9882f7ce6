"""The officers' work pages: the landing page with a count per queue, and a queue's list with
search, filters, keyset pages and bulk assignment (each dossier its own ``perform``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from motcua.accounts.models import Role, User
from motcua.accounts.services import staff_needs_second_factor
from motcua.backoffice.queue_forms import BulkAssignForm, QueueFilterForm
from motcua.dossiers import consultations, services
from motcua.dossiers import staff_selectors as sel
from motcua.dossiers.services import DossierError

MAX_BULK = 100
# Who may assign (lifecycle "assign"); the process of each dossier still decides, per row.
ASSIGNERS = {Role.DEPT_HEAD, Role.RECEIVER}


def _officer(request) -> sel.Officer:
    """Staff only, with their second factor given when they owe one (as the tracking book)."""
    user = request.user
    if user.kind != User.Kind.STAFF:
        raise PermissionDenied
    if staff_needs_second_factor(user) and not getattr(user, "is_verified", lambda: False)():
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
            "result": result,
            "rows": rows,
        },
        status=200 if valid and (bulk.is_valid() or request.method != "POST") else 400,
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
