"""The sign-in throttle holds across workers: two processes, each with its own application (as two
gunicorn workers are), on one database, take turns answering wrong passwords and must block at
the promised counts. Run with the database store and, when Redis runs here, the Redis store."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from marketplace.extensions import db
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/0"

WORKER = textwrap.dedent("""
    import sys, warnings
    warnings.simplefilter("error")
    from tests.conftest import FormClient, make_app
    from pathlib import Path
    app = make_app(sys.argv[1], Path(sys.argv[2]),
                   THROTTLE_KEY_PREFIX=sys.argv[3])
    print("ready", flush=True)
    for line in sys.stdin:
        email, address = line.split()
        # A new browser each time, from `address`: nothing is shared but the store.
        web = FormClient(app.test_client())
        with app.app_context():  # for the CSRF token; the request gets its own context
            response = web.post("/account/login", {"email": email, "password": "wrong password"},
                                environ_base={"REMOTE_ADDR": address})
        print(response.status_code, flush=True)
""")


class Workers:
    """Two worker processes; `post(email, address)` goes to each in turn."""

    def __init__(self, database_url: str, tmp_dir: Path, env: dict[str, str]) -> None:
        prefix = "ocop-test-" + uuid.uuid4().hex[:8]
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, database_url, str(tmp_dir), prefix],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for process in self.processes:
            assert process.stdout.readline().strip() == "ready"
        self.turn = 0

    def post(self, email: str, address: str) -> int:
        process = self.processes[self.turn % 2]
        self.turn += 1
        process.stdin.write(f"{email} {address}\n")
        process.stdin.flush()
        return int(process.stdout.readline())

    def close(self) -> None:
        for process in self.processes:
            process.stdin.close()
            process.wait(timeout=30)
            process.stdout.close()


def _redis_running() -> bool:
    redis = pytest.importorskip("redis")
    try:
        return bool(redis.Redis.from_url(REDIS_URL).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture(params=["database", "redis"])
def workers(request, app, tmp_path):
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "REDIS_URL": ""}
    if request.param == "redis":
        if not _redis_running():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        env["REDIS_URL"] = REDIS_URL
    make_user("lan@example.vn")
    db.session.commit()
    started = Workers(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, env)
    yield started
    started.close()


def test_the_eleventh_wrong_password_for_an_account_is_refused_whichever_worker_answers(workers) -> None:
    answers = [workers.post("lan@example.vn", "203.0.113.7") for _ in range(12)]
    assert answers == [200] * 10 + [429] * 2


def test_the_thirty_first_failure_from_an_address_is_refused_whichever_worker_answers(workers) -> None:
    answers = [workers.post(f"x{n}@example.vn", "203.0.113.8") for n in range(32)]
    assert answers == [200] * 30 + [429] * 2
    assert workers.post("y@example.vn", "203.0.113.9") == 200  # another address is not throttled
