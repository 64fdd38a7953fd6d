"""What precedes a run reads a file once: the profile is made by the staging
pass (engine.profile.TableProfile), not by a second read and decoding of the
stored file; the staging rows' shared columns are written once per chunk."""

from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from ..engine import readers
from ..engine.profile import profile_table
from ..loader import rows as loader_rows

CONTACTS = (
    "Contact ID;Nome;E-mail;Cidade;Criado\n"
    + "".join(
        f"P{i};Jo\xe3o {i % 7};j{i % 30}@example.com;S\xe3o Paulo;"
        f"{1 + i % 28:02d}/03/2024\n"
        for i in range(40)
    )
).encode()


@tagged("post_install", "-at_install")
class TestFrontOnce(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.project = cls.env["migration.project"].create(
            {"name": "Front once", "system": "generic"}
        )

    def _opens(self, step):
        """The stored files opened (encoding and delimiter detected) by ``step``."""
        opened = []
        real = readers.open_tables

        def open_tables(*args, **kwargs):
            opened.append(args[0] if args else kwargs.get("name"))
            return real(*args, **kwargs)

        with patch.object(readers, "open_tables", open_tables):
            step()
        return opened

    def test_the_profile_is_the_staging_pass_s(self):
        """Profiling a file just staged opens no file (one open per file
        before: the stored bytes decoded and parsed again); the profile is
        the one a read of the stored file gives, figure for figure."""
        source = self.project._add_file("contacts.csv", CONTACTS)
        self.assertEqual(self._opens(self.project.action_profile), [])
        self.assertEqual(source.state, "profiled")
        self.assertEqual(source.profile, profile_table(source._get_table()))
        self.assertEqual(source.profile["rows"], 40)
        self.assertEqual(source.profile["encoding"], "utf-8")
        self.assertEqual(
            len(source.profile["duplicate_emails"]), 10
        )  # j0..j9 on several lines

    def test_a_file_changed_after_staging_is_read_again(self):
        """A profile kept from staging is only used for the file it was made
        of: another stored file (a new attachment) is read again."""
        source = self.project._add_file("contacts.csv", CONTACTS)
        other = CONTACTS.replace("S\xe3o Paulo".encode(), b"Campinas")
        source.attachment_id = self.env["ir.attachment"].create(
            {"name": "contacts.csv", "raw": other}
        )
        self.assertEqual(self._opens(self.project.action_profile), ["contacts.csv"])
        city = next(c for c in source.profile["columns"] if c["name"] == "Cidade")
        self.assertEqual(city["top_values"], [["Campinas", 40]])
        # and profiled again later (the kept profile is used once): read again
        self.assertEqual(self._opens(self.project.action_profile), ["contacts.csv"])

    def test_a_chunk_s_shared_columns_are_written_once(self):
        """40 rows staged: each row's line, data, hash and key written in
        COPY's text (4 values a row), the project, source, company, object,
        state, users and dates once for the chunk (9): 169 values, 520 before
        (13 a row)."""
        written = []
        real = loader_rows.copy_text

        def copy_text(value):
            written.append(value)
            return real(value)

        with patch.object(loader_rows, "copy_text", copy_text):
            source = self.project._add_file("contacts.csv", CONTACTS)
        self.assertEqual(len(written), 4 * 40 + 9)
        rows = source.staging_row_ids.sorted("line")
        self.assertEqual(len(rows), 40)
        self.assertEqual(
            (rows[0].project_id, rows[0].source_id, rows[0].company_id),
            (self.project, source, self.project.company_id),
        )
        self.assertEqual(
            (rows[0].object_name, rows[0].state, rows[0].create_uid, rows[0].line),
            ("contacts", "staged", self.env.user, 2),
        )
        self.assertEqual(rows[-1].data["Nome"], "Jo\xe3o 4")  # 39 % 7
