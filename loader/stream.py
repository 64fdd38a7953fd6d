"""Staging rows streamed by a server-side cursor (issue 18): a pass over every
row of a file (a million at scale) holds ``ITERSIZE`` rows at a time, never
the whole file, and fills no ORM cache."""

import uuid

ITERSIZE = 2000


def stream(env, query, itersize=ITERSIZE):
    """The rows of ``query`` (an ``odoo.tools.SQL``), fetched ``itersize`` at
    a time by a named (server-side) cursor of this transaction: it sees what
    the transaction wrote, and other queries may run while it is read."""
    env.flush_all()
    # the psycopg2 connection of Odoo's cursor (of the cursor a test cursor
    # wraps): a named cursor lives in its transaction, closed after the pass
    cnx = getattr(env.cr, "_cnx", None) or env.cr._cursor._cnx
    cursor = cnx.cursor(name=f"crm_migration_{uuid.uuid4().hex}")
    try:
        cursor.itersize = itersize
        cursor.execute(query.code, query.params)
        yield from cursor
    finally:
        cursor.close()
