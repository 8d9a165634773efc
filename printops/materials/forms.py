from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from printops.materials.models import Material, SpoolLedgerEntry, Vendor

_DATE = forms.DateInput(attrs={"type": "date"})
_GRAMS = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


class VendorForm(forms.Form):
    name = forms.CharField(max_length=120)
    empty_spool_grams = forms.DecimalField(
        label="Empty spool weight (g)",
        required=False,
        help_text="What an empty spool of this brand weighs; weigh-ins subtract it.",
        **_GRAMS,
    )
    website = forms.URLField(required=False, assume_scheme="https")


class FilamentForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none())
    material = forms.ChoiceField(choices=Material.choices)
    colour_name = forms.CharField(
        max_length=80, required=False, help_text="Empty: the nearest named colour."
    )
    # Text, not a colour picker: people copy the exact hex from the vendor's page.
    color_hex = forms.CharField(
        label="Colour (#RRGGBB)",
        max_length=7,
        widget=forms.TextInput(
            attrs={
                "placeholder": "#3D3E3D",
                "autocapitalize": "characters",
                # Name suggestions and look-alikes already in stock, as the hex is typed.
                "hx-get": reverse_lazy("materials:colour_hint"),
                "hx-trigger": "load, input changed delay:300ms",
                "hx-target": "#colour-hint",
                "aria-describedby": "colour-hint",
            }
        ),
    )
    multi_color_hexes = forms.CharField(
        label="Other colours (multi-colour filament)",
        required=False,
        help_text="#RRGGBB values separated by commas.",
    )
    diameter_mm = forms.DecimalField(
        label="Diameter (mm)", initial="1.75", max_digits=4, decimal_places=2
    )
    density_g_cm3 = forms.DecimalField(
        label="Density (g/cm³)", initial="1.24", max_digits=5, decimal_places=3
    )
    price_per_kg = forms.DecimalField(
        label="Price per kg", required=False, max_digits=10, decimal_places=2
    )
    net_spool_grams = forms.DecimalField(label="Net spool weight (g)", initial=1000, **_GRAMS)
    low_stock_grams = forms.DecimalField(
        label="Low stock below (g)",
        initial=0,
        help_text="Total grams left on all its spools together; below the net spool weight.",
        **_GRAMS,
    )
    reorder_spools = forms.IntegerField(label="Reorder (spools)", initial=1, min_value=0)
    lead_time_days = forms.IntegerField(label="Lead time (days)", initial=7, min_value=0)
    purchase_url = forms.URLField(label="Purchase link", required=False, assume_scheme="https")
    article_number = forms.CharField(max_length=80, required=False)
    nozzle_temp_c = forms.IntegerField(label="Nozzle °C", required=False)
    bed_temp_c = forms.IntegerField(label="Bed °C", required=False)

    def __init__(self, *args: Any, vendors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if vendors is not None:
            self.fields["vendor"].queryset = vendors  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as `filament_create`/`filament_update` take them."""
        data = dict(self.cleaned_data)
        data.pop("vendor")
        data["multi_color_hexes"] = [
            h.strip() for h in (data["multi_color_hexes"] or "").split(",") if h.strip()
        ]
        return data


class SpoolForm(forms.Form):
    initial_grams = forms.DecimalField(
        label="Net weight (g)",
        required=False,
        help_text="Empty: the filament's net spool weight.",
        **_GRAMS,
    )
    remaining_grams = forms.DecimalField(
        label="Grams left", required=False, help_text="Only for a spool already in use.", **_GRAMS
    )
    cost_paid = forms.DecimalField(required=False, max_digits=10, decimal_places=2, min_value=0)
    purchase_date = forms.DateField(required=False, widget=_DATE)
    lot = forms.CharField(max_length=80, required=False)
    location = forms.CharField(max_length=80, required=False)
    opened_date = forms.DateField(required=False, widget=_DATE)


class SpoolDetailsForm(forms.Form):
    cost_paid = forms.DecimalField(required=False, max_digits=10, decimal_places=2, min_value=0)
    purchase_date = forms.DateField(required=False, widget=_DATE)
    lot = forms.CharField(max_length=80, required=False)
    location = forms.CharField(max_length=80, required=False)
    opened_date = forms.DateField(required=False, widget=_DATE)


class WeighInForm(forms.Form):
    gross_grams = forms.DecimalField(
        label="Scale reading (g)",
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )


class MoveForm(forms.Form):
    location = forms.CharField(max_length=80, required=False)


class ConsumeForm(forms.Form):
    grams = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    reason = forms.ChoiceField(
        choices=[
            (SpoolLedgerEntry.Reason.PRINT, "Print"),
            (SpoolLedgerEntry.Reason.FAILED_PRINT, "Failed print"),
            (SpoolLedgerEntry.Reason.ADJUSTMENT, "Adjustment"),
        ]
    )
    note = forms.CharField(max_length=500, required=False)
