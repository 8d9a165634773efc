"""Roles and what each may do. Services check these; views only hide what a role cannot use."""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    OPERATOR = "operator", "Operator"
    VIEWER = "viewer", "Viewer"


class Perm(StrEnum):
    VIEW = "view"
    RUN_PRODUCTION = "run_production"  # queue, start, finish and fail prints
    MANAGE_STOCK = "manage_stock"  # spools, stock counts, sales
    EDIT_CATALOGUE = "edit_catalogue"  # designs, filaments, products
    EDIT_SETTINGS = "edit_settings"  # categories, printers, portal settings
    MANAGE_MEMBERS = "manage_members"  # invitations, roles, workstations
    MANAGE_WORKSPACE = "manage_workspace"  # name, currency, units, time zone


_VIEWER = frozenset({Perm.VIEW})
_OPERATOR = _VIEWER | {Perm.RUN_PRODUCTION, Perm.MANAGE_STOCK}
_MANAGER = _OPERATOR | {Perm.EDIT_CATALOGUE, Perm.EDIT_SETTINGS}
_OWNER = _MANAGER | {Perm.MANAGE_MEMBERS, Perm.MANAGE_WORKSPACE}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.VIEWER: _VIEWER,
    Role.OPERATOR: _OPERATOR,
    Role.MANAGER: _MANAGER,
    Role.OWNER: _OWNER,
}

PERMISSION_SENTENCES: dict[Perm, str] = {
    Perm.VIEW: "You are not a member of this workspace.",
    Perm.RUN_PRODUCTION: "Only operators, managers and owners can run production.",
    Perm.MANAGE_STOCK: "Only operators, managers and owners can change stock.",
    Perm.EDIT_CATALOGUE: "Only managers and owners can edit the catalogue.",
    Perm.EDIT_SETTINGS: "Only managers and owners can change settings.",
    Perm.MANAGE_MEMBERS: "Only owners can manage members.",
    Perm.MANAGE_WORKSPACE: "Only owners can change the workspace.",
}


def role_allows(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
