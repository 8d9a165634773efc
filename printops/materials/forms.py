from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.urls import reverse_lazy

from printops.core.bounds import MAX_GRAMS, MAX_MONEY
from printops.core.forms import decimal_field, whole_field
from printops.materials.models import TYPICAL_DENSITY, Material, SpoolLedgerEntry, Vendor

_DATE = forms.DateInput(attrs={"type": "date"})


def _grams(what: str, **kwargs: Any) -> forms.DecimalField:
    return decimal_field(what=what, low=0, high=MAX_GRAMS, places=2, unit="grams", **kwargs)


def _money(what: str, **kwargs: Any) -> forms.DecimalField:
    return decimal_field(what=what, low=0, high=MAX_MONEY, places=2, required=False, **kwargs)


class VendorForm(forms.Form):
    name = forms.CharField(max_length=120)
    empty_spool_grams = _grams(
        "empty spool weight",
        label="Empty spool weight (g)",
        required=False,
        help_text="What an empty spool of this brand weighs; weigh-ins subtract it.",
    )
    website = forms.URLField(required=False, assume_scheme="https")


class FilamentForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none())
    material = forms.ChoiceField(
        choices=Material.choices,
        # filament_form.js puts the material's typical density in the density field.
        widget=forms.Select(
            attrs={"data-densities": json.dumps({k: str(v) for k, v in TYPICAL_DENSITY.items()})}
        ),
    )
    product_line = forms.CharField(
        label="Product line / finish",
        max_length=60,
        required=False,
        help_text="As the vendor names it: Basic, Matte, Silk, HF, CF…",
        widget=forms.TextInput(attrs={"list": "product-lines", "autocomplete": "off"}),
    )
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
    diameter_mm = decimal_field(
        what="diameter",
        low="0.01",
        high=5,
        places=2,
        unit="mm",
        label="Diameter (mm)",
        initial="1.75",
    )
    density_g_cm3 = decimal_field(
        what="density",
        low="0.001",
        high=20,
        places=3,
        unit="g/cm³",
        label="Density (g/cm³)",
        required=False,
        help_text="Empty: typical for the material (PLA 1.24, PETG 1.27, ABS 1.04…).",
    )
    price_per_kg = _money("price per kg", label="Price per kg")
    net_spool_grams = _grams("net spool weight", label="Net spool weight (g)", initial=1000)
    low_stock_grams = _grams(
        "low-stock threshold",
        label="Low stock below (g)",
        initial=0,
        help_text="Grams left on all its spools together (2 000 g: two spools in reserve).",
    )
    reorder_spools = whole_field(
        what="reorder quantity",
        low=0,
        high=1000,
        unit="spools",
        label="Reorder (spools)",
        initial=1,
    )
    lead_time_days = whole_field(
        what="lead time", low=0, high=365, unit="days", label="Lead time (days)", initial=7
    )
    purchase_url = forms.URLField(label="Purchase link", required=False, assume_scheme="https")
    article_number = forms.CharField(max_length=80, required=False)
    nozzle_temp_c = whole_field(
        what="nozzle temperature", low=150, high=500, unit="°C", label="Nozzle °C", required=False
    )
    bed_temp_c = whole_field(
        what="bed temperature", low=0, high=200, unit="°C", label="Bed °C", required=False
    )

    def __init__(self, *args: Any, vendors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if vendors is not None:
            cast(forms.ModelChoiceField, self.fields["vendor"]).queryset = vendors

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as `filament_create`/`filament_update` take them."""
        data = dict(self.cleaned_data)
        data.pop("vendor")
        data["multi_color_hexes"] = [
            h.strip() for h in (data["multi_color_hexes"] or "").split(",") if h.strip()
        ]
        return data


class SpoolForm(forms.Form):
    initial_grams = _grams(
        "net weight",
        label="Net weight (g)",
        required=False,
        help_text="Empty: the filament's net spool weight.",
    )
    remaining_grams = _grams(
        "grams left",
        label="Grams left",
        required=False,
        help_text="Only for a spool already in use.",
    )
    cost_paid = _money("cost paid")
    purchase_date = forms.DateField(required=False, widget=_DATE)
    lot = forms.CharField(max_length=80, required=False)
    location = forms.CharField(max_length=80, required=False)
    opened_date = forms.DateField(required=False, widget=_DATE)


class SpoolDetailsForm(forms.Form):
    cost_paid = _money("cost paid")
    purchase_date = forms.DateField(required=False, widget=_DATE)
    lot = forms.CharField(max_length=80, required=False)
    location = forms.CharField(max_length=80, required=False)
    opened_date = forms.DateField(required=False, widget=_DATE)


class WeighInForm(forms.Form):
    gross_grams = _grams(
        "scale reading",
        label="Scale reading (g)",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    # Sent by the "Yes, record it" button after a reading far above the ledger.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    location = forms.CharField(max_length=80, required=False)


class ConsumeForm(forms.Form):
    grams = _grams(
        "amount used",
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
