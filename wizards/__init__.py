from . import dealer_evaluation_decide
from . import dealer_tier_override
from . import dealer_contract_terminate
from . import dealer_warning_dismiss
from . import dealer_rebate_accrue
