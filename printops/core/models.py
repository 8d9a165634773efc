"""Shared kernel models: the workspace-scoped base and content-addressed blobs."""

from __future__ import annotations

from django.db import models


class WorkspaceScoped(models.Model):
    """Base for every domain row: it belongs to exactly one workspace."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class Blob(models.Model):
    """A content-addressed file: one stored copy per distinct content, whoever uploaded it.

    Blobs are reached only through workspace-scoped rows that point at them, so a blob id alone
    never grants access.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    size_bytes = models.BigIntegerField()
    media_type = models.CharField(max_length=127, default="application/octet-stream")
    storage_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size_bytes__gte=0), name="blob_size_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size_bytes} bytes)"
