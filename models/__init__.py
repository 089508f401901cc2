from . import res_partner
from . import dealer_relation_note
from . import dealer_territory
from . import dealer_brand
