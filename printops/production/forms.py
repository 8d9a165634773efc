"""Production forms: parse what a person typed; the services check the rules with sentences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from printops.core.bounds import MAX_ID
from printops.core.forms import decimal_field, whole_field
from printops.materials.models import Material
from printops.production.models import Printer, PrintJob
from printops.production.services import MAX_COPIES, MAX_SLOTS

_SMALL = {"style": "max-width: 8rem"}


class PrinterForm(forms.Form):
    name = forms.CharField(max_length=120)
    model = forms.CharField(
        max_length=120, required=False, help_text="e.g. Bambu Lab X1 Carbon, Original Prusa MK4"
    )
    nozzle_diameter_mm = decimal_field(
        what="nozzle diameter",
        low="0.1",
        high=2,
        places=2,
        unit="mm",
        label="Nozzle diameter (mm)",
        initial="0.40",
    )
    build_x_mm = whole_field(
        what="build width", low=1, high=5000, unit="mm", label="Build width (mm)", initial=220
    )
    build_y_mm = whole_field(
        what="build depth", low=1, high=5000, unit="mm", label="Build depth (mm)", initial=220
    )
    build_z_mm = whole_field(
        what="build height", low=1, high=5000, unit="mm", label="Build height (mm)", initial=250
    )
    slots = whole_field(
        what="number of filament slots",
        low=1,
        high=MAX_SLOTS,
        label="Filament slots",
        initial=1,
        help_text="1 for a single toolhead, 4 for an AMS or MMU, 16 for four AMS units.",
    )
    power_watts = whole_field(
        what="power", low=0, high=100000, unit="W", label="Power (W)", initial=0
    )
    hourly_cost = decimal_field(
        what="hourly cost",
        low=0,
        high=100000,
        places=2,
        label="Hourly cost",
        initial="0.00",
        help_text="Depreciation and maintenance per printing hour, in the workspace currency.",
    )
    allowed_materials = forms.MultipleChoiceField(
        label="Materials it prints",
        choices=Material.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any material.",
    )


class MaintenanceForm(forms.Form):
    note = forms.CharField(max_length=500, label="What was done")
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class JobForm(forms.Form):
    """Queue a version: the version is chosen by id (the library's page links here)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    copies = whole_field(what="number of copies", low=1, high=MAX_COPIES, initial=1)
    printer = forms.ChoiceField(required=False, label="Printer")
    priority = forms.ChoiceField(
        initial="0",
        choices=(("10", "Urgent"), ("5", "High"), ("0", "Normal"), ("-5", "Low")),
        help_text="A new job goes ahead of queued jobs of lower priority.",
    )
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, printers: Sequence[Printer] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        printer = cast(forms.ChoiceField, self.fields["printer"])
        printer.choices = [("", "Any compatible printer")] + [(str(p.pk), p.name) for p in printers]


class FailForm(forms.Form):
    completion_percent = decimal_field(
        what="completion",
        low=0,
        high=100,
        places=2,
        unit="%",
        label="How far it got (%)",
        required=False,
    )
    layer = whole_field(
        what="layer", low=0, high=10**6, label="or the layer it reached", required=False
    )
    reason = forms.ChoiceField(choices=PrintJob.FailReason.choices)
    note = forms.CharField(max_length=500, required=False)


def first_error(form: forms.Form) -> str:
    """The first error of a bound form, for a message."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return "Check the form."
