"""A small fixture for the loader's pieces, tested one by one: a project and
a run without any file, and plain stand-ins for object maps, field maps and
staging rows (the pieces read attributes, so a namespace is enough)."""

from types import SimpleNamespace

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from ..loader.cache import RunCache
from ..loader.common import Prepared


def fake_fmap(column, fname, transform="text", ttype="char", **extra):
    """A field map of ``column`` to the real field ``fname``."""
    values = {
        "id": abs(hash((column, fname))) % 100000,
        "column": column,
        "action": "map",
        "target_field_id": SimpleNamespace(name=fname, ttype=ttype, virtual=False),
        "transform": transform,
        "transform_options": {},
        "empty_clears": False,
        "new_field_name": False,
    }
    values.update(extra)
    return SimpleNamespace(**values)


def fake_omap(target="contact", model_name="res.partner", **extra):
    values = {
        "id": False,
        "target": target,
        "model_name": model_name,
        "object_name": f"{target}s",
        "dedupe_rule": "none",
        "extends_only": False,
        "own_model": False,
        "lead_type": "auto",
        "converted": False,
        "field_map_ids": [],
        "_source_key": lambda data, line: f"id:{data.get('ID') or line}",
        "_key_function": lambda: lambda data, line: f"id:{data.get('ID') or line}",
        "_columns_for": lambda *names: [],
    }
    values.update(extra)
    return SimpleNamespace(**values)


def row(row_id, line, **data):
    return SimpleNamespace(id=row_id, line=line, data=data)


def prep(row_id, key, **vals):
    return Prepared(row_id=row_id, line=row_id + 1, key=key, vals=vals)


class LoaderCase(TransactionCase):
    """A project, its default owner and a full run; the run cache built."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.owner = new_test_user(
            cls.env,
            login="piece-owner",
            name="Piece Owner",
            email="owner@pieces.example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Loader pieces",
                "system": "generic",
                "default_user_id": cls.owner.id,
                "phone_region": "US",
            }
        )
        cls.mig_run = cls.env["migration.run"].create(
            {"project_id": cls.project.id, "kind": "full"}
        )

    def setUp(self):
        super().setUp()
        self.cache = RunCache.build(
            self.env, self.mig_run, self.env["migration.object.map"]
        )

    @classmethod
    def _staged(cls, name, target, rows, maps, **omap_vals):
        """A hand-built source ``name`` of staging rows (``rows``: dicts of
        cells, on lines 2, 3...) and its confirmed object map to ``target``
        keyed by its ``ID`` column, each column of ``maps`` mapped to the
        field it names; returns (object map, staging rows)."""
        project = omap_vals.pop("project", cls.project)
        source = cls.env["migration.source"].create(
            {"project_id": project.id, "name": name, "state": "staged"}
        )
        staged = cls.env["migration.staging.row"].create(
            [
                {
                    "project_id": project.id,
                    "source_id": source.id,
                    "object_name": name,
                    "line": line,
                    "data": data,
                }
                for line, data in enumerate(rows, start=2)
            ]
        )
        TargetField = cls.env["migration.target.field"]
        TargetField._sync_catalogue()  # as a proposal does first
        omap = cls.env["migration.object.map"].create(
            {
                "project_id": project.id,
                "source_id": source.id,
                "object_name": name,
                "target": target,
                "key_rule": "column",
                "key_column": "ID",
                "confirmed": True,
                **omap_vals,
                "field_map_ids": [
                    Command.create(
                        {
                            "column": column,
                            "action": "map",
                            "target_field_id": TargetField._get(target, fname).id,
                            "transform": transform,
                            "confirmed": True,
                        }
                    )
                    for column, (fname, transform) in maps.items()
                ],
            }
        )
        return omap, staged
