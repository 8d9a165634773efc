import pytest

from printops.production import services
from printops.production.batching import batch_suggestions

pytestmark = pytest.mark.django_db


def _queue(actor, version, **kwargs):
    return services.print_job_queue(actor=actor, version=version, **kwargs).pk


def test_jobs_with_the_same_filaments_are_suggested_together(
    bob_actor, workspace, mk4, make_version, pla_red, petg_blue
):
    red = [make_version((pla_red, 5.0)) for _ in range(3)]
    blue = make_version((petg_blue, 5.0))
    a = _queue(bob_actor, red[0])
    _queue(bob_actor, blue)
    b = _queue(bob_actor, red[1])
    c = _queue(bob_actor, red[2], printer=mk4)
    (batch,) = batch_suggestions(workspace=workspace)
    assert batch.job_ids == [a, b, c] and not batch.together
    assert batch.label == "3 jobs use Bambu Lab PLA Red — run them together"
    assert batch.printer_ids == {mk4.pk}


def test_a_batch_gathered_in_the_queue_is_marked_together(
    bob_actor, workspace, make_version, pla_red, petg_blue, mk4
):
    version = make_version((pla_red, 5.0))
    a = _queue(bob_actor, version)
    _queue(bob_actor, make_version((petg_blue, 5.0)))
    b = _queue(bob_actor, version)
    services.queue_gather(actor=bob_actor, job_ids=[a, b])
    (batch,) = batch_suggestions(workspace=workspace)
    assert batch.together


def test_jobs_that_share_no_printer_are_not_a_batch(
    bob_actor, alice_actor, workspace, make_version, pla_red, mk4
):
    mini = services.printer_create(actor=alice_actor, name="MINI")
    version = make_version((pla_red, 5.0))
    _queue(bob_actor, version, printer=mk4)
    _queue(bob_actor, version, printer=mini)
    assert batch_suggestions(workspace=workspace) == []


def test_multi_filament_jobs_batch_by_their_whole_set(
    bob_actor, workspace, make_version, pla_red, petg_blue, x1c
):
    both = make_version((pla_red, 5.0), (petg_blue, 2.0))
    only_red = make_version((pla_red, 5.0))
    pair = [_queue(bob_actor, both), _queue(bob_actor, only_red), _queue(bob_actor, both)]
    (batch,) = batch_suggestions(workspace=workspace)
    assert batch.job_ids == [pair[0], pair[2]]
    assert {f.pk for f in batch.filaments} == {pla_red.pk, petg_blue.pk}


def test_unmatched_jobs_are_left_out(bob_actor, workspace, make_version, mk4):
    version = make_version((None, 5.0))
    _queue(bob_actor, version)
    _queue(bob_actor, version)
    assert batch_suggestions(workspace=workspace) == []
