import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def run_settings(env, code="print(settings.DEBUG)"):
    """`code` in a fresh process with these environment values and `settings` at hand; the
    apps are loaded (django.setup(), a second or so) only where a test asks for it."""
    unset = {"SECRET_KEY", "DEBUG", "CONN_MAX_AGE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; {code}"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_secret_key_required_without_debug():
    result = run_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_secret_key():
    result = run_settings({"DEBUG": "1"}, "import django; django.setup(); print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_postgres_connections_are_health_checked():
    code = "d = settings.DATABASES['default']; print(d['CONN_HEALTH_CHECKS'], d['CONN_MAX_AGE'])"
    result = run_settings({"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/db"}, code)
    assert result.stdout.split() == ["True", "60"], result.stderr


def _redis_reachable():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis reachable")
def test_redis_cache_from_cache_url():
    import environ

    config = environ.Env.cache_url_config(REDIS_URL)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    with override_settings(CACHES={"default": settings.CACHES["default"], "redis": config}):
        cache = caches["redis"]
        key = f"test-{uuid.uuid4()}"
        cache.set(key, {"headline": "比亚迪"}, 10)
        assert cache.get(key) == {"headline": "比亚迪"}
        cache.delete(key)
