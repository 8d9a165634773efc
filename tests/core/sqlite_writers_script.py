"""Run by test_sqlite_writers.py in a fresh process on its own SQLite file (argv: processes,
threads per process, consumptions per thread). Prints one JSON line: the errors, the grams
consumed, what the spool holds and what its ledger adds up to."""

import json
import multiprocessing
import os
import sys
import threading
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "printops.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Sum  # noqa: E402

from printops.accounts.actor import Actor  # noqa: E402
from printops.accounts.models import User  # noqa: E402
from printops.accounts.services import workspace_create  # noqa: E402
from printops.materials import services  # noqa: E402
from printops.materials.models import Spool, SpoolLedgerEntry  # noqa: E402

GRAMS = Decimal("1.25")


def consume(membership_id: int, spool_id: int, times: int, barrier, errors) -> None:
    from printops.accounts.models import Membership

    membership = Membership.objects.select_related("user", "workspace").get(pk=membership_id)
    actor = Actor(user=membership.user, membership=membership)
    spool = Spool.objects.get(pk=spool_id)
    barrier.wait(timeout=60)
    for _ in range(times):
        try:
            services.spool_consume(actor=actor, spool=spool, grams=GRAMS)
        except Exception as error:  # every failure is reported, none may happen
            errors.append(f"{type(error).__name__}: {error}")
    connection.close()


def process(membership_id: int, spool_id: int, threads: int, times: int, barrier, queue) -> None:
    errors: list[str] = []
    workers = [
        threading.Thread(target=consume, args=(membership_id, spool_id, times, barrier, errors))
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(errors)


def main() -> None:
    processes, threads, times = (int(a) for a in sys.argv[1:4])
    call_command("migrate", verbosity=0)
    user = User.objects.create_user(email="writer@example.com", password="not-used-here")
    membership = workspace_create(user=user, name="Writers")
    actor = Actor(user=user, membership=membership)
    vendor = services.vendor_create(actor=actor, name="Polymaker")
    filament = services.filament_create(actor=actor, vendor=vendor, color_hex="#112233")
    spool = services.spool_create(actor=actor, filament=filament, initial_grams=1000)
    connections.close_all()  # nothing open crosses the fork
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(processes * threads), ctx.Queue()
    args = (membership.pk, spool.pk, threads, times, barrier, queue)
    children = [ctx.Process(target=process, args=args) for _ in range(processes)]
    for child in children:
        child.start()
    errors = [e for _ in children for e in queue.get(timeout=300)]
    for child in children:
        child.join()
    spool.refresh_from_db()
    ledger = SpoolLedgerEntry.objects.filter(spool=spool).aggregate(g=Sum("grams"))["g"]
    used = -SpoolLedgerEntry.objects.filter(spool=spool, reason="print").aggregate(g=Sum("grams"))[
        "g"
    ]
    print(
        json.dumps(
            {
                "errors": errors,
                "used": str(used),
                "remaining": str(spool.remaining_grams),
                "ledger": str(ledger),
            }
        )
    )


if __name__ == "__main__":
    main()
