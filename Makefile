# The two commands of the README. Odoo 18.0 comes from ODOO_SRC or an importable `odoo`.
PYTHON ?= python3
PORT ?= 8069
RECREATE ?=

.PHONY: demo test bench test-dates
demo:
	PORT=$(PORT) $(PYTHON) scripts/dealerctl.py demo $(if $(RECREATE),--recreate)

test:
	$(PYTHON) scripts/dealerctl.py test -- $(PYTEST_ARGS)

bench:
	$(PYTHON) benchmarks/run.py $(BENCH_ARGS)

# the whole suite once per date (DATES="2027-01-01 ..."), on faketime's clock
test-dates:
	$(PYTHON) scripts/dealerctl.py test-dates $(DATES)
