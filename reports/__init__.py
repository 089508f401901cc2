from . import dealer_xlsx_table
from . import dealer_list_xlsx
from . import dealer_evaluation_xlsx
from . import dealer_aging_xlsx
from . import dealer_rebate_xlsx
from . import dealer_scorecard
from . import dealer_account_statement
from . import dealer_stock_template_xlsx
