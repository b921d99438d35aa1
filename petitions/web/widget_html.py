"""Django's form widgets, drawn in Python instead of through their templates.

A list page's filter form has a dozen selects with a hundred options; Django draws every option,
every attribute list and every input through a template include, which cost half of a queue page's
time. These functions produce the same HTML as Django's widget templates and our field template
(a test compares them widget by widget and field by field) at a fraction of the cost. Widgets
without a fast path use their templates.

The select stays in Python: one template with its options written in (no include per option) was
measured six times slower, 11 ms against 1.8 ms for the category and region selects' 560 options,
and put 10-15 ms on a queue page of 25 ms. The template language's loop alone costs about 7 µs an
option, more than this function's whole work.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget.get("value")
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    name = conditional_escape(widget["name"])
    return f'<input type="{widget["type"]}" name="{name}"{value_attr}{_attrs(widget["attrs"])}>'


def render_input(context: dict) -> SafeString:
    return mark_safe(_input(context["widget"]))  # noqa: S308 - every piece above is escaped


def render_select(context: dict) -> SafeString:
    widget = context["widget"]
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(str(group_name))}">')
        for option in options:
            html.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return mark_safe("".join(html))  # noqa: S308 - every piece above is escaped


def _input_option(option: dict) -> str:
    control = _input(option)
    if not option.get("wrap_label"):
        return control
    target = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(str(target))}"' if target else ""
    return f"<label{label_for}>{control} {conditional_escape(option['label'])}</label>"


def render_multiple_input(context: dict) -> SafeString:
    widget = context["widget"]
    widget_id = widget["attrs"].get("id")
    css_class = widget["attrs"].get("class")
    html = ["<div"]
    if widget_id:
        html.append(f' id="{conditional_escape(str(widget_id))}"')
    if css_class:
        html.append(f' class="{conditional_escape(str(css_class))}"')
    html.append(">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f"\n  <div><label>{conditional_escape(str(group_name))}</label>")
        for option in options:
            html.append(f"<div>\n    {_input_option(option)}</div>")
        if group_name:
            html.append("\n  </div>")
    html.append("\n</div>")
    return mark_safe("".join(html))  # noqa: S308 - every piece above is escaped


def render_textarea(context: dict) -> SafeString:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return mark_safe(  # noqa: S308 - every piece is escaped
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


_REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'


def render_field(context: dict) -> SafeString:
    """A field with its label, help and errors: templates/forms/field.html (PortalFormRenderer's)."""
    field = context["field"]
    widget_type = field.widget_type
    errors = field.errors
    label = conditional_escape(field.label) if field.label else ""
    label_for = conditional_escape(field.id_for_label)
    html = [f'<div class="field field-{conditional_escape(widget_type)}{" has-error" if errors else ""}">']
    if field.use_fieldset:
        described = field.aria_describedby
        html.append(f'<fieldset aria-describedby="{conditional_escape(described)}">' if described else "<fieldset>")
        if label:
            html.append(f"<legend>{label}{_REQUIRED_MARK if field.field.required else ''}</legend>")
    elif widget_type == "checkbox":
        html.append(f'<span class="checkbox">{field} <label for="{label_for}">{label}</label></span>')
    elif label:
        required = f'{_REQUIRED_MARK}<span class="visually-hidden">{conditional_escape(gettext("(required)"))}</span>'
        html.append(f'<label for="{label_for}">{label}{required if field.field.required else ""}</label>')
    if widget_type != "checkbox":
        html.append(str(field))
    if field.help_text:
        help_id = f"{conditional_escape(field.auto_id)}_helptext"
        html.append(f'<div class="help" id="{help_id}">{conditional_escape(field.help_text)}</div>')
    if errors:
        html.append(str(errors))
    if field.use_fieldset:
        html.append("</fieldset>")
    html.append("</div>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece above is escaped or drawn escaped


_INPUTS = ["text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox", "search"]

FAST_WIDGETS: dict[str, Callable[[dict], SafeString]] = {
    **{f"django/forms/widgets/{kind}.html": render_input for kind in _INPUTS},
    "django/forms/widgets/select.html": render_select,
    "django/forms/widgets/checkbox_select.html": render_multiple_input,
    "django/forms/widgets/radio.html": render_multiple_input,
    "django/forms/widgets/textarea.html": render_textarea,
    "forms/field.html": render_field,
}


class KeptSelect(forms.Select):
    """A select of reference data (departments, categories, regions, leaders) drawn once per version of
    its lists, language, name, attributes and chosen value, and then served from this process's copy.

    `version` returns the version of the lists the choices come from (empty: not kept, drawn each time):
    a change of the lists renews it, so a copy never shows old options. Nothing in it depends on who
    asks: the same lists are offered to every user of a list page.
    """

    KEPT = 256  # drawn selects kept per process (a category select is about 30 KB)
    _drawn: "OrderedDict[tuple, SafeString]" = OrderedDict()
    _lock = threading.Lock()

    def __init__(self, attrs=None, choices=(), *, version: Callable[[], str]) -> None:
        super().__init__(attrs, choices)
        self.version = version

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        version = self.version()
        if not version:
            return super().render(name, value, attrs, renderer)
        chosen = tuple(self.format_value(value))
        final_attrs = tuple(sorted((k, str(v)) for k, v in self.build_attrs(self.attrs, attrs).items()))
        key = (version, get_language(), name, chosen, final_attrs, self.is_required)
        with self._lock:
            html = self._drawn.get(key)
            if html is not None:
                self._drawn.move_to_end(key)
                return html
        html = super().render(name, value, attrs, renderer)
        with self._lock:
            self._drawn[key] = html
            while len(self._drawn) > self.KEPT:
                self._drawn.popitem(last=False)
        return html
