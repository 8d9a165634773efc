from django.urls import path

from printops.production import panels, views, views_printers

app_name = "production"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/reorder/", views.queue_reorder, name="queue_reorder"),
    path("queue/gather/", views.queue_gather, name="queue_gather"),
    path("schedule/", views.schedule, name="schedule"),
    # The "Print" section of the library's version page, loaded there as an htmx fragment.
    path("versions/<int:pk>/section/", panels.version_section, name="version_section"),
    path("jobs/new/", views.job_new, name="job_new"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/move/<str:direction>/", views.job_move, name="job_move"),
    path("jobs/<int:pk>/start/", views.job_start, name="job_start"),
    path("jobs/<int:pk>/complete/", views.job_complete, name="job_complete"),
    path("jobs/<int:pk>/spool/", views.job_spool_switch, name="job_spool_switch"),
    path("jobs/<int:pk>/fail/", views.job_fail, name="job_fail"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("jobs/<int:pk>/requeue/", views.job_requeue, name="job_requeue"),
    path("printers/", views_printers.printer_list, name="printers"),
    path("printers/new/", views_printers.printer_new, name="printer_new"),
    path("printers/<int:pk>/", views_printers.printer_detail, name="printer"),
    path("printers/<int:pk>/edit/", views_printers.printer_edit, name="printer_edit"),
    path("printers/<int:pk>/slots/<int:index>/", views_printers.printer_slot, name="printer_slot"),
    path("printers/<int:pk>/status/", views_printers.printer_status, name="printer_status"),
    path(
        "printers/<int:pk>/maintenance/",
        views_printers.printer_maintenance,
        name="printer_maintenance",
    ),
]
