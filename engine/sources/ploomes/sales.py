"""Ploomes sales tables: product categories, products, quotes, orders and their lines.

A mixin of the table builder (:mod:`.tables`): it uses the builder's lookups
(``self.products``, ``self.groups``...) and helpers (``self.issue``, ``self.dt``...).
Quote and order totals are checked against their lines, and lines whose product is
not among the pulled products are reported, so both become review items.
"""

from __future__ import annotations

from typing import Any

from . import rules
from .columns import COLUMNS, TOTAL_TOLERANCE, _id, _money, _name, _number


class SalesTables:
    def categories(self) -> dict[Any, str]:
        """Group id -> complete category name (``Family / Group``)."""
        out = {}
        for gid, group in self.groups.items():
            family = _name(self.families.get(_id(group.get("FamilyId"))))
            name = rules.text(group.get("Name"))
            out[gid] = f"{family} / {name}" if family else name
        return out

    def categories_table(self) -> None:
        complete = self.categories()
        rows = []
        for gid, group in self.groups.items():
            rows.append(
                {
                    "Group ID": rules.text(gid),
                    "Category": rules.text(group.get("Name")),
                    "Parent Category": _name(
                        self.families.get(_id(group.get("FamilyId")))
                    ),
                    "Complete Name": complete[gid],
                }
            )
        self.add("product_categories", rows)

    def products_table(self) -> None:
        complete = self.categories()
        rows = []
        taken = COLUMNS["products"]
        for line, p in enumerate(self.rec.get("Products", []), start=2):
            pid = p.get("Id")
            gid = _id(p.get("GroupId"))
            if gid is not None and gid not in complete and self.groups:
                self.issue(
                    "products",
                    line,
                    "Product Category",
                    gid,
                    f"product group id {gid} is not in the group list",
                    pid,
                )
            row = {
                "Product ID": rules.text(pid),
                "Product Name": rules.text(p.get("Name")),
                "SKU": rules.text(p.get("Code")),
                "Unit Price": _money(p.get("UnitPrice")),
                "Product Category": complete.get(gid, ""),
                "Unit of Measure": rules.text(p.get("MeasurementUnit")),
                "Status": "archived" if p.get("Suspended") else "active",
                "Created": self.dt(
                    "products", line, "Created", p.get("CreateDate"), pid
                ),
                "Last Updated": self.dt(
                    "products", line, "Last Updated", p.get("LastUpdateDate"), pid
                ),
            }
            row.update(self.custom("products", line, p, taken, pid))
            rows.append(row)
        self.add("products", rows)

    def _lines(
        self, kind, doc_kind, doc, number_col, number, line_rows, extra=None
    ) -> float:
        """The product lines of a quote/order's sections (``extra``: columns
        each line repeats from its document); returns their total."""
        total = 0.0
        doc_id = doc.get("Id")
        # lines come in sections (Sections($expand=Products)) or, on an order
        # expanded with Products, straight under the document
        sections = doc.get("Sections") or []
        if not sections and doc.get("Products"):
            sections = [{"Products": doc.get("Products")}]
        for section in sections:
            code = rules.text(section.get("Code"))
            for item in section.get("Products") or []:
                line = len(line_rows) + 2
                pid = _id(item.get("ProductId"))
                product = self.products.get(pid)
                if product is None and "Products" in self.rec and not self.delta:
                    self.issue(
                        kind,
                        line,
                        "Product ID",
                        pid or item.get("ProductName"),
                        f"product {rules.text(item.get('ProductName')) or pid!r} "
                        "is not among the pulled products",
                        item.get("Id"),
                    )
                qty = _number(item.get("Quantity")) or 0.0
                price = _number(item.get("UnitPrice")) or 0.0
                disc = _number(item.get("Discount")) or 0.0
                line_total = _number(item.get("Total"))
                expected = round(qty * price * (1 - disc / 100), 2)
                if line_total is None:
                    line_total = expected
                elif abs(line_total - expected) > TOTAL_TOLERANCE:
                    self.issue(
                        kind,
                        line,
                        "Total",
                        item.get("Total"),
                        f"line total {line_total:.2f} differs from quantity x price "
                        f"less discount ({expected:.2f})",
                        item.get("Id"),
                    )
                total += line_total
                line_rows.append(
                    {
                        "Line ID": rules.text(item.get("Id")),
                        f"{doc_kind} ID": rules.text(doc_id),
                        number_col: rules.text(number),
                        **(extra or {}),
                        "Section": code,
                        "Product ID": rules.text(pid or ""),
                        "Product Name": rules.text(item.get("ProductName"))
                        or _name(product),
                        "SKU": rules.text((product or {}).get("Code")),
                        "Quantity": rules.text(item.get("Quantity")),
                        "Unit Price": _money(item.get("UnitPrice")),
                        "Discount": rules.text(item.get("Discount")),
                        "Total": _money(line_total),
                    }
                )
        return total

    def _section_discounts(self, kind, line, doc) -> None:
        """A section's own Discount has no home (Odoo's section lines hold no
        discount, and Ploomes documents neither its kind nor what it applies
        to): each one is reviewed on its document, never dropped unseen."""
        for section in doc.get("Sections") or []:
            value = _number(section.get("Discount"))
            if value:
                code = rules.text(section.get("Code"))
                self.issue(
                    kind,
                    line,
                    "Sections",
                    f"{code}: {rules.text(section.get('Discount'))}",
                    f"section {code} has a discount of "
                    f"{rules.text(section.get('Discount'))} of its own, which is "
                    "not migrated (Odoo's section lines hold none): add it to "
                    "the quotation by hand",
                    doc.get("Id"),
                )

    def _discount(self, kind, line, doc, lines_total) -> dict:
        """The document's own ``Discount`` read beside its lines' total and its
        ``Amount``, which says what it is (Ploomes documents only the number):
        a ``percent`` of the lines' total, a fixed ``amount`` off it, or
        ``included`` when the Amount is the lines' total already (the lines'
        own discounts carry it). Without an Amount it is a percentage, as a
        line's discount is. An Amount that agrees with none is reviewed."""
        disc = _number(doc.get("Discount")) or 0.0
        amount = _number(doc.get("Amount"))
        kind_of, expected, less = "", lines_total, ""
        if disc:
            percent = round(lines_total * (1 - disc / 100), 2)
            fixed = round(lines_total - disc, 2)
            kind_of, expected = "percent", percent
            less = f" less its discount of {rules.text(disc)}% ({percent:.2f})"
            if amount is not None and abs(amount - percent) > TOTAL_TOLERANCE:
                if abs(amount - fixed) <= TOTAL_TOLERANCE:
                    kind_of, expected, less = "amount", fixed, ""
                elif abs(amount - lines_total) <= TOTAL_TOLERANCE:
                    kind_of, expected, less = "included", lines_total, ""
        if amount is not None and abs(amount - expected) > TOTAL_TOLERANCE:
            self.issue(
                kind,
                line,
                "Amount",
                doc.get("Amount"),
                f"the total {amount:.2f} differs from the sum of its lines "
                f"({lines_total:.2f}){less}",
                doc.get("Id"),
            )
        return {"Discount": rules.text(doc.get("Discount")), "Discount Type": kind_of}

    def quotes_tables(self) -> None:
        quotes = self.rec.get("Quotes", [])
        latest: dict[Any, int] = {}
        for q in quotes:
            key = q.get("QuoteNumber") or q.get("Id")
            latest[key] = max(latest.get(key, 0), int(q.get("ReviewNumber") or 0))
        rows, line_rows = [], []
        for line, q in enumerate(quotes, start=2):
            qid = q.get("Id")
            key = q.get("QuoteNumber") or qid
            review = int(q.get("ReviewNumber") or 0)
            last = q.get("LastReview")
            last = review == latest[key] if last is None else bool(last)
            number = rules.text(q.get("QuoteNumber"))
            found = len(self.built.issues)
            lines_total = self._lines(
                "quote_lines", "Quote", q, "Quote Number", number, line_rows,
                {"Last Review": "yes" if last else "no"},
            )  # fmt: skip
            shared = self._sale_document(
                "quotes", line, q, lines_total, q.get("Notes") or q.get("Description")
            )
            if not last:
                # a review a later one replaced is not migrated (its rows are
                # skipped by that rule): its values need nobody's review
                del self.built.issues[found:]
            row = {
                "Quote ID": rules.text(qid),
                "Quote Number": number,
                "Review Number": rules.text(q.get("ReviewNumber")),
                "Last Review": "yes" if last else "no",
                "Title": rules.text(q.get("Title")),
                "Expiration Date": self.day(
                    "quotes", line, "Expiration Date", q.get("ExpirationDate"), qid
                ),
                "Approval Status": _name(q.get("ApprovalStatus")),
                "State": rules.quote_state(q, superseded=not last),
                **shared,
            }
            row.update(self.custom("quotes", line, q, COLUMNS["quotes"], qid))
            rows.append(row)
        self.add("quotes", rows)
        self.add("quote_lines", line_rows)

    def _sale_document(self, table, line, rec, lines_total, notes) -> dict:
        """The columns a quote and an order share (their deal, customer, owner,
        amounts and dates), once its lines' total is checked against its own."""
        rid = rec.get("Id")
        self._section_discounts(table, line, rec)
        discount = self._discount(table, line, rec, lines_total)
        company_id, company_name = self.company_of(rec.get("ContactId"))
        person = _id(rec.get("PersonId")) or (
            None if company_id else _id(rec.get("ContactId"))
        )
        return {
            "Date": self.dt(table, line, "Date", rec.get("Date"), rid),
            "Deal ID": rules.text(rec.get("DealId")),
            "Company ID": company_id,
            "Company Name": company_name or rules.text(rec.get("ContactName")),
            "Contact ID": rules.text(person or ""),
            "Contact Email": self.contact_email(person),
            "Owner Email": self.owner(table, line, rec.get("OwnerId"), rid=rid),
            "Amount": _money(rec.get("Amount")),
            **discount,
            "Lines Total": _money(lines_total),
            "Notes": rules.text(notes),
            "Created": self.dt(table, line, "Created", rec.get("CreateDate"), rid),
            "Last Updated": self.dt(
                table, line, "Last Updated", rec.get("LastUpdateDate"), rid
            ),
        }

    def orders_tables(self) -> None:
        rows, line_rows = [], []
        for line, o in enumerate(self.rec.get("Orders", []), start=2):
            oid = o.get("Id")
            number = rules.text(o.get("OrderNumber"))
            lines_total = self._lines(
                "order_lines", "Order", o, "Order Number", number, line_rows
            )
            shared = self._sale_document(
                "orders", line, o, lines_total,
                o.get("Description") or o.get("InternalComments"),
            )  # fmt: skip
            stage = self.order_stages.get(_id(o.get("StageId"))) or o.get("Stage")
            row = {
                "Order ID": rules.text(oid),
                "Order Number": number,
                "Stage": _name(stage),
                "Origin Quote ID": rules.text(o.get("OriginQuoteId")),
                **shared,
            }
            row.update(self.custom("orders", line, o, COLUMNS["orders"], oid))
            rows.append(row)
        self.add("orders", rows)
        self.add("order_lines", line_rows)
