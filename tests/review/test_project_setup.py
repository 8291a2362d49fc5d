"""Migrations, settings and the commands that set the project up."""

import pytest
from django.core.management import call_command

from annotations.models import Claim, Document, Project
from tests.helpers import manage, subprocess_env


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def production_env(**overrides: str) -> dict[str, str]:
    env = subprocess_env()
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "STATIC_MANIFEST"):
        env.pop(name, None)
    env.update(overrides)
    return env


@pytest.mark.django_db(transaction=True)
def test_production_without_a_secret_key_stops_with_a_clear_error():
    env = production_env()
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert b"SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_deploy_check_is_clean_with_production_settings():
    env = production_env(
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="factcheck.example.org",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


@pytest.mark.django_db
def test_demo_setup_imports_the_demo_article_into_claims():
    call_command("setup_demo", verbosity=0)
    call_command("setup_demo", verbosity=0)  # a second run changes nothing

    project = Project.objects.get(slug="demo")
    document = Document.objects.get(project=project)
    assert document.status == Document.Status.READY
    assert document.language == "ru"
    claims = list(Claim.objects.filter(document=document).order_by("position"))
    assert len(claims) >= 20
    for claim in claims:
        assert document.text[claim.start : claim.end] == claim.text
    assert claims[0].text.startswith("Сотрудничество России и Казахстана")
    assert project.rating_scale.ratings.count() == 8
    assert project.memberships.filter(user__username="demo", role="admin").exists()


@pytest.mark.django_db(transaction=True)
def test_demo_setup_prints_where_to_log_in():
    result = manage("setup_demo", "--password", "s3cret-demo", env=subprocess_env())
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "http://127.0.0.1:8000/" in out
    assert "demo / s3cret-demo" in out
