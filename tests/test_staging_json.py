"""Staging a file serialises each row once: the JSON stored (as jsonb) is the
one its row hash is of, and the rows of a chunk go in one COPY
(loader/rows.copy_rows)."""

import hashlib
import json
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from ..loader import rows as loader_rows


@tagged("post_install", "-at_install")
class TestStagingJson(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.project = cls.env["migration.project"].create(
            {"name": "Staging JSON", "system": "generic"}
        )

    def test_each_row_is_serialised_once_and_stored_as_hashed(self):
        """40 rows: 40 json.dumps of a row (80 before: one for the hash, one
        for the INSERT); each row's data and hash as before (the hash of its
        canonical JSON)."""
        lines = ["Contact ID,Nome,Email,Notes"] + [
            f'P{i},João {i},j{i}@example.com,"line ""{i}"", ação"' for i in range(40)
        ]
        dumped = []
        real = json.dumps

        def dumps(obj, *args, **kwargs):
            if isinstance(obj, dict) and "Contact ID" in obj:
                dumped.append(obj["Contact ID"])
            return real(obj, *args, **kwargs)

        with patch("json.dumps", dumps):
            source = self.project._add_file("contacts.csv", "\n".join(lines).encode())
        self.assertEqual(sorted(dumped), sorted(f"P{i}" for i in range(40)))
        rows = source.staging_row_ids.sorted("line")
        self.assertEqual(rows.mapped("line"), list(range(2, 42)))
        first = {
            "Contact ID": "P0",
            "Nome": "João 0",
            "Email": "j0@example.com",
            "Notes": 'line "0", ação',
        }
        self.assertEqual(rows[0].data, first)
        canonical = real(
            first, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        self.assertEqual(rows[0].row_hash, hashlib.sha1(canonical.encode()).hexdigest())
        self.assertEqual(
            (rows[0].state, rows[0].object_name, rows[0].source_key),
            ("staged", "contacts", False),
        )
        self.assertEqual(rows[0].create_uid, self.env.user)
        self.assertEqual(rows[0].company_id, self.project.company_id)
        self.assertEqual(source.row_count, 40)

    def test_a_chunk_is_copied_with_every_character_kept(self):
        """The rows of a chunk go in by COPY (loader.rows.copy_rows), not by
        a multi-row INSERT that PostgreSQL parses (one on the old code): the
        backslashes, tabs, line breaks and the text \\N of the cells stored
        as they were read, the dates those create() gives."""
        cells = [
            "C:\\new\\table",
            "a\tb",
            "two\nlines",
            "\\N",
            'quote "x" \\"',
        ]
        lines = ["Contact ID,Value"] + [
            f'P{i},"{cell.replace(chr(34), chr(34) * 2)}"'
            for i, cell in enumerate(cells)
        ]
        inserts = []
        real = loader_rows.execute_values

        def execute_values(cur, query, *args, **kwargs):
            text = query if isinstance(query, str) else query.as_string(cur)
            if "migration_staging_row" in text:
                inserts.append(text)
            return real(cur, query, *args, **kwargs)

        with patch.object(loader_rows, "execute_values", execute_values):
            source = self.project._add_file("people.csv", "\r\n".join(lines).encode())
        self.assertEqual(inserts, [])
        rows = source.staging_row_ids.sorted("line")
        self.env.invalidate_all()
        self.assertEqual(
            rows.mapped("data"),
            [{"Contact ID": f"P{i}", "Value": cell} for i, cell in enumerate(cells)],
        )
        self.env.cr.execute(
            "SELECT DISTINCT create_date, write_date, state FROM migration_staging_row "
            "WHERE source_id = %s",
            [source.id],
        )
        now = self.env.cr.now()
        self.assertEqual(self.env.cr.fetchall(), [(now, now, "staged")])
        # a carriage return (the readers make line breaks \n) and NULL
        self.assertEqual(loader_rows.copy_text("a\rb"), "a\\rb")
        self.assertEqual(loader_rows.copy_text(None), "\\N")

    def test_a_nul_character_past_the_file_s_head_does_not_stop_the_upload(self):
        """A NUL past the first 64 KB (where the binary check looks) or in a
        JSON page's text: PostgreSQL's jsonb refuses \\u0000. The upload
        goes on, the row is kept with the character dropped (a lone
        surrogate kept as U+FFFD)."""
        lines = ["Contact ID,Name,Notes"] + [
            f"P{i},Ann {i},{'x' * 80}" for i in range(1000)
        ]
        lines[900] = "P899,Ann\x00 899,bad\x00byte"
        source = self.project._add_file("contacts.csv", "\n".join(lines).encode())
        self.assertEqual(source.row_count, 1000)
        row = source.staging_row_ids.filtered(lambda r: r.line == 901)
        self.assertEqual(row.data["Name"], "Ann 899")
        self.assertEqual(row.data["Notes"], "badbyte")
        page = json.dumps([{"Id": 1, "Name": "Bad\u0000 name"}]).encode()
        source = self.project._add_file("people.json", page)
        self.assertEqual(source.staging_row_ids.data["Name"], "Bad name")
        # a lone surrogate (a bad \\ud800 escape), which UTF-8 cannot hold
        source = self.project._add_file(
            "users.json", b'[{"Id": 1, "Name": "A\\ud800B"}]'
        )
        self.assertEqual(source.staging_row_ids.data["Name"], "A\ufffdB")
