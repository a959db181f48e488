"""Rate limits live in Redis when REDIS_URL is set (several servers share them), in memory otherwise."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]


def test_memory_storage_is_chosen_explicitly_without_a_warning(tmp_path) -> None:  # noqa: ANN001
    # pytest turns warnings into errors: building the app is the assertion.
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_login_throttle_works_with_redis_storage(tmp_path) -> None:  # noqa: ANN001
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    # In its own process: the limiter is one object per process, bound to one storage at a time.
    script = textwrap.dedent(f"""
        import uuid, warnings
        warnings.simplefilter("error")
        from flask_migrate import upgrade
        from tests.conftest import FormClient
        from marketplace import create_app
        from marketplace.extensions import limiter
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path / 'x.sqlite3'}",
                          "SECRET_KEY": "x", "UPLOAD_DIR": "{tmp_path}", "TESTING": True,
                          "RATELIMIT_KEY_PREFIX": "ocop-test-" + uuid.uuid4().hex[:8],
                          "LOGIN_FAILURES_PER_ACCOUNT": "2 per 15 minutes"}})
        assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
        with app.app_context():
            upgrade()
            web = FormClient(app.test_client())
            form = {{"email": "nobody@example.vn", "password": "wrong password"}}
            print([web.post("/account/login", form).status_code for _ in range(3)])
            limiter.reset()
    """)
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0", "INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[200, 200, 429]"
