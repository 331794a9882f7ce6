"""Public verification of a signed result, "Xác thực kết quả": anyone holding the result
(or its dossier code, printed on it) checks that the stored file's signature still holds
and who signed it, and may upload the copy they were given to compare it with the original.

The uploaded file is checked in memory and never stored. Checking a signature costs real
CPU, so uploads are limited in size and per address.
"""

import hashlib

from django import forms
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from motcua.core.throttling import client_address, retry_after
from motcua.core.upload_limits import UploadTooLarge, limit_uploads
from motcua.signing import selectors, services

MAX_BYTES = 20 * 1024 * 1024
PORTAL_RATE = "20/minute"


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp PDF cần kiểm tra",
        help_text="Tệp kết quả đã ký số (PDF, tối đa 20 MB). Tệp chỉ được kiểm tra, không lưu lại.",
        error_messages={
            "required": "Vui lòng chọn tệp PDF cần kiểm tra.",
            "empty": "Tệp đã chọn không có nội dung.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("Tệp đã chọn không phải là tệp PDF.")
        return upload


@csrf_exempt  # checked by _check_upload, once the upload limit is in place
@require_http_methods(["GET", "POST"])
def verify(request, code=""):
    result = None
    if code:
        result = selectors.latest_signed_result(code.strip().upper())
        if result is None:
            context = {"code": code}
            return render(request, "portal/tracking/verify_not_found.html", context, status=404)
    context = {"code": code, "report": services.verification_report(result) if result else None}
    if request.method != "POST":
        return render(
            request, "portal/tracking/verify.html", {**context, "form": VerifyUploadForm()}
        )
    if retry_after("portal-verify", client_address(request), PORTAL_RATE):
        return render(request, "portal/tracking/throttled.html", status=429)
    try:
        limit_uploads(request, MAX_BYTES)
    except UploadTooLarge:
        return _render_too_large(request, context)
    return _check_upload(request, context, result)


def _render_too_large(request, context):
    form = VerifyUploadForm({}, {})
    # Shown in place of "choose a file": the file was chosen, it was only too big.
    form.errors["file"] = form.error_class(["Tệp vượt quá 20 MB."])
    return render(request, "portal/tracking/verify.html", {**context, "form": form}, status=413)


@csrf_protect
def _check_upload(request, context, result):
    request.FILES  # noqa: B018 (parse now, so that the size flag is set)
    if request.upload_too_large:
        return _render_too_large(request, context)
    form = VerifyUploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data["file"].read()
        context["upload"] = {
            "name": form.cleaned_data["file"].name,
            "check": services.verify_pdf(data),
            "same_as_stored": result is not None
            and hashlib.sha256(data).hexdigest() == result.sha256,
        }
        form = VerifyUploadForm()
    return render(request, "portal/tracking/verify.html", {**context, "form": form})
