"""Turning a DomainError into a form error, the one way views report service refusals."""

from __future__ import annotations

from django import forms

from printops.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Attach the error's sentence to its field when the form has it, else to the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
