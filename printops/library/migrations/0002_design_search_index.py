"""The library's search index: one denormalized row per design (see printops/library/search.py).

Not Django models (models.py stays the domain's): plain tables written and read by search.py.

- both databases: `library_design_search`, the per-design summary (counts, the best version's
  figures, facet values) that lists and facets are computed from;
- SQLite: `library_design_fts`, an FTS5 table (rowid = design id) for the text;
- PostgreSQL: a `document tsvector` column on `library_design_search` with a GIN index
  ('simple' configuration: names are not stemmed).

No foreign keys on purpose: PostgreSQL's TRUNCATE (test flushes) refuses a table referenced by
one, and search.py joins `library_design` anyway, so a row left by a deleted design is never shown.
"""

from django.db import migrations

SUMMARY_COLUMNS = """
    workspace_id bigint NOT NULL,
    category_id bigint NULL,
    name_key varchar(200) NOT NULL,
    created_at {timestamp} NOT NULL,
    variant_count integer NOT NULL,
    version_count integer NOT NULL,
    best_version_id bigint NULL,
    thumbnail_version_id bigint NULL,
    thumbnail_blob_id bigint NULL,
    print_seconds integer NULL,
    filament_grams double precision NULL,
    materials text NOT NULL,
    colours text NOT NULL,
    printers text NOT NULL,
    slicers text NOT NULL,
    tags text NOT NULL
"""

SQLITE_FORWARD = [
    "CREATE TABLE library_design_search (design_id integer NOT NULL PRIMARY KEY, "
    + SUMMARY_COLUMNS.format(timestamp="datetime")
    + ")",
    "CREATE INDEX library_design_search_ws ON library_design_search (workspace_id, name_key)",
    "CREATE VIRTUAL TABLE library_design_fts USING fts5("
    "design_id UNINDEXED, workspace_id UNINDEXED, name, body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS library_design_fts",
    "DROP TABLE IF EXISTS library_design_search",
]

POSTGRES_FORWARD = [
    "CREATE TABLE library_design_search (design_id bigint NOT NULL PRIMARY KEY, "
    + SUMMARY_COLUMNS.format(timestamp="timestamp with time zone")
    + ", document tsvector NOT NULL)",
    "CREATE INDEX library_design_search_ws ON library_design_search (workspace_id, name_key)",
    "CREATE INDEX library_design_search_document ON library_design_search USING gin (document)",
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS library_design_search"]


def _index_existing(apps, schema_editor):
    """Index designs that exist already (none on a fresh database, so live code is not reached)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT workspace_id FROM library_design")
        workspace_ids = [row[0] for row in cursor.fetchall()]
    if workspace_ids:
        from printops.library.services.search_index import search_rebuild_workspace_id

        for workspace_id in workspace_ids:
            search_rebuild_workspace_id(workspace_id)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"Library search supports SQLite and PostgreSQL, not {vendor}.")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
        migrations.RunPython(_index_existing, migrations.RunPython.noop, elidable=False),
    ]
