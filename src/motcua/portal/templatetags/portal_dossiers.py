"""Template helpers of the dossier pages."""

from django import template
from django.utils.translation import gettext

from motcua.dossiers.selectors import ACTION_LABELS

register = template.Library()


@register.filter
def action_label(code):
    """A history event's action code → its label in the page's language."""
    return gettext(ACTION_LABELS.get(code, code))
