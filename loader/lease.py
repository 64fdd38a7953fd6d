"""Who is working on a run: a PostgreSQL session-level advisory lock, held by a
connection of the worker's own for as long as it loads (or rolls back) the run.

A run commits batch by batch, so a lock inside the run's transaction (a row
lock, a transaction-level advisory lock) would be released at every commit.
Odoo's cursors borrow pooled connections that outlive the cursor, so a
session-level lock taken on one would outlive the run. Hence a connection of
its own, outside the pool: PostgreSQL drops its locks the moment the process
dies (SIGKILL, out of memory, a crashed server), which is what tells a live run
from a dead one. OCA queue_job detects dead jobs the same way (a row of
``queue_job_lock`` locked by the worker, probed with ``SKIP LOCKED``).

A lock this process is done with is unlocked before its connection is closed:
closing returns at once, while the server process of that session drops its
locks only when it exits, a moment later on a busy machine; the next run (or a
check of the lock) in that moment found the run "worked on by another process".

>>> Lease("db", 7).key
(1129467185, 7)
"""

import logging

import psycopg2

from odoo.sql_db import connection_info_for

_logger = logging.getLogger(__name__)

# the first of the two int4 keys: 'CRM1', so no other module's lock collides
NAMESPACE = 0x43524D31


class Lease:
    """The advisory lock of one migration.run, on a connection of its own."""

    def __init__(self, dbname, run_id):
        self.dbname = dbname
        self.key = (NAMESPACE, run_id)
        self.cnx = None

    def _connect(self):
        _name, info = connection_info_for(self.dbname)
        cnx = psycopg2.connect(**info)
        cnx.autocommit = True
        return cnx

    def _try_lock(self, cnx):
        with cnx.cursor() as cr:
            cr.execute("SELECT pg_try_advisory_lock(%s, %s)", self.key)
            return cr.fetchone()[0]

    def _close(self, cnx, locked):
        """Close ``cnx``, its lock (if ``locked``) released first (see the
        module's docstring)."""
        try:
            if locked:
                with cnx.cursor() as cr:
                    cr.execute("SELECT pg_advisory_unlock(%s, %s)", self.key)
        except psycopg2.Error:
            _logger.info("lease %s: its connection was already gone", self.key)
        finally:
            cnx.close()

    def acquire(self):
        """Take the lock; False when another live process holds it."""
        cnx = self._connect()
        if not self._try_lock(cnx):
            cnx.close()
            return False
        self.cnx = cnx
        return True

    def release(self):
        if self.cnx is not None:
            self._close(self.cnx, locked=True)
            self.cnx = None

    def held(self):
        """Whether a live process (this one included) holds the lock now."""
        if self.cnx is not None:
            return True
        cnx = self._connect()
        locked = False
        try:
            locked = self._try_lock(cnx)
            return not locked
        finally:
            self._close(cnx, locked)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
