"""Row preparation, on its own: a staging row and its field maps -> exact
values and issues (phone labels, streets on two lines, empty cells that
clear, dates read against their column's order)."""

import datetime as dt
from unittest.mock import patch

from odoo.tests import tagged

from ..engine.transform import TRANSFORMS
from ..loader.prepare import Preparer, transform_options
from ..loader.resolve import Resolver
from ..loader.writer import Writer
from .loader_common import LoaderCase, fake_fmap, fake_omap, row


@tagged("post_install", "-at_install")
class TestLoaderPrepare(LoaderCase):
    def setUp(self):
        super().setUp()
        resolver = Resolver(self.env, self.cache, Writer(self.env))
        self.preparer = Preparer(self.env, self.cache, resolver)
        self.omap = fake_omap("contact")

    def _prepare(self, fmaps, **data):
        return self.preparer.prepare_row(self.omap, fmaps, row(7, 3, **data))

    def test_a_row_becomes_exact_values(self):
        fmaps = [
            fake_fmap("Name", "name"),
            fake_fmap("Mail", "email", transform="email", ttype="email"),
            fake_fmap("Phone", "phone", transform="phone", ttype="phone"),
            fake_fmap("Street", "street"),
        ]
        result = self._prepare(
            fmaps,
            ID="c-1",
            Name=" Ann Lee ",
            Mail="ANN@X.example",
            Phone="555 201 0100",
            Street="909 Robson St\nBureau 300",
        )
        self.assertEqual(
            result.vals,
            {
                "name": "Ann Lee",
                "email": "ann@x.example",
                "phone": "+15552010100",
                "street": "909 Robson St",
                "street2": "Bureau 300",
            },
        )
        self.assertEqual((result.row_id, result.line, result.key), (7, 3, "id:c-1"))
        self.assertEqual(result.issues, [])

    def test_a_phone_labelled_mobile_goes_to_mobile(self):
        fmaps = [fake_fmap("Phone 1", "phone", transform="phone", ttype="phone")]
        result = self._prepare(
            fmaps, **{"Phone 1": "555 201 0100", "Phone 1 Type": "Cell"}
        )
        self.assertEqual(result.vals, {"mobile": "+15552010100"})

    def test_each_distinct_value_of_a_column_is_transformed_once(self):
        """A column's transform runs once per distinct value (a company's phone
        on each of its contacts), not once per cell; a bad value is still
        reviewed on every row that has it."""
        calls, real = [], TRANSFORMS["phone"]

        def counted(value, region="US", strict=False):
            calls.append(value)
            return real(value, region=region, strict=strict)

        fmaps = [fake_fmap("Phone", "phone", transform="phone", ttype="phone")]
        cells = ["555 201 0100", "555 201 0100", "12", "555 201 0100", "12"]
        with patch.dict(TRANSFORMS, {"phone": counted}):
            got = [
                self._prepare(fmaps, ID=f"c{i}", Phone=cell)
                for i, cell in enumerate(cells)
            ]
        self.assertEqual(calls, ["555 201 0100", "12"])
        self.assertEqual(
            [(r.vals.get("phone"), len(r.issues)) for r in got],
            [
                ("+15552010100", 0),
                ("+15552010100", 0),
                (None, 1),
                ("+15552010100", 0),
                (None, 1),
            ],
        )

    def test_a_bad_value_is_an_issue_not_a_value(self):
        fmaps = [fake_fmap("Mail", "email", transform="email", ttype="email")]
        result = self._prepare(fmaps, Mail="not an email")
        self.assertEqual(result.vals, {})
        self.assertEqual(len(result.issues), 1)
        problem = result.issues[0]
        self.assertEqual(
            (problem["kind"], problem["column"], problem["value"]),
            ("invalid_value", "Mail", "not an email"),
        )

    def test_an_empty_cell_clears_only_when_its_map_says_so(self):
        fmaps = [
            fake_fmap("Job", "function", empty_clears=True),
            fake_fmap("Site", "website"),
        ]
        result = self._prepare(fmaps, Job=" ", Site="")
        self.assertEqual((result.vals, result.cleared), ({}, {"function"}))

    def test_a_date_read_against_its_column_is_reviewed(self):
        fmaps = [
            fake_fmap(
                "Born",
                "date_deadline",
                transform="date",
                ttype="date",
                transform_options={"order": "MDY"},
            )
        ]
        self.omap.model_name = "crm.lead"
        result = self._prepare(fmaps, Born="15/03/2024")
        self.assertEqual(result.vals, {"date_deadline": dt.date(2024, 3, 15)})
        self.assertEqual(
            result.issues[0]["reason"],
            "Read as 2024-03-15 (DMY), although the column's dates are MDY: "
            "check that day and month are not swapped.",
        )

    def test_a_custom_object_key_has_its_own_space(self):
        self.omap.extends_only = True
        self.omap.object_name = "memberships"
        fmaps = [fake_fmap("Mail", "email", transform="email", ttype="email")]
        result = self._prepare(fmaps, ID="m-1", Mail="Ann@X.example")
        self.assertEqual(result.key, "memberships:id:m-1")
        self.assertEqual(result.dedupe, "ann@x.example")

    def test_transform_options(self):
        self.project.source_tz = "America/Chicago"
        self.assertEqual(
            transform_options(
                fake_fmap("D", "date", transform="datetime"), self.project
            ),
            {"order": None, "tz": "America/Chicago"},
        )
        self.assertEqual(
            transform_options(fake_fmap("P", "phone", transform="phone"), self.project),
            {"region": "US"},
        )
        self.assertEqual(
            transform_options(
                fake_fmap(
                    "A", "x", transform="money", transform_options={"decimal": ","}
                ),
                self.project,
            ),
            {"decimal": ","},
        )
        self.assertEqual(transform_options(fake_fmap("T", "x"), self.project), {})
