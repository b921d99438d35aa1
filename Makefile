# Petition Desk: `make run` starts the whole portal on embedded defaults; `make test` runs the suite.
# Both set up everything they need first (virtual environment, packages, translations, database).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po locale-vendor/*/LC_MESSAGES/django.po))
# The port `make run` serves on: `make run PORT=8080` when 8000 is taken.
PORT ?= 8000

.PHONY: install run test lint messages compilemessages migrate demo clean

install: $(STAMP) $(MO_FILES)

$(STAMP): pyproject.toml
	@bash scripts/check-system.sh $(if $(filter test,$(MAKECMDGOALS)),test,run)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Translations are compiled with Babel, so no system gettext is needed to run the portal.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

locale-vendor/%/LC_MESSAGES/django.mo: locale-vendor/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data

demo: migrate
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py make_reports --weeks 2 --office-only
	$(BIN)/python manage.py escalation_sweep

# Web on http://127.0.0.1:$(PORT), a Celery worker and beat, all stopped together by Ctrl-C.
# honcho gives the first process (web) the port it starts from, in the PORT variable.
run: demo
	$(BIN)/honcho --procfile Procfile.dev start --port $(PORT)

test: install
	@bash scripts/check-system.sh test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Developers: refresh the message catalogue after changing strings (needs gettext's xgettext).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'var/*'

clean:
	rm -rf var/broker var/cache
