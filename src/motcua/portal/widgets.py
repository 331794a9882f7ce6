"""Widgets rendered in Python where Django's template-per-option rendering is too slow.

The catalogue search page offers a hundred agencies and fields in its filters on every
request; rendering each ``<option>`` through Django's widget templates took most of the
page's time (profiled on the bench catalogue), so these build the same HTML directly.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A ``<select>`` with optional ``<optgroup>`` s, the same markup as ``forms.Select``."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        parts = [format_html("<select{}>", flatatt(final))]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts += [self._option(v, text, chosen) for v, text in label]
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, chosen))
        parts.append("</select>")
        return mark_safe("".join(parts))

    @staticmethod
    def _option(value, label, chosen) -> str:
        value = "" if value is None else str(value)
        if value in chosen:
            return format_html('<option value="{}" selected>{}</option>', value, label)
        return format_html('<option value="{}">{}</option>', value, label)
