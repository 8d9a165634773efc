import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from printops.accounts.actor import Actor
from printops.accounts.roles import Role
from printops.core.models import Blob
from tests.api_world import World, build_world
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory


@pytest.fixture(scope="module")
def world_for_the_module(django_db_setup, django_db_blocker):
    """tests/api_world.py's world built once per test module (in each test process), inside a
    transaction rolled back after the module's last test. Each test runs in a savepoint within
    it (pytest-django's `db`), so every test still starts from exactly these rows, without the
    ~50 ms of building them again for each of the ~270 tests that walk the API document."""
    with django_db_blocker.unblock(), transaction.atomic():
        workspace = WorkspaceFactory(name="Alice Prints", slug="alice-prints")
        user = UserFactory(email="alice@example.com", name="Alice")
        membership = MembershipFactory(workspace=workspace, user=user, role=Role.OWNER)
        world = build_world(Actor(user=user, membership=membership))
        stored = {}
        for key in Blob.objects.values_list("storage_key", flat=True):
            with default_storage.open(key) as stored_file:
                stored[key] = stored_file.read()
        yield world, stored
        transaction.set_rollback(True)


@pytest.fixture
def world(world_for_the_module, db) -> World:
    # Rows come back with each test's rollback, stored bytes do not: a test that deleted a
    # version also deleted its file, so put back whatever an earlier test removed.
    world, stored = world_for_the_module
    for key, content in stored.items():
        if not default_storage.exists(key):
            default_storage.save(key, ContentFile(content))
    return world


def pytest_collection_modifyitems(items):
    """Give each schemathesis case its own node id. Under pytest 9 every case of
    test_schemathesis.py gets the bare function's id (its name alone carries the operation),
    and xdist's `--dist loadgroup` (make test) keys tests by id: 74 of the 75 cases were
    silently never run there, while `make test-fast` ran them all."""
    for item in items:
        if type(item).__name__ == "SchemathesisFunction" and "[" not in item.nodeid:
            item._id = item.parent.id.child(item.name)  # pytest 9's Node._id: how __init__ sets it
