from django.urls import path

from printops.materials import (
    views,
    views_imports,
    views_labels,
    views_reports,
    views_shopping,
    views_spools,
)

app_name = "materials"

urlpatterns = [
    path("", views.index, name="index"),
    path("vendors/", views.vendors, name="vendors"),
    path("vendors/<int:pk>/", views.vendor_edit, name="vendor_edit"),
    path("filaments/new/", views.filament_new, name="filament_new"),
    path("colour-hint/", views.colour_hint, name="colour_hint"),
    path("filaments/<int:pk>/", views.filament_detail, name="filament"),
    path("filaments/<int:pk>/edit/", views.filament_edit, name="filament_edit"),
    path("spools/<int:pk>/", views_spools.spool_detail, name="spool"),
    path("spools/<int:pk>/weigh-in/", views_spools.spool_weigh_in, name="spool_weigh_in"),
    path("spools/<int:pk>/empty/", views_spools.spool_mark_empty, name="spool_mark_empty"),
    path("spools/<int:pk>/move/", views_spools.spool_move, name="spool_move"),
    path("spools/<int:pk>/consume/", views_spools.spool_consume, name="spool_consume"),
    path("spools/<int:pk>/archive/", views_spools.spool_archive, name="spool_archive"),
    path("s/<str:code>/", views_spools.spool_by_code, name="spool_by_code"),
    path("labels/", views_labels.label_sheet, name="labels"),
    path("shopping/", views_shopping.shopping_list, name="shopping"),
    path("shopping/orders/", views_shopping.order_create, name="shopping_order"),
    path("shopping/digest/", views_shopping.digest_toggle, name="shopping_digest"),
    path(
        "shopping/orders/<int:pk>/receive/", views_shopping.order_receive, name="shopping_receive"
    ),
    path("reports/weigh-ins/", views_reports.weigh_in_report, name="weigh_in_report"),
    path("import/", views_imports.import_index, name="import"),
    path("export/<str:kind>.csv", views_imports.export_csv, name="export"),
    path("import/<str:kind>/preview/", views_imports.import_preview, name="import_preview"),
    path("import/<str:kind>/apply/", views_imports.import_apply, name="import_apply"),
]
