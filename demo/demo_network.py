# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deterministic demo network of a Chinese home-appliance manufacturer.

A fixed seed drives every choice, so two installs on the same day produce the same
figures. Dates are relative to the install date: the demo always has 12 full months of
history behind it, invoices paid late and invoices overdue today.
"""

import base64
import io
import logging
import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from PIL import Image, ImageDraw, ImageFont

from odoo import Command, api, fields, models

from ..models.dealer_contract import CLAUSES

_logger = logging.getLogger(__name__)

SEED = 8020
MONTHS = 13  # the current month and the 12 full months before it
DEMO_DATE_PARAM = "dealer_management.demo_date"
# the demo company works in Beijing time (its users and its papers)
TZ = "Asia/Shanghai"

# login, name, groups (xml ids without module)
DEMO_USERS = [
    ("dm_wang", "王伟 Wang Wei", ["group_dealer_user"]),
    ("dm_li", "李娜 Li Na", ["group_dealer_user"]),
    ("dm_zhang", "张强 Zhang Qiang", ["group_dealer_user"]),
    ("dm_chen", "陈敏 Chen Min", ["group_dealer_manager", "group_dealer_sensitive"]),
    ("dm_liu", "刘芳 Liu Fang", ["group_dealer_accountant"]),
    ("dm_zhao", "赵刚 Zhao Gang", ["group_dealer_director"]),
]

# the portal users of the first three general distributors (password = login)
DEMO_PORTAL_USERS = ["dealer_gz", "dealer_hz", "dealer_nj"]

# category, [(product name, dealer price)]
DEMO_PRODUCTS = [
    (
        "电饭煲 Rice Cookers",
        [("智能电饭煲 4L Smart Rice Cooker", 239.0), ("电饭煲 3L Rice Cooker", 155.0)],
    ),
    (
        "电水壶 Electric Kettles",
        [
            ("不锈钢电水壶 1.7L Steel Kettle", 77.0),
            ("恒温电水壶 1.5L Thermostatic Kettle", 119.0),
        ],
    ),
    (
        "豆浆机 Soymilk Makers",
        [
            ("破壁豆浆机 1.2L Blender Soymilk Maker", 419.0),
            ("家用豆浆机 1L Soymilk Maker", 209.0),
        ],
    ),
    (
        "配件 Spare Parts",
        [("电饭煲内胆 Inner Pot", 35.0), ("密封圈 Sealing Ring", 9.0)],
    ),
]

# province xml id, salesperson login, general distributor (city, name),
# downstream dealers [(city, name, level)]
DEMO_NETWORK = [
    (
        "base.state_cn_GD",
        "dm_wang",
        ("广州", "广州粤华商贸有限公司"),
        [
            ("深圳", "深圳鹏城电器批发部", "secondary_wholesaler"),
            ("佛山", "佛山顺德家电批发有限公司", "secondary_wholesaler"),
            ("东莞", "东莞万家福电器店", "retailer"),
        ],
    ),
    (
        "base.state_cn_ZJ",
        "dm_wang",
        ("杭州", "杭州西湖电器有限公司"),
        [
            ("宁波", "宁波甬新电器批发有限公司", "secondary_wholesaler"),
            ("温州", "温州瓯江家电商行", "secondary_wholesaler"),
            ("金华", "金华义乌小家电超市", "retailer"),
            ("绍兴", "绍兴越城电器门市部", "retailer"),
        ],
    ),
    (
        "base.state_cn_JS",
        "dm_wang",
        ("南京", "南京金陵家电有限公司"),
        [
            ("苏州", "苏州姑苏电器批发有限公司", "secondary_wholesaler"),
            ("无锡", "无锡太湖电器商行", "retailer"),
            ("徐州", "徐州彭城家电城", "retailer"),
        ],
    ),
    (
        "base.state_cn_SD",
        "dm_li",
        ("济南", "济南泉城电器有限公司"),
        [
            ("青岛", "青岛海滨电器批发有限公司", "secondary_wholesaler"),
            ("烟台", "烟台福山家电商行", "secondary_wholesaler"),
            ("潍坊", "潍坊鸢都电器店", "retailer"),
        ],
    ),
    (
        "base.state_cn_HA",
        "dm_li",
        ("郑州", "郑州中原电器贸易有限公司"),
        [
            ("洛阳", "洛阳牡丹家电批发部", "secondary_wholesaler"),
            ("开封", "开封汴梁电器商店", "retailer"),
            ("南阳", "南阳宛城家电超市", "retailer"),
        ],
    ),
    (
        "base.state_cn_SC",
        "dm_zhang",
        ("成都", "成都天府电器有限公司"),
        [
            ("绵阳", "绵阳科城电器批发有限公司", "secondary_wholesaler"),
            ("宜宾", "宜宾三江家电商行", "secondary_wholesaler"),
            ("乐山", "乐山嘉州电器店", "retailer"),
        ],
    ),
    (
        "base.state_cn_HB",
        "dm_zhang",
        ("武汉", "武汉江城家电有限公司"),
        [
            ("宜昌", "宜昌三峡电器批发部", "secondary_wholesaler"),
            ("襄阳", "襄阳古隆中电器商行", "retailer"),
            ("荆州", "荆州楚都家电城", "retailer"),
        ],
    ),
]

# monthly revenue range (CNY, untaxed) by level
LEVEL_VOLUME = {
    "general_distributor": (150000, 320000),
    "secondary_wholesaler": (35000, 90000),
    "retailer": (8000, 26000),
}
# monthly growth rate by trend
TRENDS = {"growing": 0.045, "stable": 0.0, "declining": -0.05}
# days paid after the due date (negative: before it), by payment behaviour
PAYMENT_DELAYS = {"punctual": (-12, 2), "late": (10, 45), "bad": (35, 150)}

OWN_BRANDS = [("华东 Huadong", "华东家电"), ("小华 Xiaohua", "华东家电")]
OTHER_BRANDS = [
    ("美的 Midea", "美的集团"),
    ("九阳 Joyoung", "九阳股份"),
    ("苏泊尔 Supor", "苏泊尔"),
]

RELATION_NOTES = [
    (
        "family",
        "夫妻共同经营,长子在读大学 Run by a married couple; eldest son at university",
        "家庭和睦,老板娘管财务。Harmonious family; the owner's wife keeps the books.",
    ),
    (
        "social_standing",
        "区工商联会员 Member of the district federation of commerce",
        "在当地商会有影响力,与同行关系好。Influential in the local chamber of "
        "commerce.",
    ),
    (
        "lifestyle",
        "爱好钓鱼和茶 Enjoys fishing and tea",
        "周末常去钓鱼;喜欢普洱茶。Fishes at weekends; drinks Pu'er tea.",
    ),
    (
        "risk",
        "老板身体欠佳 Owner in poor health",
        "去年做过心脏手术,接班人未定。Heart surgery last year; no successor chosen "
        "yet.",
    ),
]


def demo_logo():
    """The demo company's logo (PNG, base64): its initials on a blue mark, drawn here
    rather than shipped (Odoo's placeholder would print "Your logo" on its papers)."""
    image = Image.new("RGBA", (360, 96), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 96, 96), radius=18, fill=(21, 76, 148))
    draw.ellipse((22, 22, 74, 74), outline=(255, 255, 255), width=8)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 44)
    except OSError:
        font = ImageFont.load_default()
    draw.text((112, 20), "ECA", fill=(21, 76, 148), font=font)
    output = io.BytesIO()
    image.save(output, "PNG")
    return base64.b64encode(output.getvalue())


def demo_photo(caption):
    """A photo of a promotion's stand (JPEG bytes), the proof of a demo claim."""
    image = Image.new("RGB", (320, 200), (236, 241, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 280, 180), fill=(21, 76, 148))
    draw.text((60, 100), caption, fill=(255, 255, 255))
    output = io.BytesIO()
    image.save(output, "JPEG")
    return output.getvalue()


def invoice_day(month_start, offset, today):
    """The date of an invoice drawn ``offset`` days (0-27) into the month that starts
    on ``month_start``. In the current month the draws are spread over the days gone
    by, today included, so that every month has its invoices on any install day."""
    if month_start == today.replace(day=1):
        offset = offset * (today - month_start).days // 27
    return month_start + timedelta(days=offset)


def contract_terms(today, count):
    """(start, end) of the ``count`` distributors' current contracts: a year from the
    first of the month six months ago, so that they end five to six months ahead,
    outside their 30-day reminder window on any install day; except the first, which
    ends in 20 days, inside it. The previous contracts end the day before the start."""
    start = today.replace(day=1) - relativedelta(months=6)
    return [
        (
            start,
            today + timedelta(days=20)
            if index == 0
            else start + relativedelta(years=1, days=-1),
        )
        for index in range(count)
    ]


class DealerDemoNetwork(models.AbstractModel):
    _name = "dealer.demo.network"
    _description = "Dealer Demo Network Generator"

    @api.model
    def _schedule_generation(self):
        """Called by demo/dealer_demo.xml. A chart of accounts is best loaded once the
        registry is complete (as Odoo itself does for the main company), so while the
        module is being installed the generation waits for `_register_hook`."""
        if self.env.registry.loaded:
            self._generate()
        else:
            self.env.registry._dealer_demo_pending = True

    def _register_hook(self):
        super()._register_hook()
        if getattr(self.env.registry, "_dealer_demo_pending", False):
            del self.env.registry._dealer_demo_pending
            self._generate()

    def _xmlid(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"dealer_management.{name}",
                    "record": record,
                    "noupdate": True,
                }
            ]
        )

    @api.model
    def _generate(self, today=None):
        if self.env.ref("dealer_management.demo_company", raise_if_not_found=False):
            return  # already generated
        rng = random.Random(SEED)
        today = today or fields.Date.context_today(self)
        company = self._generate_company()
        # the day the network is built around: the tests of the demo read it back
        self.env["ir.config_parameter"].sudo().set_param(DEMO_DATE_PARAM, str(today))
        env = (
            self.with_company(company)
            .with_context(
                allowed_company_ids=[company.id],
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
            )
            .env
        )
        users = self._generate_users(env, company)
        products = self._generate_products(env, company)
        dealers = self._generate_dealers(env, company, users, rng, today)
        self._generate_relation_notes(env, company, dealers, rng)
        self._generate_accounting(env, company, dealers, products, users, rng, today)
        self._generate_evaluations(env, dealers, users, today)
        self._generate_targets_and_tiers(env, company, dealers, users, today)
        self._generate_relations(env, company, dealers, users, products, today)
        self._generate_warnings(env, company, dealers, today)
        self._generate_rebates(env, company, products, users, today)
        self._generate_funds(env, company, users, today)
        self._generate_portal_users(env, company)
        self._generate_communication(env, company, users, today)
        _logger.info("Dealer demo network generated: %s dealers", len(dealers))

    def _generate_company(self):
        env = self.env
        cny = env.ref("base.CNY")
        cny.active = True
        company = env["res.company"].create(
            {
                "name": "华东家电制造有限公司 East China Appliances",
                "currency_id": cny.id,
                "country_id": env.ref("base.cn").id,
                "state_id": env.ref("base.state_cn_ZJ").id,
                "city": "杭州",
                "street": "滨江区江南大道 1888 号",
                "zip": "310051",
                "phone": "+86 571 8888 6666",
            }
        )
        # the company's time: what its papers print for a reader without his own
        company.partner_id.tz = TZ
        company.logo = demo_logo()
        self._xmlid("demo_company", company)
        for user in env.ref("base.user_root") | env.ref("base.user_admin"):
            user.company_ids = [Command.link(company.id)]
        env.ref("base.user_admin").write(
            {
                "company_id": company.id,
                "tz": TZ,
                "groups_id": [
                    Command.link(env.ref("dealer_management.group_dealer_sensitive").id)
                ],
            }
        )
        env["account.chart.template"].try_loading(
            "generic_coa", company, install_demo=False
        )
        # The generic chart template sets its own currency; no entry exists yet.
        company.currency_id = cny
        return company

    def _generate_users(self, env, company):
        users = {}
        for login, name, groups in DEMO_USERS:
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "login": login,
                        "password": login,
                        "name": name,
                        "email": f"{login}@eca-appliances.example.com",
                        "tz": TZ,
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [Command.link(env.ref("base.group_user").id)]
                        + [
                            Command.link(env.ref(f"dealer_management.{group}").id)
                            for group in groups
                        ],
                    }
                )
            )
            self._xmlid(f"demo_user_{login}", user)
            users[login] = user
        return users

    def _generate_portal_users(self, env, company):
        """The dealer portal's users: a contact of each of the first three general
        distributors, logging in as DEMO_PORTAL_USERS says (password = login)."""
        portal = env.ref("base.group_portal")
        for index, login in enumerate(DEMO_PORTAL_USERS):
            dealer = env.ref(f"dealer_management.demo_dealer_{index}")
            contact = dealer.child_ids.filtered(lambda c: c.type == "contact")[:1]
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "login": login,
                        "password": login,
                        "partner_id": (contact or dealer).id,
                        "tz": TZ,
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [Command.set(portal.ids)],
                    }
                )
            )
            self._xmlid(f"demo_portal_user_{index}", user)

    def _generate_communication(self, env, company, users, today):
        """The bulletin and the business meetings (内部刊物, 业务会): an annual meeting
        ahead for the portal's three dealers, the first of them answered; two
        published bulletins (to the A dealers, with an attachment, and to the general
        distributors), read by the first portal user; a draft."""
        for index in range(len(DEMO_PORTAL_USERS)):
            dealer = env.ref(f"dealer_management.demo_dealer_{index}")
            meeting = (
                env["dealer.visit"]
                .with_user(users["dm_chen"])
                .create(
                    {
                        "partner_id": dealer.id,
                        "company_id": company.id,
                        "visit_type": "annual_meeting",
                        "user_id": dealer.user_id.id,
                        "date_planned": today + timedelta(days=20),
                        "location": "杭州国际博览中心 Hangzhou Expo Center",
                        "agenda": "年度经销商大会:新品发布、返利政策、优秀经销商表彰\n"
                        "Annual dealer meeting: new products, rebate policy, awards",
                        "purpose": "年度业务会 Annual business meeting",
                    }
                )
            )
            if index == 0:
                portal_user = env.ref("dealer_management.demo_portal_user_0")
                meeting.with_user(portal_user)._portal_attend(dealer, "confirmed")
        Bulletin = env["dealer.bulletin"].with_user(users["dm_chen"])
        spring, network, _draft = Bulletin.create(
            [
                {
                    "name": "2027 春季新品与返利政策 Spring launch and rebate policy",
                    "body": "<p>各位经销商:春季新品将于下月上市,A 类经销商享受首批"
                    "供货及 3% 阶梯返利。</p><p>Dear dealers: the spring range "
                    "ships next month; A dealers are served first and earn the 3% "
                    "bracket.</p>",
                    "audience_domain": "[('dealer_tier', '=', 'A')]",
                },
                {
                    "name": "经销商通讯 Dealer newsletter",
                    "body": "<p>市场信息:华东地区厨房电器需求上升。</p><p>Market "
                    "news: demand for kitchen appliances is rising in East "
                    "China.</p>",
                    "audience_domain": "[('dealer_level', '=', 'general_distributor')]",
                },
                {
                    "name": "草稿:夏季促销 Draft: summer promotion",
                    "body": "<p>待定 To be decided</p>",
                },
            ]
        )
        spring.attachment_ids = env["ir.attachment"].create(
            {
                "name": "price_list_2027_spring.txt",
                "raw": "冰箱 Fridge 2999\n电饭煲 Rice Cooker 4L 399\n".encode(),
                "res_model": "dealer.bulletin",
                "res_id": spring.id,
            }
        )
        (spring | network).action_publish()
        reader = env.ref("dealer_management.demo_portal_user_0")
        dealer = env.ref("dealer_management.demo_dealer_0")
        for bulletin in (spring | network).filtered(lambda b: dealer in b.partner_ids):
            bulletin.with_user(reader)._portal_read(dealer)

    def _generate_products(self, env, company):
        parent = env["product.category"].create({"name": "家电 Home Appliances"})
        tax = company.account_sale_tax_id.copy(
            {"name": "增值税 13% VAT", "amount": 13.0}
        )
        company.account_sale_tax_id = tax
        products = env["product.product"]
        for index, (category_name, items) in enumerate(DEMO_PRODUCTS):
            category = env["product.category"].create(
                {"name": category_name, "parent_id": parent.id}
            )
            self._xmlid(f"demo_product_category_{index}", category)
            for name, price in items:
                products |= env["product.product"].create(
                    {
                        "name": name,
                        "categ_id": category.id,
                        "type": "consu",
                        "list_price": price,
                        "company_id": company.id,
                        "taxes_id": [Command.set(tax.ids)],
                    }
                )
        return products

    def _dealer_file(self, rng, level, today):
        """Capacity facts (客户档案) in proportion to the dealer's level."""
        size = {"general_distributor": 10, "secondary_wholesaler": 3, "retailer": 1}[
            level
        ]
        return {
            "dealer_status": "active",
            "dealer_since": today - timedelta(days=rng.randint(400, 3000)),
            "dealer_warehouse_area": size * rng.randint(80, 150),
            "dealer_vehicle_count": max(1, size * rng.randint(1, 2) // 2),
            "dealer_staff_count": size * rng.randint(3, 6),
            "dealer_sales_staff_count": size * rng.randint(1, 3),
            "dealer_outlet_count": size * rng.randint(4, 12),
            "dealer_registered_capital": size * rng.randint(5, 20) * 100000,
            "dealer_annual_turnover": size * rng.randint(30, 60) * 100000,
        }

    def _generate_dealers(self, env, company, users, rng, today):
        dealers = env["res.partner"]
        cn = env.ref("base.cn")
        Brand = env["dealer.brand"]
        own_brands = Brand.create(
            [{"name": n, "maker": m, "own": True} for n, m in OWN_BRANDS]
        )
        other_brands = Brand.create(
            [{"name": n, "maker": m, "own": False} for n, m in OTHER_BRANDS]
        )
        categories = env["product.category"].search(
            [("parent_id.name", "=", "家电 Home Appliances")]
        )
        for index, (state_xmlid, login, (city, name), downstream) in enumerate(
            DEMO_NETWORK
        ):
            state = env.ref(state_xmlid)
            territory = env["dealer.territory"].create(
                {
                    "name": state.name,
                    "state_ids": [Command.set(state.ids)],
                    "exclusive": True,
                    "company_id": company.id,
                }
            )
            common = {
                "country_id": cn.id,
                "state_id": state.id,
                "is_company": True,
                "is_dealer": True,
                "company_id": company.id,
                "user_id": users[login].id,
                "dealer_brand_ids": [Command.set(own_brands.ids)],
                "dealer_product_category_ids": [Command.set(categories.ids)],
            }
            distributor = env["res.partner"].create(
                dict(
                    common,
                    name=name,
                    city=city,
                    dealer_level="general_distributor",
                    phone=f"+86 {200 + index} 5555 {1000 + index}",
                    dealer_territory_ids=[Command.set(territory.ids)],
                    dealer_other_brand_ids=[Command.set(other_brands[: index % 3].ids)],
                    **self._dealer_file(rng, "general_distributor", today),
                )
            )
            self._xmlid(f"demo_dealer_{index}", distributor)
            env["res.partner"].create(
                {
                    "name": f"{name[:2]}总经理 General Manager",
                    "parent_id": distributor.id,
                    "type": "contact",
                    "function": "总经理 General Manager",
                }
            )
            dealers |= distributor
            for sub_index, (sub_city, sub_name, level) in enumerate(downstream):
                dealer = env["res.partner"].create(
                    dict(
                        common,
                        name=sub_name,
                        city=sub_city,
                        dealer_level=level,
                        dealer_parent_id=distributor.id,
                        dealer_other_brand_ids=[
                            Command.set(other_brands[sub_index % 3 :].ids)
                        ],
                        **self._dealer_file(rng, level, today),
                    )
                )
                self._xmlid(f"demo_dealer_{index}_{sub_index}", dealer)
                dealers |= dealer
        return dealers

    def _generate_relation_notes(self, env, company, dealers, rng):
        distributors = dealers.filtered(
            lambda d: d.dealer_level == "general_distributor"
        )
        vals = []
        for dealer in distributors:
            for category, name, note in rng.sample(RELATION_NOTES, 2):
                vals.append(
                    {
                        "partner_id": dealer.id,
                        "company_id": company.id,
                        "category": category,
                        "name": name,
                        "note": note,
                    }
                )
        env["dealer.relation.note"].create(vals)

    def _dealer_profile(self, dealer, position, rng):
        """Trend and payment behaviour, spread so that every kind is represented."""
        trend = ["growing", "stable", "declining"][position % 3]
        behaviour = ["punctual", "punctual", "late", "bad"][position % 4]
        low, high = LEVEL_VOLUME[dealer.dealer_level]
        return trend, behaviour, rng.uniform(low, high)

    def _generate_accounting(self, env, company, dealers, products, users, rng, today):
        first_month = today.replace(day=1) - relativedelta(months=MONTHS - 1)
        term_30 = env.ref("account.account_payment_term_30days")
        term_45 = env.ref("account.account_payment_term_45days")
        tax = company.account_sale_tax_id
        invoice_vals = []
        plans = {}  # invoice index -> (dealer position, behaviour)
        # the current month is invoiced as far as it has gone: its volume paced by the
        # days elapsed, each dealer somewhat ahead of or behind the pace (a draw of
        # its own, so that the months before draw as they always did)
        this_month = today.replace(day=1)
        elapsed = (today.day) / (
            (this_month + relativedelta(months=1)) - this_month
        ).days
        pace = random.Random(SEED + 7)
        for position, dealer in enumerate(dealers):
            trend, behaviour, volume = self._dealer_profile(dealer, position, rng)
            for month in range(MONTHS):
                month_start = first_month + relativedelta(months=month)
                month_volume = (
                    volume * (1 + TRENDS[trend]) ** month * rng.uniform(0.85, 1.15)
                )
                if month_start == this_month:
                    month_volume *= elapsed * pace.uniform(0.75, 1.25)
                count = 2 if dealer.dealer_level == "general_distributor" else 1
                for _i in range(count):
                    invoice_date = invoice_day(month_start, rng.randint(0, 27), today)
                    lines = []
                    remaining = month_volume / count
                    for product in rng.sample(list(products), 3):
                        quantity = max(1, round(remaining / 3 / product.list_price))
                        lines.append(
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "quantity": quantity,
                                    "price_unit": product.list_price,
                                    "tax_ids": [Command.set(tax.ids)],
                                }
                            )
                        )
                    plans[len(invoice_vals)] = (behaviour, dealer)
                    invoice_vals.append(
                        {
                            "move_type": "out_invoice",
                            "partner_id": dealer.id,
                            "invoice_date": invoice_date,
                            "invoice_user_id": dealer.user_id.id,
                            "invoice_payment_term_id": (
                                term_45
                                if dealer.dealer_level == "general_distributor"
                                else term_30
                            ).id,
                            "invoice_line_ids": lines,
                        }
                    )
        order = sorted(
            range(len(invoice_vals)), key=lambda i: invoice_vals[i]["invoice_date"]
        )
        invoices = env["account.move"].create([invoice_vals[i] for i in order])
        invoices.action_post()
        behaviours = [plans[i][0] for i in order]

        # Returns: about one invoice in twelve gets a partial credit note.
        refund_vals, refunded = [], []
        for invoice in invoices:
            refund_date = invoice.invoice_date + timedelta(days=rng.randint(5, 20))
            if rng.random() >= 1 / 12 or refund_date > today:
                continue
            line = invoice.invoice_line_ids[0]
            refund_vals.append(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "invoice_date": refund_date,
                    "reversed_entry_id": invoice.id,
                    "ref": f"退货 Return of {invoice.name}",
                    "invoice_user_id": invoice.invoice_user_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "quantity": max(
                                    1, round(line.quantity * rng.uniform(0.1, 0.3))
                                ),
                                "price_unit": line.price_unit,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                            }
                        )
                    ],
                }
            )
            refunded.append(invoice)
        refunds = env["account.move"].create(refund_vals)
        refunds.action_post()
        for refund, invoice in zip(refunds, refunded, strict=False):
            self._receivable_lines(refund | invoice).reconcile()

        # Payments: each dealer pays after its own habit; what is not yet due to be
        # paid by today stays open, so late payers leave overdue invoices.
        journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
        )
        payment_vals, paid = [], []
        for invoice, behaviour in zip(invoices, behaviours, strict=False):
            low, high = PAYMENT_DELAYS[behaviour]
            pay_date = invoice.invoice_date_due + timedelta(days=rng.randint(low, high))
            pay_date = max(pay_date, invoice.invoice_date)
            if pay_date > today or invoice.amount_residual <= 0:
                continue
            payment_vals.append(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": invoice.partner_id.id,
                    "amount": invoice.amount_residual,
                    "date": pay_date,
                    "journal_id": journal.id,
                    "memo": invoice.name,
                }
            )
            paid.append(invoice)
        payments = env["account.payment"].create(payment_vals)
        payments.action_post()
        for payment, invoice in zip(payments, paid, strict=False):
            self._receivable_lines(payment.move_id | invoice).reconcile()

    def _generate_evaluations(self, env, dealers, users, today):
        """Two approved quarterly evaluations per dealer (so that scores have a trend),
        scored by the salesperson and approved by the manager, with the measured
        criteria filled from the invoices and payments above; decisions on the latest
        one, an elimination proposed, and a few evaluations still waiting for
        approval."""
        rng = random.Random(SEED + 1)  # its own stream: the accounting stays as it was
        Campaign = env["dealer.evaluation.campaign"]
        last_start, last_end = Campaign._period(today)
        before_start, before_end = Campaign._period(last_start)
        manager = users["dm_chen"]
        base_score = {"punctual": 4, "late": 3, "bad": 2}
        latest = env["dealer.evaluation"]
        to_approve = env["dealer.evaluation"]
        for position, dealer in enumerate(dealers):
            behaviour = ["punctual", "punctual", "late", "bad"][position % 4]
            for date_start, date_end in (
                (before_start, before_end),
                (last_start, last_end),
            ):
                evaluation = (
                    env["dealer.evaluation"]
                    .with_user(dealer.user_id)
                    .create(
                        {
                            "partner_id": dealer.id,
                            "company_id": dealer.company_id.id,
                            "date_start": date_start,
                            "date_end": date_end,
                            "evaluator_id": dealer.user_id.id,
                        }
                    )
                )
                for line in evaluation.line_ids.filtered(
                    lambda criterion_line: criterion_line.source == "manual"
                ):
                    line.score = min(
                        5, max(0, base_score[behaviour] + rng.choice((-1, 0, 0, 1)))
                    )
                evaluation.action_submit()
                if date_end == last_end and position % 9 == 4:
                    to_approve |= evaluation  # left for the manager to approve
                    continue
                evaluation.with_user(manager).action_approve()
                if date_end == last_end:
                    latest |= evaluation
        worst = min(latest, key=lambda e: (e.score, e.id))
        for evaluation in latest:
            if evaluation == worst:
                decision, reason = (
                    "eliminate",
                    "长期拖欠货款,评分最低。Long overdue and the lowest score.",
                )
            elif evaluation.score >= 70:
                decision, reason = "keep", "经营稳定。Steady business."
            elif evaluation.score >= 55:
                decision, reason = "train", "需要销售培训。Sales staff need training."
            else:
                decision, reason = "reform", "需重建业务队伍。Rebuild the sales team."
            evaluation.with_user(manager).action_decide(decision, reason)

    def _generate_targets_and_tiers(self, env, company, dealers, users, today):
        """Monthly targets for the last three months and the current one, around what
        each dealer invoiced a month on average over the last three; the tier run of
        the last complete month, and one tier set by hand."""
        rng = random.Random(SEED + 2)
        Target = env["dealer.sales.target"]
        this_month = today.replace(day=1)
        recent = Target._achieved_amounts(
            company,
            dealers.ids,
            this_month - relativedelta(months=3),
            this_month - relativedelta(days=1),
        )
        vals = []
        for dealer in dealers:
            monthly = recent.get(dealer.id, 0.0) / 3
            for months_back in range(3, -1, -1):
                amount = round(monthly * rng.uniform(0.9, 1.2), -3) or 1000.0
                vals.append(
                    {
                        "partner_id": dealer.id,
                        "company_id": company.id,
                        "date_start": this_month - relativedelta(months=months_back),
                        "amount": amount,
                    }
                )
        Target.with_context(tracking_disable=True).create(vals)
        # computed as a Dealer Manager does: his button queues it, the background
        # worker computes it
        run = env["dealer.tier.run"]._run_for(
            company, this_month - relativedelta(days=1)
        )
        run.with_user(users["dm_chen"]).action_compute()
        env["dealer.job"]._work_queued()
        retailer = dealers.filtered(lambda d: d.dealer_level == "retailer")[:1]
        env["dealer.tier.override"].with_user(users["dm_chen"]).create(
            {
                "partner_id": retailer.id,
                "tier": "B",
                "reason": "新开旗舰店 New flagship store in the city centre",
                "locked_until": this_month + relativedelta(months=3),
            }
        ).action_confirm()

    def _generate_relations(self, env, company, dealers, users, products, today):
        """Contracts, support given, visits, service cases, dealer stock and incentives,
        each in several states."""
        rng = random.Random(SEED + 3)
        manager = users["dm_chen"]
        distributors = dealers.filtered(
            lambda d: d.dealer_level == "general_distributor"
        )
        categories = env["product.category"].search(
            [("parent_id.name", "=", "家电 Home Appliances")]
        )
        template = env.ref("dealer_management.dealer_contract_template_standard")
        Contract = env["dealer.contract"].with_user(manager)
        year_start = today.replace(month=1, day=1)
        terms = contract_terms(today, len(distributors))
        for (term_start, end), dealer in zip(terms, distributors, strict=False):
            vals = {
                "partner_id": dealer.id,
                "company_id": company.id,
                "user_id": manager.id,
                "product_category_ids": [Command.set(categories.ids)],
                "date_start": term_start,
                "date_end": end,
                "date_signed": term_start,
                "place_signed": "杭州 Hangzhou",
                "template_id": template.id,
                "territory_ids": [Command.set(dealer.dealer_territory_ids.ids)],
                "exclusive": True,
                "credit_limit": 500000,
                "annual_bonus": 20000,
                "promotion_support": 30000,
                **{clause: template[clause] for clause in CLAUSES},
            }
            previous = Contract.create(
                dict(
                    vals,
                    date_start=term_start - relativedelta(years=1),
                    date_end=term_start - timedelta(days=1),
                    date_signed=term_start - relativedelta(years=1),
                )
            )
            previous.action_activate()
            previous.sudo().state = "expired"  # last year's, as the daily job leaves it
            Contract.create(vals).action_activate()
        Contract.with_context(tracking_disable=True)._cron_contract_reminders(
            today, companies=company
        )
        Contract.search(
            [("partner_id", "=", distributors[1].id), ("state", "=", "active")]
        ).action_renew()

        support_vals = []
        for dealer in distributors:
            for kind, name, cost in (
                ("advertising", "户外广告 Billboards", 18000),
                ("training", "销售培训 Sales training", 6000),
            ):
                support_vals.append(
                    {
                        "partner_id": dealer.id,
                        "company_id": company.id,
                        "name": name,
                        "support_type": kind,
                        "cost": cost * rng.uniform(0.5, 1.5),
                        "date": today - timedelta(days=rng.randint(10, 300)),
                    }
                )
        supports = env["dealer.support"].create(support_vals)
        supports[:-2].action_done()

        Visit = env["dealer.visit"]
        for index, dealer in enumerate(dealers):
            salesperson = dealer.user_id
            done = Visit.with_user(salesperson).create(
                {
                    "partner_id": dealer.id,
                    "company_id": company.id,
                    "visit_type": "dealer_visit",
                    "user_id": salesperson.id,
                    "date_planned": today - timedelta(days=30 + index),
                    "purpose": "月度拜访 Monthly visit: stock and orders",
                }
            )
            done.outcome = "下月订货计划已确认 Next month's order plan agreed"
            done.with_user(salesperson).action_done()
            # every third dealer's next visit is already overdue
            Visit.with_user(salesperson).create(
                {
                    "partner_id": dealer.id,
                    "company_id": company.id,
                    "visit_type": "quarterly_meeting"
                    if index % 5 == 0
                    else "dealer_visit",
                    "user_id": salesperson.id,
                    "date_planned": today
                    + timedelta(days=(-5 if index % 3 == 0 else 10)),
                    "purpose": "季度业务会议 Quarterly review"
                    if index % 5 == 0
                    else "月度拜访 Monthly visit",
                }
            )

        Case = env["dealer.service.case"]
        now = fields.Datetime.now()
        for index, (kind, state) in enumerate(
            (
                ("return", "resolved"),
                ("repair", "answered"),
                ("complaint", "new"),
                ("return", "new"),
                ("complaint", "resolved"),
            )
        ):
            dealer = dealers[index * 5]
            case = Case.with_user(dealer.user_id).create(
                {
                    "partner_id": dealer.id,
                    "company_id": company.id,
                    "case_type": kind,
                    "product_id": products[index].id,
                    "quantity": 1 + index,
                    "date_received": now - timedelta(hours=6 + index * 20),
                    "reason": "外壳破损 Damaged casing"
                    if kind != "complaint"
                    else "送货延误 Late delivery",
                }
            )
            if state in ("answered", "resolved"):
                case.action_answer()
            if state == "resolved":
                case.resolution = "已换货 Exchanged"
                case.action_resolve()

        this_month = today.replace(day=1)
        env["dealer.safety.stock"].create(
            [
                {
                    "product_id": product.id,
                    "company_id": company.id,
                    "quantity": 20,
                    "cover_weeks": 6,
                }
                for product in products[:2]
            ]
        )
        stock_vals = []
        for dealer in distributors[:3]:
            for product in products[:2]:
                closing = rng.randint(40, 160)
                for months_back in range(3, 0, -1):
                    sold = rng.randint(30, 60)
                    received = rng.randint(25, 65)
                    opening = closing
                    closing = opening + received - sold
                    stock_vals.append(
                        {
                            "partner_id": dealer.id,
                            "company_id": company.id,
                            "product_id": product.id,
                            "month": this_month - relativedelta(months=months_back),
                            "opening": opening,
                            "received": received,
                            "sold": sold,
                            "closing": closing,
                        }
                    )
        env["dealer.stock.report"].create(stock_vals)

        env["dealer.incentive"].with_user(manager).create(
            [
                {
                    "partner_id": dealer.id,
                    "company_id": company.id,
                    "name": name,
                    "incentive_type": kind,
                    "period_start": year_start.replace(year=year_start.year - 1),
                    "period_end": year_start - timedelta(days=1),
                }
                for dealer, name, kind in (
                    (
                        distributors[0],
                        "年度最佳经销商 Dealer of the year",
                        "recognition",
                    ),
                    (
                        distributors[2],
                        "工厂参观培训 Factory training trip",
                        "training_trip",
                    ),
                )
            ]
        )

    def _generate_warnings(self, env, company, dealers, today):
        """An incident, credit limits, then every default warning rule run once."""
        env["dealer.incident"].create(
            {
                "partner_id": dealers[3].id,
                "company_id": company.id,
                "name": "仓库被盗 Warehouse break-in",
                "incident_type": "theft",
                "date": today - timedelta(days=3),
                "severity": "critical",
                "description": "约 40 台电饭煲被盗,已报警。About 40 rice cookers "
                "stolen; police informed.",
            }
        )
        for dealer in dealers.filtered(
            lambda d: d.dealer_level == "general_distributor"
        ):
            dealer.with_company(company).credit_limit = 400000
        env["dealer.warning.rule"].search([])._evaluate(companies=company, today=today)

    def _generate_rebates(self, env, company, products, users, today):
        """A quarterly volume rebate over the last four closed quarters and the current
        one, computed by the period-end job; then statements in every state: the oldest
        quarter settled by credit notes, the next approved, one cancelled, the last
        closed quarter waiting for approval, the current quarter in draft (earned to
        date)."""
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        first = quarter_start - relativedelta(months=12)
        categories = products.categ_id
        program = (
            env["dealer.rebate.program"]
            .with_user(users["dm_chen"])
            .create(
                {
                    "name": "季度销量返利 Quarterly Volume Rebate",
                    "company_id": company.id,
                    "date_start": first,
                    "date_end": quarter_start + relativedelta(months=3, days=-1),
                    "period_type": "quarter",
                    "categ_ids": [Command.set(categories.parent_id.ids)],
                    "exclude_categ_ids": [
                        Command.set(
                            categories.filtered(lambda c: c.name.startswith("配件")).ids
                        )
                    ],
                    "bracket_mode": "marginal",
                    "growth_rate": 2.0,
                    "discipline": "reduce",
                    "discipline_days": 60,
                    "discipline_rate": 50.0,
                    "cap_amount": 20000,
                    "second_approval_amount": 3000,
                    "watch_distance": 15,
                    "bracket_ids": [
                        Command.create({"amount_from": f, "amount_to": t, "rate": r})
                        for f, t, r in (
                            (0, 50000, 1.0),
                            (50000, 150000, 2.0),
                            (150000, 0, 3.0),
                        )
                    ],
                }
            )
        )
        self._xmlid("demo_rebate_program", program)
        self._generate_paid_program(program, users)
        Contract = env["dealer.contract"]
        Contract.search(
            [("company_id", "=", company.id), ("state", "=", "active")]
        ).write({"rebate_program_ids": [Command.link(program.id)]})
        env["dealer.rebate.program"]._cron_period_end(today, companies=company)
        Rebate = env["dealer.rebate"]
        quarters = sorted(
            set(Rebate.search([("program_id", "=", program.id)]).mapped("date_to"))
        )
        manager, director = users["dm_chen"], users["dm_zhao"]

        def approve(rebates):
            for rebate in rebates:
                rebate.with_user(manager).validate_tier()
                if rebate.state != "approved":
                    rebate.with_user(director).validate_tier()

        def closed(date_to):
            return Rebate.search(
                [
                    ("program_id", "=", program.id),
                    ("date_to", "=", date_to),
                    ("state", "=", "to_approve"),
                ]
            )

        oldest, second, third = (closed(quarters[i]) for i in range(3))
        approve(oldest)
        oldest.with_user(users["dm_liu"]).action_settle()
        approve(second)
        third[:1].with_user(manager).action_cancel()
        self._generate_accruals(env, company, program, users, today)
        self._generate_simulation(env, program, users, today, quarter_start)

    def _generate_funds(self, env, company, users, today):
        """Market-expense funds: an advertising rule applied to the current quarter
        (every dealer with a tier gets his fund), promotion funds set by hand for the
        three portal dealers with requests and claims in every state, and last
        half-year's fund lapsed with a request nobody claimed."""
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        quarter_end = quarter_start + relativedelta(months=3, days=-1)
        manager, director = users["dm_chen"], users["dm_zhao"]
        accountant = users["dm_liu"]
        company.dealer_fund_second_approval_amount = 20000
        rule = (
            env["dealer.fund.rule"]
            .with_user(manager)
            .create(
                {
                    "name": "季度广告费用额度 Quarterly Advertising Fund",
                    "company_id": company.id,
                    "activity_kind": "advertising",
                    "period_type": "quarter",
                    "claim_days": 30,
                    "cap": 30000,
                    "line_ids": [
                        Command.create({"tier": "A", "rate": 1, "fixed_amount": 2000}),
                        Command.create(
                            {"tier": "B", "rate": 0.5, "fixed_amount": 1000}
                        ),
                        Command.create({"tier": "C", "fixed_amount": 500}),
                    ],
                }
            )
        )
        rule.action_apply(quarter_start)
        Fund = env["dealer.fund"].with_user(manager)
        Request = env["dealer.fund.request"]
        Claim = env["dealer.fund.claim"]

        def request(fund, title, planned, asked, offset):
            salesperson = fund.partner_id.user_id
            start = today + timedelta(days=offset)
            return Request.with_user(salesperson).create(
                {
                    "partner_id": fund.partner_id.id,
                    "company_id": company.id,
                    "fund_id": fund.id,
                    "title": title,
                    "date_start": start,
                    "date_end": start + timedelta(days=6),
                    "place": fund.partner_id.city or "门店 Store",
                    "planned_cost": planned,
                    "requested_amount": asked,
                    "expected_sellout": planned * 8,
                }
            )

        def approve(req):
            req.action_submit()
            req.action_review()
            req.with_user(manager).validate_tier()
            if req.state == "to_approve":
                req.with_user(director).validate_tier()
            return req

        def claim(req, cost, claimed):
            salesperson = req.partner_id.user_id
            photo = (
                env["ir.attachment"]
                .with_user(salesperson)
                .create(
                    {
                        "name": "现场照片 stand.jpg",
                        "raw": demo_photo(req.name),
                        "res_model": "dealer.fund.claim",
                    }
                )
            )
            return Claim.with_user(salesperson).create(
                {
                    "request_id": req.id,
                    "actual_cost": cost,
                    "claimed_amount": claimed,
                    "sellout_amount": cost * 7,
                    "proof_ids": [Command.set(photo.ids)],
                }
            )

        for index in range(3):
            dealer = env.ref(f"dealer_management.demo_dealer_{index}")
            fund = Fund.create(
                {
                    "partner_id": dealer.id,
                    "company_id": company.id,
                    "activity_kind": "promotion",
                    "date_start": quarter_start,
                    "date_end": quarter_end,
                    "date_expiry": quarter_end + timedelta(days=30),
                    "amount": 80000,
                }
            )
            # before the spend: a draft, one submitted, one to approve (above the
            # company's amount, the director's too), one approved, one rejected
            request(fund, "周末路演 Weekend roadshow", 6000, 3000, 20)
            request(
                fund, "社区推广 Community promotion", 5000, 2500, 25
            ).action_submit()
            waiting = request(fund, "店庆活动 Store anniversary", 50000, 25000, 30)
            waiting.action_submit()
            waiting.action_review()
            waiting.with_user(manager).validate_tier()
            approve(request(fund, "新品发布会 Launch event", 10000, 5000, 12))
            refused = request(fund, "抽奖活动 Lucky draw", 8000, 4000, 15)
            refused.action_submit()
            refused.action_review()
            refused.with_user(manager).action_reject(
                "本月总部已有同类抽奖活动 Head office runs a lucky draw this month"
            )
            # after the spend: a claim in every state
            claim(
                approve(request(fund, "门店陈列 Store display", 4000, 2000, -40)),
                3800,
                1900,
            )
            submitted = claim(
                approve(request(fund, "促销员 Promoters", 6000, 3000, -35)), 6000, 3000
            )
            submitted.action_submit()
            reduced = claim(
                approve(request(fund, "报纸广告 Newspaper ad", 9000, 4500, -30)),
                9000,
                4500,
            )
            reduced.action_submit()
            reduced.with_user(accountant).action_reduce(
                4000, "发票只有 8,000 元 The invoices add up to 8,000"
            )
            rejected = claim(
                approve(request(fund, "试吃活动 Tasting", 3000, 1500, -25)), 3000, 1500
            )
            rejected.action_submit()
            rejected.with_user(accountant).action_reject(
                "照片不是本次活动 The photo is of another event"
            )
            settled = claim(
                approve(request(fund, "开业促销 Opening sale", 12000, 6000, -20)),
                11000,
                5500,
            )
            settled.action_submit()
            settled.with_user(accountant).action_grant()
            settled.with_user(accountant).action_settle()
        # last half-year's fund: a request approved and never claimed lapses with it
        old_start = quarter_start - relativedelta(months=6)
        old_end = quarter_start - relativedelta(months=3, days=1)
        old = Fund.create(
            {
                "partner_id": env.ref("dealer_management.demo_dealer_0").id,
                "company_id": company.id,
                "activity_kind": "training",
                "date_start": old_start,
                "date_end": old_end,
                "date_expiry": old_end + timedelta(days=30),
                "amount": 10000,
            }
        )
        approve(request(old, "导购培训 Sales staff training", 4000, 4000, -100))
        env["dealer.fund"]._cron_lapse(today=today)

    def _generate_paid_program(self, program, users):
        """The same program on paid sales (按回款返利), computed by the daily job with
        the program."""
        paid = program.with_user(users["dm_chen"]).copy(
            {
                "name": "季度回款返利 Quarterly Rebate on Paid Sales",
                "sales_basis": "paid",
            }
        )
        self._xmlid("demo_rebate_program_paid", paid)

    def _generate_simulation(self, env, program, users, today, quarter_start):
        """A what-if simulation of the program on the last closed quarter, with a
        variant: marginal brackets of 1.5 %, 2.5 % and 3.5 %, no cap."""
        last_quarter = quarter_start - relativedelta(months=3)
        simulation = (
            env["dealer.rebate.simulation"]
            .with_user(users["dm_chen"])
            .create(
                {
                    "name": "上季度：提高档位 Last quarter, higher brackets",
                    "program_id": program.id,
                    "date_from": last_quarter,
                    "date_to": quarter_start - relativedelta(days=1),
                    "has_variant": True,
                    "variant_bracket_mode": "marginal",
                    "variant_growth_rate": program.growth_rate,
                    "variant_bracket_ids": [
                        Command.create({"amount_from": f, "amount_to": t, "rate": r})
                        for f, t, r in (
                            (0, 50000, 1.5),
                            (50000, 150000, 2.5),
                            (150000, 0, 3.5),
                        )
                    ],
                }
            )
        )
        simulation.action_simulate()
        self._xmlid("demo_rebate_simulation", simulation)

    def _generate_accruals(self, env, company, program, users, today):
        """The accrual settings, and the accruals of the last three month-ends posted
        by the accountant (with their reversals)."""
        Account = env["account.account"].with_company(company)
        accrued = Account.create(
            {
                "code": "224199",
                "name": "应付返利 Accrued Rebates",
                "account_type": "liability_current",
            }
        )
        expense = Account.create(
            {
                "code": "660199",
                "name": "返利费用 Rebate Expense",
                "account_type": "expense",
            }
        )
        journal = env["account.journal"].create(
            {
                "name": "返利计提 Rebate Accruals",
                "code": "RACR",
                "type": "general",
                "company_id": company.id,
            }
        )
        company.write(
            {
                "dealer_rebate_accrual_journal_id": journal.id,
                "dealer_rebate_accrued_account_id": accrued.id,
                "dealer_rebate_expense_account_id": expense.id,
            }
        )
        Accrual = env["dealer.rebate.accrual"].with_user(users["dm_liu"])
        first = today.replace(day=1)
        for months in (3, 2, 1):
            day = first - relativedelta(months=months - 1) - relativedelta(days=1)
            Accrual._accrue(program, day)

    @staticmethod
    def _receivable_lines(moves):
        return moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
        )
