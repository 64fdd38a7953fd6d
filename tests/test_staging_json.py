"""Staging a file serialises each row once: the JSON stored (as jsonb) is the
one its row hash is of, and the rows of a chunk go in one INSERT whose
parameters psycopg2 quotes in C (loader/rows.execute_rows)."""

import hashlib
import json
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged


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
