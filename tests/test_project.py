"""The project's shape: docker-compose true to the code, every model in the admin, Finnish defaults."""

from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.contrib import admin

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_describes_the_production_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert "gunicorn popsote.wsgi" in services["web"]["command"]
    assert "celery -A popsote worker" in services["worker"]["command"]
    assert "celery -A popsote beat" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379")
        assert set(services[name]["depends_on"]) == {"db", "redis"}


def test_every_model_of_our_apps_is_in_the_admin():
    ours = {"portfolio", "budgets", "milestones", "indicators", "reports"}
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in ours and not model.__name__.startswith("Historical")  # shown per object
    ]
    assert models
    assert [model for model in models if model not in admin.site._registry] == []


def test_finnish_is_the_default_language_in_helsinki_time():
    assert settings.LANGUAGE_CODE == "fi"
    assert settings.TIME_ZONE == "Europe/Helsinki"
    assert [code for code, _name in settings.LANGUAGES] == ["fi", "sv", "en"]


def test_tests_run_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_database_connections_are_kept_and_checked_on_postgresql():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_swedish_and_english_catalogues_are_complete():
    import re

    for language in ("sv", "en"):
        text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        entries = text.split("\n\n")[1:]  # the first block is the header
        assert len(entries) > 250
        untranslated = [
            e for e in entries if re.search(r'^msgstr(\[\d\])? ""$', e, re.M) and '\n"' not in e.split("msgstr")[-1]
        ]
        assert untranslated == [], language
        assert "#, fuzzy" not in text, language
        assert (ROOT / "locale" / language / "LC_MESSAGES" / "django.mo").exists()
