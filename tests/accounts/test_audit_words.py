"""The audit trail in words: every verb the code records has a sentence, object types read as
their models' names."""

import re
from pathlib import Path

from printops.accounts.audit_words import (
    VERB_SENTENCES,
    audit_verb_choices,
    field_label,
    object_type_label,
    verb_sentence,
)

PACKAGE = Path(__file__).resolve().parents[2] / "printops"
LITERAL_VERB = re.compile(
    r"""\bverb\s*=\s*["']([a-z_]+\.[a-z_]+)["']|^\s*(?:else\s+)?["']([a-z_]+\.[a-z_]+)["'],?$"""
)


def _verbs_in_the_code():
    verbs = set()
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        if "audit_record" not in text:
            continue
        for line in text.splitlines():
            for match in LITERAL_VERB.finditer(line):
                verbs.add(match.group(1) or match.group(2))
    # Built from a kind: materials.{vendors,filaments,spools}_imported
    verbs |= {f"materials.{kind}_imported" for kind in ("vendors", "filaments", "spools")}
    return verbs


def test_every_verb_the_code_records_has_a_sentence():
    verbs = _verbs_in_the_code()
    assert len(verbs) > 50
    missing = sorted(verb for verb in verbs if verb not in VERB_SENTENCES)
    assert missing == [], "add these to accounts/audit_words.py VERB_SENTENCES"


def test_a_sentence_is_words_not_a_code():
    assert verb_sentence("print_job.queued") == "queued a print job"
    for sentence in VERB_SENTENCES.values():
        assert "_" not in sentence and "." not in sentence


def test_an_unknown_verb_still_reads_as_words():
    assert verb_sentence("spool.relabelled") == "relabelled a spool"
    assert verb_sentence("api_token.rotated") == "rotated an api token"


def test_object_types_read_as_their_models_names(db):
    assert object_type_label("filamentalias") == "filament alias"
    assert object_type_label("design") == "model"
    assert object_type_label("variantversion") == "version"
    assert object_type_label("apitoken") == "API token"
    assert object_type_label("gone_model") == "gone model"


def test_field_names_in_changes_read_as_words():
    assert field_label("remaining_grams") == "remaining grams"
    assert field_label("printer_id") == "printer"


def test_the_filter_offers_each_kind_of_object_and_each_action():
    choices = dict(audit_verb_choices(["print_job.queued", "print_job.failed", "spool.moved"]))
    assert choices["print_job."] == "Print jobs: any action"
    assert choices["print_job.failed"] == "Marked a print job failed"
    assert choices["spool."] == "Spools: any action"
