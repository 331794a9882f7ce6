"""The steps of the online submission wizard and where each submission error is fixed.

The order follows the seed letters: "Thông tin người nộp" → "Thành phần hồ sơ" → "Hình thức
nhận kết quả" → "mã xác nhận" and "Nộp hồ sơ". Components come a few per page, so that a
phone on a slow link never carries a long page of file inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

COMPONENTS_PER_PAGE = 4

TITLES = {
    "applicant": _("Thông tin người nộp"),
    "components": _("Thành phần hồ sơ"),
    "delivery": _("Hình thức nhận kết quả"),
    "review": _("Kiểm tra và nộp hồ sơ"),
}

# A service error key → (step, the id of the input that fixes it).
_FIELD_ANCHORS = {
    "applicant.full_name": ("applicant", "id_full_name"),
    "applicant.id_number": ("applicant", "id_id_number"),
    "applicant.phone": ("applicant", "id_phone"),
    "submitter.full_name": ("applicant", "id_submitter_name"),
    "submitter.id_number": ("applicant", "id_submitter_id_number"),
    "applicant.email": ("applicant", "id_email"),
    "submitter.email": ("applicant", "id_submitter_email"),
    "authorisation": ("applicant", "id_authorisation"),
    "delivery.method": ("delivery", "id_method_0"),
    "delivery.commune": ("delivery", "id_commune"),
    "delivery.address": ("delivery", "id_address"),
}


@dataclass(frozen=True)
class Step:
    key: str  # also what the draft's ``wizard_step`` records
    title: str
    url: str


def component_pages(dossier) -> list[list]:
    components = list(dossier.version.components.all())
    return [
        components[i : i + COMPONENTS_PER_PAGE]
        for i in range(0, len(components), COMPONENTS_PER_PAGE)
    ]


def _url(dossier, name, **kwargs) -> str:
    return reverse(f"portal:draft-{name}", kwargs={"public_id": dossier.public_id, **kwargs})


def steps(dossier) -> list[Step]:
    """Every page of this draft's wizard, in order (no component page when there are none)."""
    pages = component_pages(dossier)
    result = [Step("applicant", str(TITLES["applicant"]), _url(dossier, "applicant"))]
    for number in range(1, len(pages) + 1):
        result.append(
            Step(
                f"components-{number}",
                str(TITLES["components"]),
                _url(dossier, "components", page=number),
            )
        )
    result.append(Step("delivery", str(TITLES["delivery"]), _url(dossier, "delivery")))
    result.append(Step("review", str(TITLES["review"]), _url(dossier, "review")))
    return result


def find(dossier, key: str) -> tuple[Step, Step | None, Step | None]:
    """The step ``key`` with the one before and after it; an unknown or stale key (the
    procedure has fewer component pages now) falls back to the first step."""
    all_steps = steps(dossier)
    keys = [s.key for s in all_steps]
    i = keys.index(key) if key in keys else 0
    before = all_steps[i - 1] if i > 0 else None
    after = all_steps[i + 1] if i + 1 < len(all_steps) else None
    return all_steps[i], before, after


def progress(dossier, key: str) -> dict:
    """For the caption above each heading: "Bước 2/4"."""
    groups = ["applicant", "components", "delivery", "review"]
    if not component_pages(dossier):
        groups.remove("components")
    group = key.split("-")[0]
    return {"number": groups.index(group) + 1, "total": len(groups)}


def component_page_of(dossier, component_id: int) -> int:
    for number, page in enumerate(component_pages(dossier), start=1):
        if any(c.pk == component_id for c in page):
            return number
    return 1


def error_links(dossier, errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(href, message) pairs for the check-your-answers error summary, in page order,
    each pointing at the input that fixes it on its own step."""
    components = {c.pk: c for c in dossier.version.components.all()}
    urls = {s.key: s.url for s in steps(dossier)}
    order = list(urls)
    links = []
    for key, messages in errors.items():
        if key.startswith("components."):
            pk = int(key.split(".", 1)[1])
            page = component_page_of(dossier, pk)
            step, anchor = f"components-{page}", f"id_file-{pk}"
            name = components[pk].name if pk in components else ""
            messages = [_("Chưa đính kèm «%(name)s».") % {"name": name}]
        elif key in _FIELD_ANCHORS:
            step, anchor = _FIELD_ANCHORS[key]
        else:
            step, anchor = "review", "main"
        for message in messages:
            links.append((order.index(step), f"{urls[step]}#{anchor}", message))
    links.sort(key=lambda item: item[0])
    # Services speak Vietnamese; their fixed sentences have English entries in the catalogue.
    return [(href, gettext(str(message))) for _, href, message in links]


def field_of(key: str) -> str:
    """The form field of a service error key: "applicant.full_name" → "full_name"."""
    anchor = _FIELD_ANCHORS[key][1]
    return anchor.removeprefix("id_").removesuffix("_0")


def step_errors(errors: dict[str, list[str]], step: str) -> dict[str, list[str]]:
    """The submission errors that the page ``step`` can fix."""
    if step == "applicant":
        return {
            k: v
            for k, v in errors.items()
            if k.startswith(("applicant.", "submitter.")) or k == "authorisation"
        }
    if step == "delivery":
        return {k: v for k, v in errors.items() if k.startswith("delivery.")}
    return {}
