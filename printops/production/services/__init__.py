"""Every write in production: printers and their slots in `printers`, the queue (queueing,
order, cancelling, requeueing) in `queue`, a job's start, spool switches, completion and
failure in `jobs`, per-layer grams in `layers`.

Callers use `from printops.production import services` and `services.<name>`; the modules are
how the code is kept, not part of the interface.
"""

from printops.production.services.jobs import (
    print_job_complete,
    print_job_fail,
    print_job_spool_switch,
    print_job_start,
)
from printops.production.services.layers import version_layers_read, version_layers_read_once
from printops.production.services.printers import (
    MANUAL_PRINTER_STATUSES,
    MAX_SLOTS,
    PRINTER_FIELDS,
    printer_create,
    printer_maintenance_add,
    printer_set_status,
    printer_slot_load,
    printer_update,
)
from printops.production.services.queue import (
    MAX_COPIES,
    PRIORITY_HIGH,
    PRIORITY_LOW,
    print_job_cancel,
    print_job_move,
    print_job_move_down,
    print_job_move_up,
    print_job_queue,
    print_job_requeue,
    queue_gather,
    queue_reorder,
)

__all__ = [
    "MANUAL_PRINTER_STATUSES",
    "MAX_COPIES",
    "MAX_SLOTS",
    "PRINTER_FIELDS",
    "PRIORITY_HIGH",
    "PRIORITY_LOW",
    "print_job_cancel",
    "print_job_complete",
    "print_job_fail",
    "print_job_move",
    "print_job_move_down",
    "print_job_move_up",
    "print_job_queue",
    "print_job_requeue",
    "print_job_spool_switch",
    "print_job_start",
    "printer_create",
    "printer_maintenance_add",
    "printer_set_status",
    "printer_slot_load",
    "printer_update",
    "queue_gather",
    "queue_reorder",
    "version_layers_read",
    "version_layers_read_once",
]
