"""NHS.UK frontend helpers for templates: the RAG tag, the error summary, header navigation,
the crispy-forms `nhsuk` pack (templates/nhsuk/) and the django-tables2 template.

    {% load nhsuk %}
    {% rag_tag update.rag %}                 <strong class="nhsuk-tag nhsuk-tag--yellow">Amber</strong>
    {% rag_tag update.rag compact=True %}    the letter, with the word visually hidden
    {{ update.rag|rag_label }} / {{ update.rag|rag_letter }}
    {% include "includes/error_summary.html" with form=form %}
    {% nav_item "My updates" "goals:my_updates" %}
    {% table caption="Users" headers="User|Email|Roles" %}<tr class="nhsuk-table__row">…</tr>{% endtable %}

RAG colours and words come only from goals.core.choices.RAG_STYLES.
"""

from dataclasses import dataclass
from functools import cache

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import flatatt
from django.template.base import token_kwargs
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from goals.core.choices import rag_style
from goals.core.names import display_name

register = template.Library()


# --- Tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableHeader:
    name: str
    numeric: bool = False
    hidden: bool = False  # read by screen readers only (a column of buttons)


@register.tag("table")
def table_tag(parser, token):
    """A list drawn as the one NHS.UK table (templates/includes/table.html); the tag's body is the
    rows. Arguments: headers ("A|B|C", or a list) and caption, and optionally numeric and hidden
    (header names, "|"-separated), caption_class, caption_id, label (the region's name when there
    is no caption_id; the caption by default), table_class and table_id. A caption that needs the page's
    variables is written as the body's first part instead, ended by {% rows %}:
    {% table headers="Goal|Actions" %}Goals of {{ strategy.name }}{% rows %}<tr …>{% endtable %}"""
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:], parser)
    if len(kwargs) != len(bits) - 1 or "headers" not in kwargs:
        raise template.TemplateSyntaxError(f"{bits[0]} takes headers=… and keyword arguments only")
    caption = None
    rows = parser.parse(("rows", "endtable"))
    if parser.next_token().contents == "rows":
        caption, rows = rows, parser.parse(("endtable",))
        parser.delete_first_token()
    if (caption is None) == ("caption" not in kwargs):
        raise template.TemplateSyntaxError(f"{bits[0]} needs one caption: caption=… or a body before {{% rows %}}")
    return TableNode(caption, rows, kwargs)


class TableNode(template.Node):
    def __init__(self, caption, rows, kwargs):
        self.caption, self.rows, self.kwargs = caption, rows, kwargs

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        numeric = set(filter(None, str(values.pop("numeric", "")).split("|")))
        hidden = set(filter(None, str(values.pop("hidden", "")).split("|")))
        names = values["headers"].split("|") if isinstance(values["headers"], str) else values["headers"]
        values["headers"] = [TableHeader(name, name in numeric, name in hidden) for name in names]
        if self.caption is not None:
            values["caption"] = mark_safe(self.caption.render(context).strip())
        values.setdefault("label", values["caption"])
        values["rows"] = mark_safe(self.rows.render(context))
        return context.template.engine.get_template("includes/table.html").render(context.new(values))


# --- RAG -------------------------------------------------------------------------------------


@register.simple_tag
def rag_tag(value, compact=False):
    """The RAG word in an NHS tag; `compact=True` shows the letter and keeps the word for
    screen readers. Colour is never the only signal."""
    return rag_tag_html(value or "", bool(compact))


@cache
def rag_tag_html(value: str, compact: bool = False) -> str:
    """includes/rag_tag.html rendered once per (rating, form): long tables and the heat map draw
    the same few tags hundreds of times, and the styles are constants (goals.core.choices)."""
    html = render_to_string("includes/rag_tag.html", {"style": rag_style(value), "compact": compact})
    return mark_safe(html.strip())


register.filter("display_name", display_name)


@register.filter
def rag_label(value) -> str:
    return rag_style(value).label


@register.filter
def rag_letter(value) -> str:
    return rag_style(value).letter


# --- Header navigation -----------------------------------------------------------------------


@register.inclusion_tag("includes/nav_item.html", takes_context=True)
def nav_item(context, label, url_name, *args):
    """An item of the header navigation. The link to the page being shown gets
    aria-current="page"; a link to a section the page is inside gets aria-current="true"."""
    href = reverse(url_name, args=args)
    request = context.get("request")
    path = request.path if request else ""
    return {
        "label": label,
        "href": href,
        "current": path == href,
        "active": path != href and href != "/" and path.startswith(href),
    }


# --- Error summary ---------------------------------------------------------------------------

# Django's own wording for some errors is not NHS style; these replace it in the error summary
# and say which field the summary links to.
NON_FIELD_WORDING = {
    "invalid_login": ("Enter a correct username and password", "username"),
}


def field_anchor(bound_field) -> str:
    """The id of the input an error summary link should move focus to."""
    if widget_kind(bound_field.field.widget) in {"radios", "checkboxes"}:
        return bound_field.auto_id  # the first option carries the field's id (see choices below)
    return bound_field.id_for_label or bound_field.auto_id


@register.simple_tag
def error_summary_items(form):
    """[{"text", "href"}] for the error summary, in page order: non-field errors, then fields.

    Returns [] the second time it is called for the same form, so a page can put the summary
    above its heading and the crispy pack will not print it again inside the form."""
    if form is None or not getattr(form, "errors", None) or getattr(form, "_nhsuk_error_summary_shown", False):
        return []
    form._nhsuk_error_summary_shown = True
    items = []
    for error in form.errors.as_data().get(NON_FIELD_ERRORS, []):
        text, field_name = NON_FIELD_WORDING.get(error.code, (None, None))
        href = f"#{field_anchor(form[field_name])}" if field_name in form.fields else ""
        for message in error.messages:
            items.append({"text": text or message, "href": href})
    for bound_field in form:
        for message in bound_field.errors:
            href = "" if bound_field.is_hidden else f"#{field_anchor(bound_field)}"
            items.append({"text": message, "href": href})
    return items


@register.filter
def non_field_wording(form) -> list[str]:
    """The form's non-field errors, in NHS wording where NON_FIELD_WORDING has one."""
    messages = []
    for error in form.errors.as_data().get(NON_FIELD_ERRORS, []):
        text = NON_FIELD_WORDING.get(error.code, (None, None))[0]
        messages.extend([text] if text else error.messages)
    return messages


# --- Crispy `nhsuk` pack: one field ----------------------------------------------------------


def widget_kind(widget) -> str:
    """Which NHS component draws this widget (order matters: CheckboxSelectMultiple is a
    RadioSelect, SelectDateWidget is a MultiWidget)."""
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.SelectDateWidget):
        return "date"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


# Component class of the input element; the error modifier is "<class>--error" where NHS has one.
INPUT_CLASS = {
    "input": "nhsuk-input",
    "select": "nhsuk-select",
    "textarea": "nhsuk-textarea",
    "file": "nhsuk-file-upload__input",
    "checkbox": "nhsuk-checkboxes__input",
}
HAS_ERROR_MODIFIER = {"input", "select", "textarea"}
# Attributes we set on each radio/checkbox ourselves, or that must not reach the HTML.
OWN_OPTION_ATTRS = {"id", "class", "checked", "choice_hints", "aria-describedby", "aria-invalid", "autofocus"}
DATE_PARTS = (
    ("day", "Day", "nhsuk-input--width-2"),
    ("month", "Month", "nhsuk-input--width-2"),
    ("year", "Year", "nhsuk-input--width-4"),
)


def _describedby(*ids) -> str:
    return " ".join(i for i in ids if i)


def _widget_html(bound_field, kind, describedby, extra_class="", extra_attrs=None) -> str:
    widget = bound_field.field.widget
    base = INPUT_CLASS[kind]
    classes = [base, extra_class, widget.attrs.get("class", "")]
    if bound_field.errors and kind in HAS_ERROR_MODIFIER:
        classes.insert(1, f"{base}--error")
    # No autofocus (Django's login form sets it): it skips the skip link and the page's
    # heading for screen reader users; on errors the NHS JS focuses the error summary instead.
    attrs = {"class": " ".join(c for c in classes if c), "autofocus": False}
    if describedby:
        attrs["aria-describedby"] = describedby
    attrs.update(extra_attrs or {})
    return bound_field.as_widget(attrs=attrs)


def choice_hints(bound_field) -> dict[str, str]:
    """Per-choice hint text, from `form.choice_hints = {"field": {"value": "hint"}}`, the
    widget's `choice_hints` attribute, or `attrs={"choice_hints": {...}}` on the widget."""
    widget = bound_field.field.widget
    hints = {}
    for source in (
        widget.attrs.get("choice_hints"),
        getattr(widget, "choice_hints", None),
        getattr(bound_field.form, "choice_hints", {}).get(bound_field.name),
    ):
        hints.update({str(value): hint for value, hint in (source or {}).items()})
    return hints


def _choices(bound_field, kind) -> list[dict]:
    """Radios or checkboxes, NHS style: the first option has the field's id (so error summary
    links to #id_<field> land on it), the others <id>-2, <id>-3…"""
    widget = bound_field.field.widget
    base_attrs = {**widget.attrs, **bound_field.build_widget_attrs({}, widget)}
    base_attrs = {k: v for k, v in base_attrs.items() if k not in OWN_OPTION_ATTRS}
    hints = choice_hints(bound_field)
    input_class = "nhsuk-radios__input" if kind == "radios" else "nhsuk-checkboxes__input"
    selected = widget.format_value(bound_field.value())
    choices = []
    for _group, options, _index in widget.optgroups(bound_field.html_name, selected):
        for option in options:
            value = "" if option["value"] is None else str(option["value"])
            if value == "" and str(option["label"]).strip("-") == "":
                continue  # the "---------" blank choice means nothing as a radio
            number = len(choices) + 1
            choice_id = bound_field.auto_id if number == 1 else f"{bound_field.auto_id}-{number}"
            hint = hints.get(value, "")
            hint_id = f"{choice_id}-item-hint" if hint else ""
            attrs = {
                **base_attrs,
                "class": input_class,
                "id": choice_id,
                "checked": bool(option["selected"]),
                "aria-describedby": hint_id or None,
            }
            choices.append(
                {
                    "id": choice_id,
                    "value": value,
                    "label": option["label"],
                    "hint": hint,
                    "hint_id": hint_id,
                    "input_attrs": flatatt({k: v for k, v in attrs.items() if v is not None}),
                }
            )
    return choices


def _date_parts(bound_field) -> list[dict]:
    """Day, month and year text boxes for a SelectDateWidget (Django parses <name>_day etc.).
    A bound form shows exactly what was typed, even if it is not a date."""
    widget = bound_field.field.widget
    if bound_field.form.is_bound:
        values = {part: bound_field.form.data.get(f"{bound_field.html_name}_{part}", "") for part, *_ in DATE_PARTS}
    else:
        values = widget.format_value(bound_field.value())
    parts = []
    for part, label, width in DATE_PARTS:
        classes = ["nhsuk-input", "nhsuk-date-input__input", width]
        if bound_field.errors:
            classes.insert(1, "nhsuk-input--error")
        part_id = f"{bound_field.auto_id}_{part}"
        attrs = {
            "class": " ".join(classes),
            "id": part_id,
            "name": f"{bound_field.html_name}_{part}",
            "type": "text",
            "inputmode": "numeric",
            "value": "" if values.get(part) is None else values[part],
            "disabled": bound_field.field.disabled,
        }
        parts.append({"id": part_id, "label": label, "input_attrs": flatatt(attrs)})
    return parts


@register.simple_tag(takes_context=True)
def nhsuk_field(context, bound_field):
    """Everything templates/nhsuk/field.html needs to draw one field as an NHS component."""
    field = bound_field.field
    kind = widget_kind(field.widget)
    auto_id = bound_field.auto_id or bound_field.html_name
    show_errors = context.get("form_show_errors", True) is not False
    errors = list(bound_field.errors) if show_errors else []
    hint_id = f"{auto_id}_helptext" if bound_field.help_text else ""
    error_id = f"{auto_id}_error" if errors else ""
    info = {"kind": kind, "id": auto_id, "hint_id": hint_id, "error_id": error_id, "errors": errors}
    info["optional"] = (
        not field.required
        and kind not in {"checkbox", "hidden"}
        and getattr(bound_field.form, "mark_optional_fields", True)  # filter forms say no
    )
    info["inline"] = bool(context.get("inline_class")) or "nhsuk-radios--inline" in field.widget.attrs.get("class", "")

    if kind in {"radios", "checkboxes"}:
        info["describedby"] = _describedby(hint_id, error_id)
        info["choices"] = _choices(bound_field, kind)
    elif kind == "date":
        info["describedby"] = _describedby(hint_id, error_id)
        info["date_parts"] = _date_parts(bound_field)
    elif kind == "checkbox":
        info["widget"] = _widget_html(bound_field, kind, _describedby(hint_id, error_id))
    elif kind == "textarea" and getattr(field, "max_length", None):
        # NHS character count: the JS counts down in <id>-info; no hard maxlength, so a long
        # paste is kept and the server's error message says what to cut.
        info["maxlength"] = field.max_length
        info["info_id"] = f"{auto_id}-info"
        info["widget"] = _widget_html(
            bound_field,
            kind,
            _describedby(info["info_id"], hint_id, error_id),
            extra_class="nhsuk-js-character-count",
            extra_attrs={"maxlength": False},
        )
    elif kind != "hidden":
        info["widget"] = _widget_html(bound_field, kind, _describedby(hint_id, error_id))
    return info


# --- Crispy `nhsuk` pack: buttons ------------------------------------------------------------

# crispy-forms' Submit/Button/Reset carry Bootstrap classes; the pack replaces them.
BOOTSTRAP_BUTTON_CLASSES = {"btn", "btn-primary", "btn-secondary", "btn-inverse"}


@register.filter
def nhsuk_button_class(layout_input) -> str:
    """NHS button classes for a crispy Submit (primary), Button or Reset (secondary), keeping
    any css_class given (e.g. "nhsuk-button--warning")."""
    extra = [c for c in layout_input.field_classes.split() if c not in BOOTSTRAP_BUTTON_CLASSES]
    classes = ["nhsuk-button"]
    if layout_input.input_type != "submit" and not any(c.startswith("nhsuk-button--") for c in extra):
        classes.append("nhsuk-button--secondary")
    return " ".join(classes + extra)


# --- django-tables2 --------------------------------------------------------------------------


@register.filter
def nhsuk_attrs(attrs, css_class: str) -> str:
    """Render a tables2 AttributeDict (or dict) with an NHS class added to its own classes."""
    skip = {"th", "td", "tf", "thead", "tbody", "tfoot", "_ordering", "class"}
    classes = " ".join(c for c in (css_class, (attrs or {}).get("class", "")) if c)
    pairs = [("class", classes)] + [(k, v) for k, v in (attrs or {}).items() if k not in skip and v is not None]
    return format_html_join(" ", '{}="{}"', pairs)


@register.filter
def nhsuk_table_is_sortable(table) -> bool:
    return any(column.orderable for column in table.columns)


@register.filter
def nhsuk_aria_sort(column) -> str:
    """aria-sort for a tables2 column ordered by the current request, else ""."""
    if not column.is_ordered:
        return ""
    return "descending" if column.order_by_alias.is_descending else "ascending"


@register.filter(is_safe=True)
def prose(text) -> str:
    """Narrative text as NHS paragraphs and bullet lists (every line escaped); see goals.core.prose."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from goals.core.prose import blocks

    parts = []
    for block in blocks(text):
        if block.bullets:
            items = "".join(f"<li>{escape(item)}</li>" for item in block.lines)
            parts.append(f'<ul class="nhsuk-list nhsuk-list--bullet">{items}</ul>')
        else:
            parts.append("<p>" + "<br>".join(escape(line) for line in block.lines) + "</p>")
    return mark_safe("".join(parts))
