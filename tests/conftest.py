"""Personas used across the suite:

- alice: owner of "Alice Prints"
- bob: operator in Alice Prints
- charlie: owner of another workspace, "Charlie Makerspace" (the outsider)
- visitor: not signed in (the plain `client`)
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from printops.accounts.actor import Actor
from printops.accounts.models import Membership
from printops.accounts.roles import Role
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_ignore_collect(collection_path, config):
    """Under `-m "not e2e"` (make test-fast) the browser tests are not even imported: every
    test in tests/e2e is marked e2e by its conftest, and importing them loads Playwright."""
    if collection_path.name == "e2e" and config.getoption("markexpr") == "not e2e":
        return True
    return None


@pytest.fixture(autouse=True, scope="session")
def _one_sandbox_child_per_thread():
    """Uploads in the suite read their files with one long-lived sandbox child per thread (as
    an import does) instead of starting a child per file, ~80 ms of CPU each; the files are the
    suite's own. tests/library/test_sandbox.py checks the one-child-per-file path too."""
    from printops.library.sandbox import reusing_workers

    with reusing_workers():
        yield


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory, worker_id):
    """`copy(target)` puts a data dir whose SQLite file has every migration applied at
    `target`: tests that run `printops` in a new process but are not about a first start copy
    it instead of migrating a fresh file (~3 s of CPU each). Made once per run, under a lock
    shared by the xdist workers."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    template = shared / "migrated-data"
    with open(shared / "migrated-data.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "done").exists():
            env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
            env["PRINTOPS_DATA_DIR"] = str(template)
            subprocess.run(
                [sys.executable, "-m", "printops.cli", "manage", "migrate", "--verbosity", "0"],
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
            # Fold the migrations' write-ahead log into the file, as a long-running server's
            # checkpoints would: a copied 2.5 MB log makes the copy's checkpoint thread race
            # the command for the lock.
            database = sqlite3.connect(template / "printops.sqlite3")
            database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            database.close()
            (template / "done").touch()

    def copy(target: Path) -> Path:
        shutil.copytree(template, target, ignore=shutil.ignore_patterns("done", "*-wal", "*-shm"))
        return target

    return copy


@pytest.fixture(autouse=True)
def _empty_cache():
    """Row ids repeat between tests (rolled back); cached figures keyed by them must not."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def alice_membership(db) -> Membership:
    workspace = WorkspaceFactory(name="Alice Prints", slug="alice-prints")
    user = UserFactory(email="alice@example.com", name="Alice")
    return MembershipFactory(workspace=workspace, user=user, role=Role.OWNER)


@pytest.fixture
def alice(alice_membership):
    return alice_membership.user


@pytest.fixture
def workspace(alice_membership):
    return alice_membership.workspace


@pytest.fixture
def bob_membership(workspace) -> Membership:
    user = UserFactory(email="bob@example.com", name="Bob")
    return MembershipFactory(workspace=workspace, user=user, role=Role.OPERATOR)


@pytest.fixture
def bob(bob_membership):
    return bob_membership.user


@pytest.fixture
def charlie_membership(db) -> Membership:
    workspace = WorkspaceFactory(name="Charlie Makerspace", slug="charlie-makerspace")
    user = UserFactory(email="charlie@example.com", name="Charlie")
    return MembershipFactory(workspace=workspace, user=user, role=Role.OWNER)


@pytest.fixture
def charlie(charlie_membership):
    return charlie_membership.user


@pytest.fixture
def alice_actor(alice_membership) -> Actor:
    return Actor(user=alice_membership.user, membership=alice_membership)


@pytest.fixture
def bob_actor(bob_membership) -> Actor:
    return Actor(user=bob_membership.user, membership=bob_membership)


@pytest.fixture
def charlie_actor(charlie_membership) -> Actor:
    return Actor(user=charlie_membership.user, membership=charlie_membership)


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def charlie_client(charlie) -> Client:
    client = Client()
    client.force_login(charlie)
    return client
