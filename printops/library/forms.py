from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from printops.core.bounds import MAX_ID
from printops.library.models import Category


class DesignForm(forms.Form):
    name = forms.CharField(max_length=200)
    designer = forms.CharField(max_length=120, required=False)
    licence = forms.CharField(max_length=120, required=False, help_text="e.g. CC BY-NC 4.0")
    source_url = forms.URLField(required=False, label="Source link", assume_scheme="https")
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False)
    tags = forms.CharField(required=False, help_text="Separate tags with commas.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(
        self, *args: Any, categories: QuerySet[Category] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if categories is not None:
            cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories

    def tag_names(self) -> list[str]:
        return [t for t in self.cleaned_data["tags"].split(",") if t.strip()]


class UploadForm(forms.Form):
    file = forms.FileField()
    relative_path = forms.CharField(required=False, max_length=1000)
    design_name = forms.CharField(required=False, max_length=200)
    variant_name = forms.CharField(required=False, max_length=200)
    variant = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    change_note = forms.CharField(required=False, max_length=500)


class MoveForm(forms.Form):
    design_name = forms.CharField(max_length=200, label="Model")
    variant_name = forms.CharField(max_length=200, label="Variant")


class CorrectionForm(forms.Form):
    field = forms.CharField(max_length=40)
    value = forms.CharField(required=False, max_length=100)
