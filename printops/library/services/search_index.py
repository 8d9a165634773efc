"""Keeping the search rows current: every write to `library_design_search` (and, on SQLite, the
FTS5 table `library_design_fts`), and the generation counter that tells readers the index moved.
What a row holds is worked out in search/documents.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from printops.accounts.models import Workspace
from printops.library.models import SearchGeneration
from printops.library.search.documents import SUMMARY_COLUMNS, search_documents


def search_index_design(*, design_id: int) -> None:
    """(Re)build one design's search row; removes it when the design no longer exists."""
    _write(search_documents(design_ids=[design_id]), delete_design_ids=[design_id])


def search_rebuild(*, workspace: Workspace) -> int:
    """Rebuild every search row of a workspace; returns how many designs were indexed."""
    return search_rebuild_workspace_id(workspace.pk)


def search_rebuild_workspace_id(workspace_id: int) -> int:
    """search_rebuild by id (for migrations, which have no live Workspace object)."""
    documents = search_documents(workspace_id=workspace_id)
    _write(documents, delete_workspace_id=workspace_id)
    return len(documents)


_BATCH = 500


def _write(
    documents: list[dict[str, Any]],
    *,
    delete_design_ids: Sequence[int] = (),
    delete_workspace_id: int | None = None,
) -> None:
    postgres = connection.vendor == "postgresql"
    columns = ", ".join(SUMMARY_COLUMNS)
    placeholders = ", ".join(["%s"] * len(SUMMARY_COLUMNS))
    if postgres:
        insert = (
            f"INSERT INTO library_design_search ({columns}, document) VALUES ({placeholders}, "  # noqa: S608 - placeholders and fixed names only
            "setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B'))"
        )
    else:
        insert = f"INSERT INTO library_design_search ({columns}) VALUES ({placeholders})"  # noqa: S608 - placeholders and fixed names only
    with transaction.atomic(), connection.cursor() as cursor:
        touched = {d["workspace_id"] for d in documents}
        if delete_workspace_id is not None:
            touched.add(delete_workspace_id)
        if delete_design_ids:
            marks = ", ".join(["%s"] * len(delete_design_ids))
            cursor.execute(
                f"SELECT DISTINCT workspace_id FROM library_design_search "  # noqa: S608 - placeholders only
                f"WHERE design_id IN ({marks})",
                list(delete_design_ids),
            )
            touched.update(row[0] for row in cursor.fetchall())
        for workspace_id in touched:
            _bump_generation(workspace_id)
        if delete_workspace_id is not None:
            cursor.execute(
                "DELETE FROM library_design_search WHERE workspace_id = %s", [delete_workspace_id]
            )
            if not postgres:
                cursor.execute(
                    "DELETE FROM library_design_fts WHERE workspace_id = %s", [delete_workspace_id]
                )
        for start in range(0, len(delete_design_ids), _BATCH):
            ids = list(delete_design_ids[start : start + _BATCH])
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM library_design_search WHERE design_id IN ({marks})", ids)  # noqa: S608 - placeholders and fixed names only
            if not postgres:
                cursor.execute(f"DELETE FROM library_design_fts WHERE rowid IN ({marks})", ids)  # noqa: S608 - placeholders and fixed names only
        for start in range(0, len(documents), _BATCH):
            batch = documents[start : start + _BATCH]
            rows: list[list[Any]] = [[d[c] for c in SUMMARY_COLUMNS] for d in batch]
            if postgres:
                rows = [[*row, d["name"], d["body"]] for row, d in zip(rows, batch, strict=True)]
            cursor.executemany(insert, rows)
            if not postgres:
                cursor.executemany(
                    "INSERT INTO library_design_fts (rowid, design_id, workspace_id, name, body) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        [d["design_id"], d["design_id"], d["workspace_id"], d["name"], d["body"]]
                        for d in batch
                    ],
                )


def _bump_generation(workspace_id: int) -> None:
    if SearchGeneration.objects.filter(workspace_id=workspace_id).update(
        generation=F("generation") + 1
    ):
        return
    try:
        with transaction.atomic():
            SearchGeneration.objects.create(workspace_id=workspace_id, generation=1)
    except IntegrityError:  # created by a concurrent write
        SearchGeneration.objects.filter(workspace_id=workspace_id).update(
            generation=F("generation") + 1
        )
