"""Audit events in words: `{{ e.verb|audit_sentence }}`, `{{ e.object_type|object_type }}`."""

from __future__ import annotations

from django import template

from printops.accounts import audit_words

register = template.Library()

register.filter("audit_sentence", audit_words.verb_sentence)
register.filter("object_type", audit_words.object_type_label)
register.filter("field_label", audit_words.field_label)
register.filter("field_value", audit_words.field_value)
