from . import res_partner
from . import dealer_relation_note
