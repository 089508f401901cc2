from . import dealer_evaluation_decide
