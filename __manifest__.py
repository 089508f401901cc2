# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Dealer Management",
    "summary": "Run a manufacturer's dealer and distributor network (经销商管理): "
    "dealer file, multi-tier network, evaluations, tiers, rebates and warnings",
    "version": "18.0.1.0.0",
    "category": "Sales/Dealers",
    "license": "LGPL-3",
    "author": "dealer_management developers",
    "depends": [
        "mail",
        "contacts",
        "sale_management",
        "account",
        "report_xlsx",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/dealer_management_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/dealer_evaluation_criterion_data.xml",
        "data/ir_cron_data.xml",
        "views/res_partner_views.xml",
        "views/dealer_relation_note_views.xml",
        "views/dealer_territory_views.xml",
        "views/dealer_brand_views.xml",
        "views/dealer_evaluation_criterion_views.xml",
        "views/dealer_evaluation_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/dealer_evaluation_decide_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/dealer_demo.xml",
    ],
    "application": True,
    "installable": True,
}
