"""The tracking book page for staff: filters, a paginated table, Excel and PDF exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from motcua.accounts.models import User
from motcua.accounts.services import staff_needs_second_factor
from motcua.backoffice.book_forms import BookFilterForm
from motcua.catalog.models import Agency
from motcua.documents import tracking_book

PER_PAGE = 50


def _readable_agencies(request) -> list[int] | None:
    """Agencies whose book this user may read: every one for a superuser, else those of
    the user's current memberships. Citizens and organisations read none, nor staff who
    owe a second factor and have not given it (as in the administration)."""
    user = request.user
    if user.kind != User.Kind.STAFF:
        raise PermissionDenied
    # Verified first: asking whether the user owes a factor reads their devices again.
    if not getattr(user, "is_verified", lambda: False)() and staff_needs_second_factor(user):
        raise PermissionDenied
    if user.is_superuser:
        return None
    today = timezone.localdate()
    memberships = user.memberships.filter(valid_from__lte=today).exclude(valid_to__lt=today)
    return list(memberships.values_list("agency_id", flat=True).distinct())


@never_cache
@login_required
def book(request, export: str = ""):
    agencies = _readable_agencies(request)
    form = BookFilterForm(request.GET or None, agencies=agencies)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    f = tracking_book.BookFilter(
        agencies=None if agencies is None else list(agencies),
        agency=data.get("agency"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        status=data.get("status"),
        field=data.get("field"),
    )
    if export and valid:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if export == "xlsx":
            response = HttpResponse(
                tracking_book.to_xlsx(f),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{stamp}.xlsx"'
            return response
        # An officer of a single agency prints that agency's book under its name.
        only = agencies[0] if agencies is not None and len(agencies) == 1 else None
        name = Agency.objects.get(pk=only).name if only and f.agency is None else ""
        response = HttpResponse(
            tracking_book.to_pdf(f, agency_name=name), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{stamp}.pdf"'
        return response
    page = rows = page_range = None
    if valid:
        paginator = Paginator(tracking_book.entries(f), PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        rows = tracking_book.rows(page.object_list, start=page.start_index())
        page_range = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return render(
        request,
        "backoffice/tracking_book.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "page_range": page_range,
            "columns": tracking_book.COLUMNS,
            "query": request.GET.urlencode(),
            "export_limit": tracking_book.EXPORT_LIMIT,
            "pdf_limit": tracking_book.PDF_LIMIT,
        },
        status=200 if valid else 400,
    )
