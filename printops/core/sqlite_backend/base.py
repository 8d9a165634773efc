"""SQLite whose write transactions queue on a lock, not in SQLite's busy handler.

SQLite has one writer at a time. Under `BEGIN IMMEDIATE` a second writer waits in SQLite's busy
handler, which sleeps and polls (naps of up to 100 ms), so 8 clients consuming grams at once saw
a p99 of 1.5 s while the database file sat idle between the naps. Here the start of every write
transaction (every outermost `transaction.atomic()`; IMMEDIATE makes each one a write) first
takes a lock: a threading lock inside the process, then an exclusive `flock` on a file beside
the database, shared by every process that opens it (the web workers and the task worker). A
waiting thread wakes the moment the previous writer commits or rolls back. Statements outside a
transaction (autocommit) still meet the busy handler; they are few and short.

WAL checkpoints (copying the log back into the database file, with an fsync) run in a thread
of their own, not in whichever request's commit crossed SQLite's 1 000-page mark: there they
held the write lock for 30–90 ms, so every writer queued behind one request's fsync. Each
process that opens the database checkpoints it every half second, PASSIVE (it never waits for
or blocks a writer).

In-memory databases (the test suite's default) are left alone: one process, no file to lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base

# One lock per process: Django gives each thread its own connection, so the thread lock queues
# this process's writers and the flock queues the processes.
_THREAD_LOCK = threading.Lock()
_FILES: dict[str, int] = {}
_FILES_LOCK = threading.Lock()
# Waiting for another process polls the flock at this interval (a blocking flock cannot time
# out in a thread); it is the only wait that is not woken at once. It must be short beside a
# write transaction (~1 ms): at 2 ms a waiting process mostly found the lock re-taken by the
# holder's next thread, and 8 clients consuming grams made 213 req/s, p99 112–139 ms; at 0.25 ms,
# 255–282 req/s, p99 90–118 ms (a blocking flock measured the same). One thread per process
# polls (the others queue on the thread lock), so the wake-ups cost next to nothing.
_POLL_SECONDS = 0.00025


CHECKPOINT_SECONDS = 0.5
# A log longer than this (4 KB pages: 16 MB) is finished under the write lock so it restarts.
RESTART_LOG_PAGES = 4000
_CHECKPOINTED: set[str] = set()  # database files this process has a checkpoint thread for
logger = logging.getLogger(__name__)


def _after_fork_in_child() -> None:
    # A forked worker must not share the parent's open file (a flock belongs to the open file,
    # so parent and child would both "hold" it) nor a lock some parent thread held.
    global _THREAD_LOCK, _FILES_LOCK
    _THREAD_LOCK, _FILES_LOCK = threading.Lock(), threading.Lock()
    for fd in _FILES.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _FILES.clear()
    _CHECKPOINTED.clear()  # threads do not survive a fork: the child starts its own


os.register_at_fork(after_in_child=_after_fork_in_child)


def _lock_fd(path: str) -> int:
    with _FILES_LOCK:
        fd = _FILES.get(path)
        if fd is None:
            fd = _FILES[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return fd


def lock_writes(path: str, timeout: float) -> int | None:
    """Take this process's thread lock, then the flock on `path`; the flock's file descriptor,
    or None after `timeout` seconds (the caller then leaves it to SQLite's busy handler)."""
    deadline = time.monotonic() + timeout
    if not _THREAD_LOCK.acquire(timeout=timeout):
        return None
    fd = _lock_fd(path)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() > deadline:
                    _THREAD_LOCK.release()
                    return None
                time.sleep(_POLL_SECONDS)
    except BaseException:
        _THREAD_LOCK.release()
        raise


def unlock_writes(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        _THREAD_LOCK.release()


def _start_checkpoints(database: str, lock_path: str) -> None:
    with _FILES_LOCK:
        if database in _CHECKPOINTED:
            return
        _CHECKPOINTED.add(database)
    threading.Thread(
        target=_checkpoint_forever,
        args=(database, lock_path),
        name="sqlite-checkpoint",
        daemon=True,
    ).start()


def _checkpoint_forever(database: str, lock_path: str) -> None:
    connection = sqlite3.connect(database, timeout=0, isolation_level=None)
    failed = False
    while True:
        time.sleep(CHECKPOINT_SECONDS)
        try:
            _checkpoint(connection, lock_path)
            failed = False
        except sqlite3.Error as error:  # e.g. the disk is full; the next round tries again
            # Busy means another connection was checkpointing or resetting the log at that
            # instant (at a first start, the migrations' own checkpoints): nothing is wrong,
            # and a warning would be a stray line on the console of `printops createuser`.
            if _is_busy(error):
                continue
            if not failed:
                logger.warning("SQLite checkpoint of %s failed: %s", database, error)
            failed = True


def _is_busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY or one of its extended codes (recovery, snapshot, timeout)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def _checkpoint(connection: sqlite3.Connection, lock_path: str) -> None:
    """Copy the log into the database beside the writers; when the log has grown long, finish
    the copy with the writers held off for that moment, so the next writer can start the log
    over (under steady writes a checkpoint beside them never catches up, and the log grew by
    25 MB a second)."""
    ((_, log_pages, _),) = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    if log_pages < RESTART_LOG_PAGES:
        return
    fd = lock_writes(lock_path, timeout=CHECKPOINT_SECONDS)
    if fd is None:
        return
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        unlock_writes(fd)


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite with writers queued on a lock. The four hooks below wrap private methods of
    Django's wrapper that django-stubs 5.2.9 does not declare, hence their `type: ignore`."""

    _write_lock_fd: int | None = None

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db() or not self.settings_dict.get("WRITE_LOCK_SECONDS", 20):
            return None
        return f"{self.settings_dict['NAME']}.write-lock"

    def _acquire_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._write_lock_fd is not None:
            return
        self._write_lock_fd = lock_writes(path, float(self.settings_dict["WRITE_LOCK_SECONDS"]))

    def _release_write_lock(self) -> None:
        fd, self._write_lock_fd = self._write_lock_fd, None
        if fd is not None:
            unlock_writes(fd)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        # Opening runs the init PRAGMAs, and `journal_mode=WAL` needs the database briefly to
        # itself: workers opening at once met "database is locked" with a short busy timeout.
        # Connections persist (CONN_MAX_AGE), so queueing the opens on the write lock is cheap.
        self._acquire_write_lock()
        try:
            connection = super().get_new_connection(conn_params)
        finally:
            self._release_write_lock()
        lock_path = self._lock_path()
        if lock_path is not None:
            connection.execute("PRAGMA wal_autocheckpoint=0")  # the thread below does it
            _start_checkpoints(str(self.settings_dict["NAME"]), lock_path)
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
