from django.urls import path

from printops.materials.views import filaments, imports, labels, reports, shopping, spools

app_name = "materials"

urlpatterns = [
    path("", filaments.index, name="index"),
    path("vendors/", filaments.vendors, name="vendors"),
    path("vendors/<int:pk>/", filaments.vendor_edit, name="vendor_edit"),
    path("filaments/new/", filaments.filament_new, name="filament_new"),
    path("colour-hint/", filaments.colour_hint, name="colour_hint"),
    path("filaments/<int:pk>/", filaments.filament_detail, name="filament"),
    path("filaments/<int:pk>/edit/", filaments.filament_edit, name="filament_edit"),
    path("spools/<int:pk>/", spools.spool_detail, name="spool"),
    path("spools/<int:pk>/weigh-in/", spools.spool_weigh_in, name="spool_weigh_in"),
    path("spools/<int:pk>/empty/", spools.spool_mark_empty, name="spool_mark_empty"),
    path("spools/<int:pk>/move/", spools.spool_move, name="spool_move"),
    path("spools/<int:pk>/consume/", spools.spool_consume, name="spool_consume"),
    path("spools/<int:pk>/archive/", spools.spool_archive, name="spool_archive"),
    path("s/<str:code>/", spools.spool_by_code, name="spool_by_code"),
    path("labels/", labels.label_sheet, name="labels"),
    path("shopping/", shopping.shopping_list, name="shopping"),
    path("shopping/orders/", shopping.order_create, name="shopping_order"),
    path("shopping/digest/", shopping.digest_toggle, name="shopping_digest"),
    path("shopping/orders/<int:pk>/receive/", shopping.order_receive, name="shopping_receive"),
    path("reports/weigh-ins/", reports.weigh_in_report, name="weigh_in_report"),
    path("import/", imports.import_index, name="import"),
    path("export/<str:kind>.csv", imports.export_csv, name="export"),
    path("import/<str:kind>/preview/", imports.import_preview, name="import_preview"),
    path("import/<str:kind>/apply/", imports.import_apply, name="import_apply"),
]
