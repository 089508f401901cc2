# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def row_versions(records):
    """{id: ctid} of the rows of ``records``, after a flush. Every UPDATE of a row,
    even one that writes the same values, stores a new version of it at another ctid;
    write_date cannot tell, since it is the transaction's timestamp inside a test."""
    records.env.flush_all()
    records.env.cr.execute(
        SQL(
            "SELECT id, ctid FROM %s WHERE id = ANY(%s)",
            SQL.identifier(records._table),
            records.ids,
        )
    )
    return dict(records.env.cr.fetchall())


class DealerCommon(TransactionCase):
    """A company, its dealer users of every group and a small two-level network."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Dealer Test Co"})
        cls.other_company = cls.env["res.company"].create({"name": "Dealer Other Co"})

        def user(login, groups, company=cls.company):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.sales_a = user("dm_test_sales_a", "dealer_management.group_dealer_user")
        cls.sales_b = user("dm_test_sales_b", "dealer_management.group_dealer_user")
        cls.manager = user(
            "dm_test_manager",
            "dealer_management.group_dealer_manager,base.group_allow_export",
        )
        # Contact Creation, as Odoo gives new internal users: the record rules, not the
        # access rights, are what keep the accountant off the dealers.
        cls.accountant = user(
            "dm_test_accountant",
            "dealer_management.group_dealer_accountant,base.group_partner_manager",
        )
        cls.sensitive_a = user(
            "dm_test_sensitive_a",
            "dealer_management.group_dealer_user,dealer_management.group_dealer_sensitive",
        )
        cls.sensitive_manager = user(
            "dm_test_sensitive_manager",
            "dealer_management.group_dealer_manager,dealer_management.group_dealer_sensitive",
        )
        cls.other_manager = user(
            "dm_test_other_manager",
            "dealer_management.group_dealer_manager,dealer_management.group_dealer_sensitive",
            company=cls.other_company,
        )

        Partner = cls.env["res.partner"]
        cls.distributor_a = Partner.create(
            {
                "name": "Distributor A",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "general_distributor",
                "user_id": cls.sensitive_a.id,
                "company_id": cls.company.id,
            }
        )
        cls.wholesaler_a = Partner.create(
            {
                "name": "Wholesaler A",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "secondary_wholesaler",
                "user_id": cls.sales_a.id,
                "dealer_parent_id": cls.distributor_a.id,
                "company_id": cls.company.id,
            }
        )
        cls.distributor_b = Partner.create(
            {
                "name": "Distributor B",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "general_distributor",
                "user_id": cls.sales_b.id,
                "company_id": cls.company.id,
            }
        )
        cls.customer = Partner.create(
            {
                "name": "Walk-in Customer",
                "is_company": True,
                "company_id": cls.company.id,
            }
        )
        cls.other_dealer = Partner.create(
            {
                "name": "Other Company Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "general_distributor",
                "user_id": cls.other_manager.id,
                "company_id": cls.other_company.id,
            }
        )

    def commit_tracking(self):
        """Write the tracking values that Odoo writes just before a commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()


class DealerAccountingCommon(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a dealer and helpers to invoice and pay it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.salesperson = new_test_user(
            cls.env,
            login="dm_acc_sales",
            groups="dealer_management.group_dealer_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Evaluated Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "general_distributor",
                "user_id": cls.salesperson.id,
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def invoice(
        cls,
        date,
        amount=0.0,
        due=None,
        move_type="out_invoice",
        partner=None,
        currency=None,
        lines=None,
        company=None,
    ):
        """A posted untaxed customer invoice (or credit note) of ``amount``, or of
        ``lines`` [(product, quantity, unit price)], optionally in another currency."""
        lines = lines or [(None, 1, amount)]
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or cls.dealer).id,
                    "invoice_date": date,
                    "invoice_date_due": due or date,
                    "invoice_payment_term_id": False,
                    **({"currency_id": currency.id} if currency else {}),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": product.name if product else "Rice cookers",
                                **({"product_id": product.id} if product else {}),
                                "quantity": quantity,
                                "price_unit": price,
                                "tax_ids": [],
                            }
                        )
                        for product, quantity, price in lines
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def company_user(cls, login, groups):
        """A user of the test company only, in ``groups`` (comma-separated xml ids)."""
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def make_env_user_manager(cls):
        """The accounting user who prepares the data is also a Dealer Manager (each
        group's rights are tested with the users the tests create)."""
        cls.env.user.groups_id = [
            Command.link(cls.env.ref("dealer_management.group_dealer_manager").id)
        ]

    @contextmanager
    def refused(self, exception, message):
        """assertRaisesRegex, rolling back what the failed call wrote (unittest's own
        does not, unlike Odoo's assertRaises)."""
        with self.assertRaisesRegex(exception, message), self.env.cr.savepoint():
            yield

    @classmethod
    def pay(cls, invoice, date, amount=None):
        wizard = (
            cls.env["account.payment.register"]
            .with_context(
                active_model="account.move",
                active_ids=invoice.ids,
            )
            .create(
                {
                    "payment_date": fields.Date.to_date(date),
                    **({"amount": amount} if amount else {}),
                }
            )
        )
        return wizard._create_payments()
