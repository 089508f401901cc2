from . import dealer_evaluation_decide
from . import dealer_tier_override
from . import dealer_contract_terminate
from . import dealer_warning_dismiss
from . import dealer_rebate_accrue
from . import dealer_fund_rule_apply
from . import dealer_fund_claim_decide
from . import dealer_fund_request_reject
