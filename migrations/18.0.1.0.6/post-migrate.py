# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Record rules for every model, approvals nobody forges (18.0.1.0.6).

Contract templates follow their company now (a record rule). The standard template the
addon installs is shared by every company, as the default service standards are: it
was installed with the installing company (the field's default), which would hide it
from the others. Only the addon's own record is changed, and only while it still has
that company.

The approvals of rebate statements given before are recorded where the addon now
checks them (below).

The tier "New" is "New Dealer" (新客户) now, so that "New" is a new record's state
(新建) in Chinese; the scope value of the tier, installed once, is renamed with it
while it still has the old name."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE dealer_contract_template template
           SET company_id = NULL
          FROM ir_model_data imd
         WHERE imd.module = 'dealer_management'
           AND imd.name = 'dealer_contract_template_standard'
           AND imd.model = 'dealer.contract.template'
           AND template.id = imd.res_id
           AND template.company_id = (
                SELECT id FROM res_company ORDER BY id LIMIT 1
           )
        """
    )
    # Approvals are checked against who gave them through the statement's button
    # (dealer_rebate.review_uids), no longer against the reviews' stored statuses:
    # the approvals already given on statements still waiting are taken as given.
    cr.execute(
        """
        INSERT INTO dealer_rebate_review_user_rel (rebate_id, user_id)
        SELECT DISTINCT review.res_id, review.done_by
          FROM tier_review review
          JOIN dealer_rebate rebate ON rebate.id = review.res_id
         WHERE review.model = 'dealer.rebate'
           AND review.status = 'approved'
           AND review.done_by IS NOT NULL
           AND rebate.state = 'to_approve'
        ON CONFLICT DO NOTHING
        """
    )
    cr.execute(
        """
        UPDATE dealer_scope_value value
           SET name = value.name || jsonb_build_object(
                    'en_US', 'New Dealer', 'zh_CN', '新客户')
          FROM ir_model_data imd
         WHERE imd.module = 'dealer_management'
           AND imd.name = 'scope_tier_new'
           AND imd.model = 'dealer.scope.value'
           AND value.id = imd.res_id
           AND value.name->>'en_US' = 'New'
        """
    )
