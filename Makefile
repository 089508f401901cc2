# The README's commands: make demo, make test (and make lint, make bench). Odoo 18.0
# comes from ODOO_SRC or an importable `odoo`.
PYTHON ?= python3
PORT ?= 8069
RECREATE ?=

.PHONY: demo test bench test-dates lint
demo:
	PORT=$(PORT) $(PYTHON) scripts/dealerctl.py demo $(if $(RECREATE),--recreate)

test:
	$(PYTHON) scripts/dealerctl.py test -- $(PYTEST_ARGS)

bench:
	$(PYTHON) benchmarks/run.py $(BENCH_ARGS)

# the whole suite once per date (DATES="2027-01-01 ..."), on faketime's clock
test-dates:
	$(PYTHON) scripts/dealerctl.py test-dates $(DATES)

# Lint as OCA's 18.0 template does (.ruff.toml, .pylintrc-mandatory, odoo-pre-commit-hooks)
# and check the Apps page against the readme fragments; any finding fails. The tools come
# from requirements-dev.txt, installed first as scripts/dealerctl.py installs it.
# pylint gets every Python file git knows or would add (tests included).
LINT_PIP_ENV = PIP_CONSTRAINT=scripts/pip-constraints.txt \
	PIP_BUILD_CONSTRAINT=scripts/pip-constraints.txt PIP_ROOT_USER_ACTION=ignore
lint:
	$(LINT_PIP_ENV) $(PYTHON) -m pip install -q --disable-pip-version-check \
		-r requirements-dev.txt
	$(PYTHON) -m ruff check --no-fix .
	$(PYTHON) -m ruff format --check .
	git ls-files -z --cached --others --exclude-standard '*.py' \
		| xargs -0 $(PYTHON) -m pylint --rcfile=.pylintrc-mandatory
	$(PYTHON) scripts/oca_checks.py
	$(PYTHON) scripts/gen_index_html.py --check
