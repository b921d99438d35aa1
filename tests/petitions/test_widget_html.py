"""The widgets drawn in Python give the same HTML as Django's own widget templates."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test.html import parse_html
from django.utils import translation

from petitions.models import Category
from petitions.web.forms import DateInput, PortalFormRenderer

CHOICES = [("a", "甲 <b>"), ("b", "乙 & 丙"), ("", "— none —")]


class EveryWidget(forms.Form):
    text = forms.CharField(label="Text", max_length=10, help_text="help", widget=forms.TextInput(attrs={"data-x": "1"}))
    number = forms.IntegerField(min_value=1)
    email = forms.EmailField(required=False)
    when = forms.DateField(widget=DateInput)
    secret = forms.CharField(widget=forms.HiddenInput)
    flag = forms.BooleanField(required=False)
    one = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=[("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    many = forms.MultipleChoiceField(choices=CHOICES[:2], widget=forms.CheckboxSelectMultiple)
    radio = forms.ChoiceField(choices=CHOICES[:2], widget=forms.RadioSelect)
    multi_select = forms.MultipleChoiceField(choices=CHOICES[:2])
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)


DATA = {
    "text": 'a"<x>',
    "number": "0",
    "when": "2026-02-30",
    "secret": "s&t",
    "flag": "on",
    "one": "b",
    "grouped": "y",
    "many": ["a", "b"],
    "radio": "a",
    "multi_select": ["b"],
    "note": "<script>",
}


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "bound-with-errors"])
def test_python_drawn_widgets_equal_the_templates(data):
    fast = EveryWidget(data, renderer=PortalFormRenderer())
    slow = EveryWidget(data, renderer=TemplatesSetting())
    for name in EveryWidget.base_fields:
        assert parse_html(str(fast[name])) == parse_html(str(slow[name])), name


class FieldTemplateOnly(TemplatesSetting):
    """The portal's field template, drawn by the template engine."""

    field_template_name = PortalFormRenderer.field_template_name


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "bound-with-errors"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_python_drawn_fields_equal_the_field_template(data, language):
    with translation.override(language):
        fast = EveryWidget(data, renderer=PortalFormRenderer())
        slow = EveryWidget(data, renderer=FieldTemplateOnly())
        for name in EveryWidget.base_fields:
            fast_html, slow_html = fast[name].as_field_group(), slow[name].as_field_group()
            assert parse_html(fast_html) == parse_html(slow_html), name
        if data:
            assert "has-error" in fast["number"].as_field_group()
        assert ("（必填）" if language == "zh-hans" else "(required)") in fast["text"].as_field_group()
