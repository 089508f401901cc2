# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The test bases of the addon, like sale/tests/common.py.

- :class:`DealerCommon`: the base of the tests on data of their own. Once per class: a
  company with its chart of accounts and its currency (AccountTestInvoicingCommon),
  EUR at 2 EUR to the company's currency, the users of every dealer group, product
  categories and products, a small dealer network, a dealer of another company.
- :class:`DemoCommon`: the tests on the demo network the test database was installed
  with; :class:`DemoHttpCommon` the same through the tests' HTTP server (PDF prints
  through wkhtmltopdf, tours).
- :class:`DealerHelpers`, which the three share: ``company_user``, ``invoice``,
  ``pay``, ``refused``, ``commit_tracking``, ``load_zh_cn``; and :func:`row_versions`.
"""

from contextlib import contextmanager

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import SQL, file_path
from odoo.tools.translate import TranslationImporter

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.dealer_management.demo.demo_network import DEMO_DATE_PARAM

USER = "dealer_management.group_dealer_user"
MANAGER = "dealer_management.group_dealer_manager"
DIRECTOR = "dealer_management.group_dealer_director"
ACCOUNTANT = "dealer_management.group_dealer_accountant"
SENSITIVE = "dealer_management.group_dealer_sensitive"


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


class DealerHelpers:
    """The helpers of every base: ``cls.company`` is the company they work in and
    ``cls.dealer`` the partner ``invoice`` bills by default."""

    @classmethod
    def dealer_portal_user(cls, login, dealer, name):
        """A portal user of the test company working for ``dealer``: the user of a
        new contact ``name`` of the dealer."""
        contact = cls.env["res.partner"].create(
            {"name": name, "parent_id": dealer.id, "type": "contact"}
        )
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

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
        taxes=None,
    ):
        """A posted customer invoice (or credit note) of ``amount``, or of ``lines``
        [(product, quantity, unit price)], untaxed or with ``taxes`` on every line,
        optionally in another currency."""
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
                                "tax_ids": [Command.set(taxes.ids if taxes else [])],
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
    def pay(cls, invoice, date, amount=None):
        """Register a payment of ``invoice`` on ``date``, in full or of ``amount``."""
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

    def work_jobs(self, limit=100):
        """Work the queued background runs as the cron engine does (one batch per
        call, in this transaction); returns the runs worked."""
        Job = self.env["dealer.job"].sudo()
        worked = Job._work_queued(limit)
        if Job._claim():
            raise AssertionError(f"background runs still queued after {limit} batches")
        return worked

    @contextmanager
    def refused(self, exception, message):
        """assertRaisesRegex, rolling back what the failed call wrote (unittest's own
        does not, unlike Odoo's assertRaises)."""
        with self.assertRaisesRegex(exception, message), self.env.cr.savepoint():
            yield

    def commit_tracking(self):
        """Write the tracking values that Odoo writes just before a commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def load_zh_cn(cls):
        """Simplified Chinese, active and with the addon's catalogue (i18n/zh_CN.po):
        the test database is installed in English only. Called once by the test (or
        the setUpClass) that needs it."""
        cls.env["res.lang"]._activate_lang("zh_CN")
        importer = TranslationImporter(cls.env.cr, verbose=False)
        importer.load_file(file_path("dealer_management/i18n/zh_CN.po"), "zh_CN")
        importer.save(overwrite=True)


class DealerCommon(DealerHelpers, AccountTestInvoicingCommon):
    """A company with its chart of accounts, its users of every dealer group, products
    and a small dealer network, built once per class.

    Company ``company`` (its currency ``currency``, USD), ``eur`` at 2 EUR per USD
    from 2026-01-01; ``other_company``, without a chart.

    Users (of ``company`` only, but ``other_manager``):

    - ``salesperson`` and ``sales_a``: Dealer Users, of ``dealer`` and of
      ``wholesaler_a``
    - ``sensitive_a``: Dealer User with Sensitive Relations, of ``distributor_a``
    - ``manager``: Dealer Manager (who may export); ``director``: Dealer Director
    - ``accountant``: Dealer Accountant, with Contact Creation as Odoo gives new
      internal users (the record rules, not the access rights, keep him off the
      dealers)
    - ``sensitive_manager``: Dealer Manager with Sensitive Relations
    - ``other_manager``: the same, of ``other_company`` only

    Products (untaxed, consumable): ``fridge`` and ``sample`` (a display sample) in
    ``appliances``; ``cooker`` in ``cookers`` and ``kettle`` (cost 30, price 50) in
    ``kettles``, both subcategories of ``appliances``; ``part`` in ``spare_parts``.

    The network of ``company`` (its only dealers): ``distributor_a`` (general
    distributor) supplies ``wholesaler_a`` (secondary wholesaler); ``dealer``
    ("Evaluated Dealer", general distributor) stands alone: the dealer the accounting
    tests invoice. Besides: ``customer``, a partner of the company that is no dealer,
    and ``other_dealer``, a general distributor of ``other_company``. No retailer: the
    network tests count the company's dealers by level and by network, and create the
    retailers they need.
    """

    #: The environment of the tests. False: AccountTestInvoicingCommon's accounting
    #: user, the record rules applying to him, with mail off (BaseCommon's
    #: DISABLED_MAIL_CONTEXT). True: the superuser with mail on, as in a plain
    #: TransactionCase: for the tests that write configuration and governed fields
    #: directly, or read the tracking.
    run_as_superuser = False

    @classmethod
    def default_env_context(cls):
        return {} if cls.run_as_superuser else super().default_env_context()

    @classmethod
    def setup_independent_user(cls):
        return None if cls.run_as_superuser else super().setup_independent_user()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        cls.other_company = cls.env["res.company"].create({"name": "Dealer Other Co"})
        (
            cls.salesperson,
            cls.sales_a,
            cls.sensitive_a,
            cls.manager,
            cls.director,
            cls.accountant,
            cls.sensitive_manager,
            cls.other_manager,
        ) = cls.company_users(
            ("dm_test_sales", USER),
            ("dm_test_sales_a", USER),
            ("dm_test_sensitive_a", f"{USER},{SENSITIVE}"),
            ("dm_test_manager", f"{MANAGER},base.group_allow_export"),
            ("dm_test_director", DIRECTOR),
            ("dm_test_accountant", f"{ACCOUNTANT},base.group_partner_manager"),
            ("dm_test_sensitive_manager", f"{MANAGER},{SENSITIVE}"),
            ("dm_test_other_manager", f"{MANAGER},{SENSITIVE}", cls.other_company),
        )
        cls._setup_catalogue()
        cls._setup_network()

    @classmethod
    def company_users(cls, *specs):
        """Users, one per (login, groups[, company]): groups as comma-separated xml
        ids, of the test company by default. Made as new_test_user makes them (name,
        password, email), but all in one create(): every creation of users computes
        again the reviewers of every tier review of the database."""
        vals_list = []
        for login, groups, *company in specs:
            company = company[0] if company else cls.company
            vals_list.append(
                {
                    "login": login,
                    "name": f"{login} ({groups})",
                    "password": login + "x" * (8 - len(login)),
                    "email": f"{login[0]}.{login[0]}@example.com",
                    "groups_id": [
                        Command.set([cls.env.ref(g).id for g in groups.split(",")])
                    ],
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                }
            )
        return cls.env["res.users"].create(vals_list)

    @classmethod
    def _setup_catalogue(cls):
        Category = cls.env["product.category"]
        cls.appliances = Category.create({"name": "Appliances"})
        cls.cookers, cls.kettles = Category.create(
            [
                {"name": "Rice Cookers", "parent_id": cls.appliances.id},
                {"name": "Kettles", "parent_id": cls.appliances.id},
            ]
        )
        cls.spare_parts = Category.create({"name": "Spare Parts"})
        cls.fridge, cls.sample, cls.cooker, cls.kettle, cls.part = cls.env[
            "product.product"
        ].create(
            [
                {"name": name, "categ_id": categ.id, "type": "consu", "taxes_id": []}
                | prices
                for name, categ, prices in (
                    ("Fridge", cls.appliances, {}),
                    ("Display Sample", cls.appliances, {}),
                    ("Rice Cooker 4L", cls.cookers, {"list_price": 100.0}),
                    (
                        "Kettle",
                        cls.kettles,
                        {"list_price": 50.0, "standard_price": 30.0},
                    ),
                    ("Spare Part", cls.spare_parts, {}),
                )
            ]
        )

    @classmethod
    def _setup_network(cls):
        Partner = cls.env["res.partner"]
        dealer = {"is_company": True, "is_dealer": True, "company_id": cls.company.id}
        cls.distributor_a, cls.dealer = Partner.create(
            [
                dict(
                    dealer,
                    name="Distributor A",
                    dealer_level="general_distributor",
                    user_id=cls.sensitive_a.id,
                ),
                dict(
                    dealer,
                    name="Evaluated Dealer",
                    dealer_level="general_distributor",
                    user_id=cls.salesperson.id,
                ),
            ]
        )
        cls.wholesaler_a = Partner.create(
            dict(
                dealer,
                name="Wholesaler A",
                dealer_level="secondary_wholesaler",
                dealer_parent_id=cls.distributor_a.id,
                user_id=cls.sales_a.id,
            )
        )
        cls.customer = Partner.create(
            {
                "name": "Walk-in Customer",
                "is_company": True,
                "company_id": cls.company.id,
            }
        )
        # another company's: the accounting user is not of it
        cls.other_dealer = Partner.sudo().create(
            dict(
                dealer,
                name="Other Company Dealer",
                dealer_level="general_distributor",
                user_id=cls.other_manager.id,
                company_id=cls.other_company.id,
            )
        )

    @classmethod
    def make_env_user_manager(cls):
        """The accounting user who prepares the data is also a Dealer Manager (each
        group's rights are tested with the users of the base)."""
        cls.env.user.groups_id = [Command.link(cls.env.ref(MANAGER).id)]


class DemoCommon(DealerHelpers, TransactionCase):
    """The demo network the test database was installed with (demo/demo_network.py):
    ``company``, its ``dealers`` (commercial partners), its posted customer ``moves``
    and ``invoices``, and ``today``, the day the demo was built around."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("dealer_management.demo_company")
        cls.dealers = cls.env["res.partner"].search(
            [
                ("is_dealer", "=", True),
                ("parent_id", "=", False),
                ("company_id", "=", cls.company.id),
            ]
        )
        cls.moves = cls.env["account.move"].search(
            [
                ("company_id", "=", cls.company.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        cls.invoices = cls.moves.filtered(lambda m: m.move_type == "out_invoice")
        # the day the demo was built around, not the real date (the suite may run on
        # another day than the install, or under a faked clock)
        cls.today = fields.Date.to_date(
            cls.env["ir.config_parameter"].sudo().get_param(DEMO_DATE_PARAM)
        )

    @classmethod
    def demo_users(cls, *logins):
        """{login: user} of the demo's users (demo/: dm_wang, dm_chen …)."""
        return {
            login: cls.env.ref(f"dealer_management.demo_user_{login}")
            for login in logins
        }


class DemoHttpCommon(DemoCommon, HttpCase):
    """The demo network through the tests' HTTP server: the browser tests, and
    wkhtmltopdf, which loads the reports' style sheets from it (pytest-odoo runs them
    with --odoo-http, which the test command passes)."""
