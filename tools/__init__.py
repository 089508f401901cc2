# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .scope import company_domain
from .bulk_write import BulkWriter
from .rights import ACCOUNTANT, MANAGER, SALESPERSON, check_group, in_group
