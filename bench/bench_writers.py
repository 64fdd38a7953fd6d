"""The writers side by side: notes (mail.message) and activities
(mail.activity) written by base_import, by the loader's ORM writer (batched
``create()``) and by its bulk writer (loader.bulk), in one process and one
database, one after the other, each rolled back so that all three start from
the same state. Run by ``bench/run_bench.sh`` (or ``--writers-only``)::

    python bench/bench_writers.py --notes N --activities M --out w.json -- ODOO_ARGS

What is timed is the writing of the rows a migration's chatter handler has
prepared (the same values the loader gives its writer: html bodies, original
dates, authors, owners, done activities archived), not the whole migration;
base_import gets the same rows as a CSV and maps the same columns, 2,000 rows
a call as the import screen. The documents (companies and opportunities) and
the owners exist before, untimed. Every tool's rows are counted after its load
and the bulk writer must have written every row in bulk (else the check line
fails). Ratios are measured side by side in one run: on a shared machine the
absolute rates move, the ratios much less; the report prints the share of the
machine other processes used.
"""

import argparse
import cProfile
import csv
import datetime
import io
import json
import os
import sys
import time
from pathlib import Path

from odoo.fields import Command

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import (  # noqa: E402 - the bench's own helpers, beside this file
    BATCH_LIMIT,
    OWNERS,
    OtherLoad,
    admin_env,
    open_registry,
    rss_mb,
    split_argv,
    wait_idle,
)

WRITER_BATCH = 500  # the project's default batch size
TOOLS = ("base_import", "orm", "bulk")
TEXTS = (
    "Called {name}: asked about the renewal & the <new> pricing.\nCall back on Monday.",
    "Meeting notes\n- budget approved\n- send the quote to {name}",
    "Left a voicemail for {name}. See https://example.com/case?id={i}&src=crm",
)


class Rows:
    """The notes and activities of the bench, as the chatter handler makes them."""

    def __init__(self, env, notes, activities):
        from odoo.tools import plaintext2html

        self.env = env
        owners = env["res.users"].search([("login", "in", [o[0] for o in OWNERS])])
        self.owners = owners.sorted("login")
        Partner, Lead = env["res.partner"], env["crm.lead"]
        docs = max(notes, activities) // 4 + 1
        self.partners = Partner.create(
            [{"name": f"Bench Company {i}", "is_company": True} for i in range(docs)]
        )
        self.leads = Lead.create(
            [{"name": f"Bench deal {i}", "type": "opportunity"} for i in range(docs)]
        )
        env.cr.commit()
        start = datetime.datetime(2018, 1, 1, 9, 0)
        note_subtype = env.ref("mail.mt_note")
        self.notes = []
        for i in range(notes):
            doc = self.partners[i % docs] if i % 2 else self.leads[i % docs]
            author = self.owners[i % len(self.owners)]
            text = TEXTS[i % len(TEXTS)].format(name=doc.name, i=i)
            self.notes.append(
                {
                    "model": doc._name,
                    "res_id": doc.id,
                    "body": plaintext2html(text),
                    "message_type": "comment",
                    "subtype_id": note_subtype.id,
                    "date": start + datetime.timedelta(minutes=37 * i),
                    "author_id": author.partner_id.id,
                    # base_import: the same values by name
                    "_csv": (doc._name, doc.id, author.partner_id.name, note_subtype),
                }
            )
        types = [
            env.ref(x)
            for x in (
                "mail.mail_activity_data_todo",
                "mail.mail_activity_data_call",
                "mail.mail_activity_data_email",
            )
        ]
        models = {m: env["ir.model"]._get(m) for m in ("res.partner", "crm.lead")}
        today = datetime.date.today()
        self.activities = []
        for i in range(activities):
            doc = self.leads[i % docs] if i % 2 else self.partners[i % docs]
            kind = types[i % len(types)]
            self.activities.append(
                {
                    "res_model_id": models[doc._name].id,
                    "res_id": doc.id,
                    "activity_type_id": kind.id,
                    "summary": f"{kind.name} {doc.name}",
                    "note": plaintext2html(
                        TEXTS[i % len(TEXTS)].format(name=doc.name, i=i)
                    ),
                    "date_deadline": today + datetime.timedelta(days=(i % 60) - 30),
                    "user_id": self.owners[i % len(self.owners)].id,
                    "active": i % 4 != 0,  # a quarter done at the source: archived
                    "_csv": (
                        models[doc._name],
                        kind,
                        self.owners[i % len(self.owners)],
                    ),
                }
            )

    def crm(self, companies, contacts, deals):
        """Companies, contacts of the bench's companies and deals, as the
        loader's handlers give them to the writer (relations as ids, tags as
        link commands), with the same values for base_import by name."""
        env = self.env
        brazil = env.ref("base.br")
        tags = [
            env["res.partner.category"].create({"name": f"Segment {i}"})
            for i in range(3)
        ]
        lead_tags = [env["crm.tag"].create({"name": f"Campaign {i}"}) for i in range(3)]
        stages = env["crm.stage"].search([], order="sequence")
        won = stages.filtered("is_won")[:1]
        open_stages = stages - won
        env.cr.commit()
        self.objects = {"companies": [], "contacts": [], "deals": []}
        for i in range(companies):
            tag = tags[i % len(tags)]
            self.objects["companies"].append(
                (
                    {
                        "name": f"Writer Company {i}",
                        "is_company": True,
                        "vat": f"{10000000 + i}0001{i % 100:02d}",
                        "email": f"info{i}@company{i}.example.com",
                        "phone": f"+55 11 5555-{i % 10000:04d}",
                        "street": f"Rua {i}",
                        "city": "São Paulo",
                        "country_id": brazil.id,
                        "category_id": [Command.link(tag.id)],
                    },
                    [f"Writer Company {i}", "True", f"{10000000 + i}0001{i % 100:02d}",
                     f"info{i}@company{i}.example.com", f"+55 11 5555-{i % 10000:04d}",
                     f"Rua {i}", "São Paulo", brazil.name, tag.name],
                )
            )  # fmt: skip
        for i in range(contacts):
            parent = self.partners[i % len(self.partners)]
            self.objects["contacts"].append(
                (
                    {
                        "name": f"Person {i}",
                        "is_company": False,
                        "parent_id": parent.id,
                        "email": f"person{i}@example.com",
                        "function": "Buyer",
                        "phone": f"+1 555 {i % 10000:04d}",
                    },
                    [f"Person {i}", "False", parent.name, f"person{i}@example.com",
                     "Buyer", f"+1 555 {i % 10000:04d}"],
                )
            )  # fmt: skip
        for i in range(deals):
            partner = self.partners[i % len(self.partners)]
            owner = self.owners[i % len(self.owners)]
            tag = lead_tags[i % len(lead_tags)]
            status = ("open", "open", "open", "won", "lost")[i % 5]
            stage = won if status == "won" else open_stages[i % len(open_stages)]
            vals = {
                "name": f"Deal {i}",
                "type": "opportunity",
                "partner_id": partner.id,
                "stage_id": stage.id,
                "user_id": owner.id,
                "expected_revenue": 1000.0 + i,
                "tag_ids": [Command.link(tag.id)],
            }
            if status != "open":
                vals["probability"] = 100 if status == "won" else 0
            if status == "lost":
                vals["active"] = False
            self.objects["deals"].append(
                (
                    vals,
                    [f"Deal {i}", "opportunity", partner.name, stage.name, owner.name,
                     f"{1000.0 + i}", tag.name, vals.get("probability", ""),
                     "False" if status == "lost" else "True"],
                )
            )  # fmt: skip

    CSV_FIELDS = {
        "companies": ["name", "is_company", "vat", "email", "phone", "street", "city",
                      "country_id", "category_id"],
        "contacts": ["name", "is_company", "parent_id", "email", "function", "phone"],
        "deals": ["name", "type", "partner_id", "stage_id", "user_id", "expected_revenue",
                  "tag_ids", "probability", "active"],
    }  # fmt: skip

    def vals(self, name):
        if name in self.CSV_FIELDS:
            return [dict(vals) for vals, _csv in self.objects[name]]
        rows = self.notes if name == "notes" else self.activities
        return [{k: v for k, v in r.items() if k != "_csv"} for r in rows]

    def csv(self, name):
        """(fields, bytes) of the same rows for base_import."""
        out = io.StringIO()
        writer = csv.writer(out)
        if name in self.CSV_FIELDS:
            writer.writerow(self.CSV_FIELDS[name])
            writer.writerows(cells for _vals, cells in self.objects[name])
            return self.CSV_FIELDS[name], out.getvalue().encode()
        if name == "notes":
            fields_ = [
                "model",
                "res_id",
                "body",
                "message_type",
                "subtype_id/id",
                "date",
                "author_id",
            ]
            writer.writerow(fields_)
            for r in self.notes:
                res_model, res_id, author, subtype = r["_csv"]
                writer.writerow(
                    [
                        res_model,
                        res_id,
                        r["body"],
                        r["message_type"],
                        "mail.mt_note",
                        r["date"].strftime("%Y-%m-%d %H:%M:%S"),
                        author,
                    ]
                )
        else:
            fields_ = [
                "res_model_id/id",
                "res_id",
                "activity_type_id/id",
                "summary",
                "note",
                "date_deadline",
                "user_id",
                "active",
            ]
            writer.writerow(fields_)
            for r in self.activities:
                model, kind, user = r["_csv"]
                writer.writerow(
                    [
                        model.get_external_id()[model.id],
                        r["res_id"],
                        kind.get_external_id()[kind.id],
                        r["summary"],
                        r["note"],
                        r["date_deadline"].isoformat(),
                        user.name,
                        "True" if r["active"] else "False",
                    ]
                )
        return fields_, out.getvalue().encode()


def count(env, model_name):
    env.flush_all()
    model = env[model_name].with_context(active_test=False).sudo()
    return model.search_count([])


def load_base_import(env, name, model_name, rows):
    fields_, data = rows.csv(name)
    ctx = {"tracking_disable": True}
    if model_name == "mail.activity":
        ctx["mail_activity_quick_update"] = True  # as the loader: no mail per activity
    imp = (
        env["base_import.import"]
        .with_context(**ctx)
        .create(
            {
                "res_model": model_name,
                "file": data,
                "file_name": "rows.csv",
                "file_type": "text/csv",
            }
        )
    )
    options = {
        "quoting": '"',
        "separator": ",",
        "encoding": "utf-8",
        "has_headers": True,
        "advanced": True,
        "keep_matches": False,
        "limit": BATCH_LIMIT,
        "skip": 0,
        "tracking_disable": True,
        "date_format": "%Y-%m-%d",
        "datetime_format": "%Y-%m-%d %H:%M:%S",
        "float_thousand_separator": ",",
        "float_decimal_separator": ".",
        "sheets": [],
        "sheet": "",
        "import_skip_records": [],
        "import_set_empty_fields": [],
        "fallback_values": {},
        "name_create_enabled_fields": {},
    }
    errors, skip = [], 0
    while True:
        res = imp.execute_import(fields_, fields_, dict(options, skip=skip))
        errors += [str(m.get("message"))[:200] for m in res.get("messages") or []]
        if not res.get("nextrow"):
            return errors
        skip = res["nextrow"]


def load_writer(env, name, model_name, rows, bulk):
    from odoo.addons.crm_migration.loader.common import Prepared
    from odoo.addons.crm_migration.loader.writer import Writer

    writer = Writer(env, bulk=bulk)
    model = writer.model(model_name)
    vals_list = rows.vals(name)
    errors = []
    for start in range(0, len(vals_list), WRITER_BATCH):
        preps = [
            Prepared(row_id=i, line=i + 1, key=f"k{i}", vals=vals)
            for i, vals in enumerate(vals_list[start : start + WRITER_BATCH], start)
        ]
        _ok, bad = writer.create(model, preps)
        errors += [error for _p, error in bad]
    in_bulk, fallbacks = writer.take_counts()
    return errors, in_bulk, {f"{m}: {r}": n for (m, r), n in fallbacks.items()}


def measure(env, tool, name, model_name, rows, postmaster, profiler=None):
    """One tool writes the rows of one model; timed; rolled back after.
    ``profiler`` (a cProfile.Profile): the load runs under it (not timed)."""
    before = count(env, model_name)
    in_bulk, fallbacks = 0, {}
    with OtherLoad(postmaster) as load:
        if profiler:
            profiler.enable()
        if tool == "base_import":
            errors = load_base_import(env, name, model_name, rows)
        else:
            errors, in_bulk, fallbacks = load_writer(
                env, name, model_name, rows, tool == "bulk"
            )
        env.flush_all()
        if profiler:
            profiler.disable()
    created = count(env, model_name) - before
    env.cr.rollback()
    env.invalidate_all(flush=False)
    return {
        "seconds": load.wall,
        "created": created,
        "errors": errors[:5],
        "error_count": len(errors),
        "in_bulk": in_bulk,
        "fallbacks": fallbacks,
        "cpu": load.as_dict(),
        "rss_mb": rss_mb(),
    }


def run(opts):
    waited, busy = wait_idle(max_wait=opts.max_wait)
    registry = open_registry(opts.odoo_args)
    postmaster = int(os.environ.get("BENCH_PG_PID") or 0)
    result = {
        "idle_wait": {"seconds": waited, "busy_before": busy},
        "rss_after_registry_mb": rss_mb(),
        "objects": {},
    }
    with registry.cursor() as cr:
        env = admin_env(cr)
        rows = Rows(env, opts.notes, opts.activities)
        rows.crm(opts.companies, opts.contacts, opts.deals)
        for name, model_name, n in (
            ("companies", "res.partner", opts.companies),
            ("contacts", "res.partner", opts.contacts),
            ("deals", "crm.lead", opts.deals),
            ("notes", "mail.message", opts.notes),
            ("activities", "mail.activity", opts.activities),
        ):
            if not n:
                continue
            result["objects"][name] = obj = {"model": model_name, "rows": n}
            for tool in opts.tools:
                obj[tool] = measure(env, tool, name, model_name, rows, postmaster)
                print(f"{name} {tool}: {obj[tool]['seconds']:.1f}s", flush=True)
            if opts.profile:
                profiler = cProfile.Profile()
                measure(env, "bulk", name, model_name, rows, postmaster, profiler)
                profiler.dump_stats(f"{opts.profile}.{name}")
                print(f"{name} bulk profiled: {opts.profile}.{name}", flush=True)
        cr.rollback()
    result["tools"] = list(opts.tools)
    result["peak_rss_mb"] = rss_mb()
    Path(opts.out).write_text(json.dumps(result, indent=2, default=str))
    return report(result)


def report(result):
    say = print
    say("")
    say("writers side by side (one process, one database, each load rolled back)")
    head = (
        f"{'object':<11}{'rows':>7} | {'base_import':>11} {'ORM writer':>11} "
        f"{'bulk':>9} rows/s | {'bulk/base_import':>15} {'bulk/ORM':>9} {'ORM/base_import':>16}"
    )
    say(head)
    say("-" * len(head))
    problems = []
    worst_other = 0.0
    for name, obj in result["objects"].items():
        rates = dict.fromkeys(TOOLS, 0.0)
        for tool in result.get("tools", TOOLS):
            res = obj[tool]
            rates[tool] = res["created"] / res["seconds"] if res["seconds"] else 0.0
            worst_other = max(worst_other, res["cpu"]["other_share"])
            if res["created"] < obj["rows"]:
                problems.append(
                    f"{name}: {tool} created {res['created']} of {obj['rows']}"
                )
        if "bulk" in obj and obj["bulk"]["in_bulk"] != obj["rows"]:
            problems.append(
                f"{name}: {obj['bulk']['in_bulk']} of {obj['rows']} rows in bulk, "
                f"fallbacks {obj['bulk']['fallbacks']}"
            )

        def ratio(a, b, rates=rates):
            return f"{rates[a] / rates[b]:.1f}x" if rates[b] else "-"

        say(
            f"{name:<11}{obj['rows']:>7,} | {rates['base_import']:>11,.0f} {rates['orm']:>11,.0f} "
            f"{rates['bulk']:>9,.0f}        | {ratio('bulk', 'base_import'):>15} "
            f"{ratio('bulk', 'orm'):>9} {ratio('orm', 'base_import'):>16}"
        )
    say("-" * len(head))
    say(
        f"peak RSS {result['peak_rss_mb']:.0f} MB "
        f"(after loading the registry {result['rss_after_registry_mb']:.0f} MB); "
        f"other processes used up to {100 * worst_other:.0f} % of the machine during a load"
    )
    if worst_other > 0.05:
        say(
            "WARNING: other work shared the machine: absolute rates are noisy; the "
            "ratios were measured side by side in this run, quote them with that caveat"
        )
    for problem in problems:
        say(f"CHECK FAILED: {problem}")
    if not problems:
        say(
            "check: every tool created every row; the bulk writer wrote all of them in bulk"
        )
    return 0 if not problems else 1


def main(argv=None):
    argv, odoo_args = split_argv(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=0)
    parser.add_argument("--contacts", type=int, default=0)
    parser.add_argument("--deals", type=int, default=0)
    parser.add_argument("--notes", type=int, default=6000)
    parser.add_argument("--activities", type=int, default=3000)
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--max-wait", type=int, default=240, help="seconds to wait for an idle machine"
    )
    parser.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help="the tools to time, comma separated (default: all three)",
    )
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="also load each object once more in bulk under cProfile (not timed): "
        "PATH.<object> pstats files",
    )
    opts = parser.parse_args(argv)
    opts.tools = [t for t in opts.tools.split(",") if t]
    if set(opts.tools) - set(TOOLS):
        parser.error(f"--tools: one of {', '.join(TOOLS)}")
    opts.odoo_args = odoo_args
    started = time.time()
    rc = run(opts)
    print(f"writers bench: {time.time() - started:.0f}s", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
