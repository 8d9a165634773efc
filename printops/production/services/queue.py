"""The queue: queueing a version, its order (priority, moves, reordering, gathering a batch),
cancelling a queued job and requeueing a failed one.

Queue-order changes lock the workspace's `PrintQueue` row, so they run one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import Conflict, InvalidInput
from printops.core.validation import clean_text, clean_whole
from printops.library.models import VariantVersion
from printops.production.models import (
    Printer,
    PrintJob,
    PrintQueue,
)
from printops.production.plans import VersionPlan, incompatibilities, version_plan
from printops.production.services.common import Status, _same_workspace
from printops.production.services.layers import _layers_later

MAX_COPIES = 999


PRIORITY_LOW, PRIORITY_HIGH = -10, 10


def _lock_queue(workspace: Workspace) -> PrintQueue:
    """Lock the workspace's queue row: queue-order changes run one at a time."""
    queue, _ = PrintQueue.objects.get_or_create(workspace=workspace)
    return PrintQueue.objects.select_for_update().get(pk=queue.pk)


def _bump(queue: PrintQueue) -> None:
    PrintQueue.objects.filter(pk=queue.pk).update(revision=F("revision") + 1)


def _queued(workspace: Workspace | int) -> Any:  # a workspace or its id: no query for it
    return PrintJob.objects.filter(workspace=workspace, status=Status.QUEUED)


def _make_room_at(workspace: Workspace, position: int) -> None:
    """Shift queued jobs at `position` and after one place back.

    In two steps through negative numbers: PostgreSQL checks the unique position of queued
    jobs row by row, so `position + 1` in one statement collides with the next row.
    """
    _queued(workspace).filter(position__gte=position).update(position=-F("position") - 1)
    _queued(workspace).filter(position__lt=0).update(position=-F("position"))


def _renumber(workspace: Workspace, ordered_ids: Sequence[int]) -> None:
    """Give the queued jobs `ordered_ids` positions 1, 2, 3… (only rows that change are
    written; negated first, for the same reason as `_make_room_at`)."""
    current = dict(_queued(workspace).values_list("pk", "position"))
    changed = [pk for place, pk in enumerate(ordered_ids, start=1) if current.get(pk) != place]
    if not changed:
        return
    target = {pk: place for place, pk in enumerate(ordered_ids, start=1)}
    _queued(workspace).filter(pk__in=changed).update(position=-F("position"))
    PrintJob.objects.bulk_update(
        [PrintJob(pk=pk, position=target[pk]) for pk in changed], ["position"], batch_size=500
    )


def _queue_order(workspace: Workspace) -> list[int]:
    return list(_queued(workspace).order_by("position", "pk").values_list("pk", flat=True))


def _check_printable(version: VariantVersion, plan: VersionPlan) -> None:
    if version.needs_slicing:
        raise InvalidInput(
            f"{version} needs slicing: the file holds the model's shape, not print "
            "instructions. Slice it and upload the result as a new version.",
            field="version",
        )
    if version.status != VariantVersion.Status.READY:
        raise InvalidInput(
            f"{version} could not be read ({version.unreadable_reason or 'unknown format'}); "
            f"upload a file PrintOps can read before queueing it.",
            field="version",
        )
    if not plan.usages:
        if plan.grams_problem:
            reason = f"{plan.grams_problem}, so it cannot be planned or charged"
        else:
            reason = (
                "states neither the grams nor the length of filament it uses, so it cannot be "
                "planned or charged"
            )
        raise InvalidInput(
            f"{version}: {reason}. Enter the grams one copy takes (weighed, or as the slicer "
            f"shows them) on the version's page: Correct a value → Filament.",
            field="version",
        )


def print_job_queue(
    *,
    actor: Actor,
    version: VariantVersion,
    copies: Any = 1,
    printer: Printer | None = None,
    priority: Any = 0,
    note: str = "",
) -> PrintJob:
    """Queue `copies` prints of a version, on `printer` or (None) any compatible printer.

    A new job goes in ahead of every queued job of lower priority, behind the others; after
    that, the order is what people make it. Refused with a sentence when the version cannot be
    read, gives no grams, or does not suit the chosen printer.
    """
    actor.require(Perm.RUN_PRODUCTION)
    _same_workspace(actor, version, "versions", "version")
    _same_workspace(actor, printer, "printers", "printer")
    copies = clean_whole(copies, "number of copies", "copies", low=1, high=MAX_COPIES)
    priority = clean_whole(priority, "priority", "priority", low=PRIORITY_LOW, high=PRIORITY_HIGH)
    note = clean_text(note, "note", "note", 500)
    plan = version_plan(version)
    _check_printable(version, plan)
    if printer is not None:
        problems = incompatibilities(printer, plan)
        if problems:
            raise InvalidInput(" ".join(problems), field="printer")
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        lower = (
            _queued(actor.workspace)
            .filter(priority__lt=priority)
            .order_by("position")
            .values_list("position", flat=True)
            .first()
        )
        if lower is not None:
            position = lower
            _make_room_at(actor.workspace, position)
        else:
            last = _queued(actor.workspace).order_by("-position").values_list("position", flat=True)
            position = (last.first() or 0) + 1
        job = PrintJob.objects.create(
            workspace=actor.workspace,
            version=version,
            printer=printer,
            copies=copies,
            priority=priority,
            position=position,
            note=note,
            created_by=actor.user,
        )
        _bump(queue)
        audit_record(
            actor=actor,
            verb="print_job.queued",
            obj=job,
            after={
                "version": str(version),
                "copies": copies,
                "printer": printer.name if printer else None,
                "priority": priority,
            },
        )
        _layers_later(version)
    return job


def print_job_move(*, actor: Actor, job: PrintJob, position: Any) -> PrintJob:
    """Move a queued job to `position` (1 = next to print; beyond the end = last)."""
    actor.require(Perm.RUN_PRODUCTION)
    place = clean_whole(position, "position", "position", low=1, high=10**6)
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        order = _queue_order(actor.workspace)
        if job.pk not in order:
            raise Conflict(_not_queued_sentence(job), field="job")
        before = order.index(job.pk) + 1
        order.remove(job.pk)
        order.insert(min(place, len(order) + 1) - 1, job.pk)
        _renumber(actor.workspace, order)
        _bump(queue)
        job.position = order.index(job.pk) + 1
        audit_record(
            actor=actor,
            verb="print_job.moved",
            obj=job,
            before={"position": before},
            after={"position": job.position},
        )
    return job


def print_job_move_up(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Move a queued job one place earlier (the first stays first)."""
    place = _queue_order(actor.workspace).index(job.pk) + 1 if _is_queued(job) else 1
    return print_job_move(actor=actor, job=job, position=max(place - 1, 1))


def print_job_move_down(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Move a queued job one place later (the last stays last)."""
    place = _queue_order(actor.workspace).index(job.pk) + 1 if _is_queued(job) else 1
    return print_job_move(actor=actor, job=job, position=place + 1)


def _is_queued(job: PrintJob) -> bool:
    return _queued(job.workspace_id).filter(pk=job.pk).exists()


def queue_reorder(*, actor: Actor, job_ids: Sequence[int]) -> list[int]:
    """Put the listed queued jobs in this order, in the places they hold between them (the
    whole queue, or the jobs a filtered view shows); others keep their places. Returns the
    whole queue's job ids in order. A job that left the queue meanwhile is refused."""
    actor.require(Perm.RUN_PRODUCTION)
    ids = [int(pk) for pk in job_ids]
    if len(set(ids)) != len(ids):
        raise InvalidInput("List each job once.", field="job_ids")
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        order = _queue_order(actor.workspace)
        places = {pk: index for index, pk in enumerate(order)}
        gone = [pk for pk in ids if pk not in places]
        if gone:
            raise Conflict(
                f"Job #{gone[0]} is no longer in the queue: reload it and try again.",
                field="job_ids",
            )
        slots = sorted(places[pk] for pk in ids)
        for index, pk in zip(slots, ids, strict=True):
            order[index] = pk
        _renumber(actor.workspace, order)
        _bump(queue)
        audit_record(actor=actor, verb="print_queue.reordered", after={"job_ids": ids})
    return order


def queue_gather(*, actor: Actor, job_ids: Sequence[int]) -> list[int]:
    """Bring queued jobs together (a batch): they follow one another from the place of the
    first of them, in their present order. Returns the queue's job ids in order."""
    actor.require(Perm.RUN_PRODUCTION)
    wanted = {int(pk) for pk in job_ids}
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        order = _queue_order(actor.workspace)
        missing = wanted - set(order)
        if missing:
            raise Conflict(
                f"Job #{min(missing)} is no longer in the queue: reload it and try again.",
                field="job_ids",
            )
        if len(wanted) < 2:
            raise InvalidInput("Choose at least two queued jobs to run together.", field="job_ids")
        group = [pk for pk in order if pk in wanted]
        first = order.index(group[0])
        rest = [pk for pk in order if pk not in wanted]
        order = rest[:first] + group + rest[first:]
        _renumber(actor.workspace, order)
        _bump(queue)
        audit_record(actor=actor, verb="print_queue.gathered", after={"job_ids": group})
    return order


def _not_queued_sentence(job: PrintJob) -> str:
    current = PrintJob.objects.select_related("printer").get(pk=job.pk)
    sentences: dict[str, str] = {
        Status.PRINTING: f"{current} is already printing"
        + (f" on {current.printer.name}." if current.printer else "."),
        Status.COMPLETED: f"{current} was already completed.",
        Status.FAILED: f"{current} already failed; requeue it to print it again.",
        Status.CANCELLED: f"{current} was cancelled; queue the version again to print it.",
    }
    return sentences.get(current.status, f"{current} is not in the queue.")


def print_job_cancel(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Take a queued job out of the queue; nothing is consumed. A printing job is failed
    instead, with how far it got."""
    actor.require(Perm.RUN_PRODUCTION)
    now = timezone.now()
    with transaction.atomic():
        claimed = PrintJob.objects.filter(
            pk=job.pk, workspace=actor.workspace, status=Status.QUEUED
        ).update(status=Status.CANCELLED, finished_at=now)
        if claimed != 1:
            current = PrintJob.objects.get(pk=job.pk)
            if current.status == Status.PRINTING:
                raise Conflict(
                    f"{current} is printing: record it as failed, with how far it got, "
                    f"instead of cancelling it."
                )
            raise Conflict(_not_queued_sentence(job))
        audit_record(actor=actor, verb="print_job.cancelled", obj=job)
    job.status, job.finished_at = Status.CANCELLED, now
    return job


def print_job_requeue(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Queue a failed job again (the shop's fault: the print is still owed): a new job with the
    same version, copies, printer and priority, back in the place the failed one held, linked
    to it by `requeued_from`. Once per failed job."""
    actor.require(Perm.RUN_PRODUCTION)
    current = PrintJob.objects.select_related("version", "printer").get(pk=job.pk)
    if current.status != Status.FAILED:
        raise Conflict(
            "Only a failed job can be requeued; queue the version again to print it once more."
        )
    again = PrintJob.objects.filter(requeued_from=current).first()
    if again is not None:
        raise Conflict(f"{current} was already requeued as {again}.")
    try:
        with transaction.atomic():
            queue = _lock_queue(actor.workspace)
            position = max(current.position, 1)
            _make_room_at(actor.workspace, position)
            new = PrintJob.objects.create(
                workspace=actor.workspace,
                version=current.version,
                printer=current.printer,
                copies=current.copies,
                priority=current.priority,
                position=position,
                note=current.note,
                requeued_from=current,
                created_by=actor.user,
            )
            _bump(queue)
            audit_record(
                actor=actor, verb="print_job.requeued", obj=new, after={"from": str(current)}
            )
    except IntegrityError:  # requeued by someone else at the same moment
        raise Conflict(f"{current} was just requeued by someone else.") from None
    return new
