from django.urls import path

from printops.production import panels
from printops.production.views import jobs, printers, queue

app_name = "production"

urlpatterns = [
    path("", queue.index, name="index"),
    path("queue/reorder/", queue.queue_reorder, name="queue_reorder"),
    path("queue/gather/", queue.queue_gather, name="queue_gather"),
    path("schedule/", queue.schedule, name="schedule"),
    # The "Print" section of the library's version page, loaded there as an htmx fragment.
    path("versions/<int:pk>/section/", panels.version_section, name="version_section"),
    path("jobs/new/", queue.job_new, name="job_new"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/move/<str:direction>/", queue.job_move, name="job_move"),
    path("jobs/<int:pk>/start/", jobs.job_start, name="job_start"),
    path("jobs/<int:pk>/complete/", jobs.job_complete, name="job_complete"),
    path("jobs/<int:pk>/spool/", jobs.job_spool_switch, name="job_spool_switch"),
    path("jobs/<int:pk>/fail/", jobs.job_fail, name="job_fail"),
    path("jobs/<int:pk>/cancel/", jobs.job_cancel, name="job_cancel"),
    path("jobs/<int:pk>/requeue/", jobs.job_requeue, name="job_requeue"),
    path("printers/", printers.printer_list, name="printers"),
    path("printers/new/", printers.printer_new, name="printer_new"),
    path("printers/<int:pk>/", printers.printer_detail, name="printer"),
    path("printers/<int:pk>/edit/", printers.printer_edit, name="printer_edit"),
    path("printers/<int:pk>/slots/<int:index>/", printers.printer_slot, name="printer_slot"),
    path("printers/<int:pk>/status/", printers.printer_status, name="printer_status"),
    path(
        "printers/<int:pk>/maintenance/", printers.printer_maintenance, name="printer_maintenance"
    ),
]
