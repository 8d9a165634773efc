"""Every write in accounts: sign-up and users, workspaces, members, invitations, API tokens
(throttling: `throttle.py`). Callers use `from printops.accounts import services` and
`services.<name>`; the modules are how the code is kept.
"""

from printops.accounts.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_find,
    invitation_revoke,
)
from printops.accounts.services.members import (
    membership_change_role,
    membership_remove,
    membership_set_by_admin,
    membership_set_workstation,
)
from printops.accounts.services.tokens import (
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from printops.accounts.services.users import user_create, user_set_password_by_admin, user_sign_up
from printops.accounts.services.workspaces import (
    WORKSPACE_FIELDS,
    workspace_create,
    workspace_update,
)

__all__ = [
    "TOKEN_PREFIX",
    "WORKSPACE_FIELDS",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "invitation_accept",
    "invitation_create",
    "invitation_find",
    "invitation_revoke",
    "membership_change_role",
    "membership_remove",
    "membership_set_by_admin",
    "membership_set_workstation",
    "user_create",
    "user_set_password_by_admin",
    "user_sign_up",
    "workspace_create",
    "workspace_update",
]
