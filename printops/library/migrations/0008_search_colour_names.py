"""Rebuild every search row, so stored versions get the product's colour names.

The search words of a colour used to come from the library's own palette (#2850E0 was
"purple"); they now come from materials.colour, as the rest of the product. The colours
themselves are stored as hex, so only the words change.
"""

from django.db import DatabaseError, migrations, transaction


def _rebuild(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT workspace_id FROM library_design")
        workspace_ids = [row[0] for row in cursor.fetchall()]
    if not workspace_ids:
        return
    # Live code, as in 0002: the index is built by one module. Should a later migration change
    # the tables it reads, this one steps aside with a sentence instead of stopping the upgrade.
    from printops.library.services.search_index import search_rebuild_workspace_id

    try:
        with transaction.atomic():
            for workspace_id in workspace_ids:
                search_rebuild_workspace_id(workspace_id)
    except DatabaseError as error:
        print(f"  Search rows not rebuilt ({error}): run `printops manage search_reindex`.")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0007_filament_usage_match"),
    ]

    operations = [migrations.RunPython(_rebuild, migrations.RunPython.noop)]
