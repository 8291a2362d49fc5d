"""Failed logins are throttled per account and per address, on the login page and for API
tokens; API clients past a rate get 429 with Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from annotations.api import throttling
from tests.factories import UserFactory
from tests.helpers import manage, subprocess_env

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def limit(settings) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


@pytest.fixture
def rita(db):
    user = UserFactory(username="rita")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username: str, password: str, address: str = "10.0.0.1", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, rita, limit):
    for _ in range(limit - 1):
        response = log_in(client, "rita", "wrong")
        assert response.status_code == 200
        assert "didn't match" in response.content.decode()
    # The failure that reaches the limit is answered with the lockout already.
    assert log_in(client, "rita", "wrong").status_code == 429
    response = log_in(client, "rita", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    page = response.content.decode()
    assert "Too many failed logins for this account or from this address." in page
    assert "15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_every_address(client, rita, limit):
    for number in range(limit):
        log_in(client, "rita", "wrong", address=f"10.0.1.{number}")
    assert log_in(client, "rita", PASSWORD, address="10.0.2.1").status_code == 429


def test_an_address_guessing_many_accounts_is_locked_for_all_of_them(client, rita, limit):
    for number in range(limit):
        log_in(client, f"someone{number}", "wrong", address="10.0.3.1")
    assert log_in(client, "rita", PASSWORD, address="10.0.3.1").status_code == 429
    # Another address logs in as usual.
    response = log_in(client, "rita", PASSWORD, address="10.0.3.2")
    assert response.status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, rita, limit):
    for _ in range(limit - 1):
        log_in(client, "rita", "wrong")
    assert log_in(client, "rita", PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        log_in(client, "rita", "wrong")
    assert log_in(client, "rita", PASSWORD).status_code == 302


def test_the_lockout_message_is_in_russian_for_a_russian_reader(client, rita, limit):
    for _ in range(limit):
        log_in(client, "rita", "wrong")
    response = log_in(client, "rita", PASSWORD, **{"Accept-Language": "ru"})
    assert response.status_code == 429
    assert "Слишком много неудачных попыток входа" in response.content.decode()


def token(client: APIClient, username: str, password: str, address: str = "10.0.4.1"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_an_api_token_is_given_for_the_right_password(rita):
    response = token(APIClient(), "rita", PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    listed = APIClient().get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {key}")
    assert listed.status_code == 200


def test_token_creation_is_locked_like_the_login_page(rita, limit, client):
    api = APIClient()
    for _ in range(limit - 1):
        response = token(api, "rita", "wrong")
        assert response.status_code == 400
        assert response.json()["error"] == "invalid"
    assert token(api, "rita", "wrong").status_code == 429
    response = token(api, "rita", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["error"] == "locked_out" and "Too many failed logins" in body["detail"]
    # The same account is locked on the login page too.
    assert log_in(client, "rita", PASSWORD, address="10.0.5.1").status_code == 429


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"user": "3/minute", "anon": "2/minute", "token": "2/minute"},
    )
    cache.clear()
    caches["throttle"].clear()
    yield
    cache.clear()
    caches["throttle"].clear()


def test_an_api_client_past_its_rate_gets_429_with_retry_after(rita, low_rates):
    api = APIClient()
    api.force_authenticate(rita)
    statuses = [api.get("/api/v1/projects/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/projects/")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["error"] == "throttled"


def test_token_requests_have_their_own_rate(rita, low_rates):
    api = APIClient()
    statuses = [token(api, "rita", PASSWORD).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.fixture
def shared_counts(settings, redis_broker, rita):
    """Production's rate counting: in Redis, with the user's count starting from nothing."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_broker,
            "KEY_PREFIX": "factcheck-rates",
        },
    }
    caches["throttle"].delete(f"throttle_user_{rita.pk}")
    yield caches["throttle"]
    caches["throttle"].delete(f"throttle_user_{rita.pk}")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_every_web_process_counts_towards_the_same_rate(rita, shared_counts, monkeypatch):
    rates = {"user": "3/minute", "anon": "3/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    api = APIClient()
    api.force_authenticate(rita)
    assert [api.get("/api/v1/projects/").status_code for _ in range(3)] == [200, 200, 200]

    # A second web process, with its own memory, sees the three requests made here.
    env = subprocess_env()
    env.update(API_RATE_USER="3/minute", ALLOWED_HOSTS="testserver")
    other = manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from rest_framework.test import APIClient\n"
        "api = APIClient()\n"
        "api.force_authenticate(get_user_model().objects.get(username='rita'))\n"
        "print(api.get('/api/v1/projects/').status_code)\n",
        env=env,
    )
    assert other.returncode == 0, other.stderr.decode()
    assert other.stdout.decode().split()[-1] == "429"


def test_a_redis_that_does_not_answer_leaves_the_api_counting_on_its_own(
    settings, rita, monkeypatch
):
    rates = {"user": "3/minute", "anon": "3/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    monkeypatch.setattr(throttling, "_shared_down_until", 0.0)
    api = APIClient()
    api.force_authenticate(rita)
    statuses = [api.get("/api/v1/projects/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
