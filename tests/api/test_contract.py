"""Contract tests: Schemathesis generates requests from /api/v1/openapi.json for every operation
and calls the app in-process (WSGI), authenticated with real tokens. Every response must be
documented and match its schema, and none may be a server error. A few examples per operation
keep `make test` quick."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.api.helpers import build_world

PRODUCER_PATHS = ("/api/v1/listings", "/api/v1/producer-orders")
EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def api_world(app):
    return build_world(products=3)


def test_every_operation_answers_as_documented(app, api_world) -> None:
    # One test per database walking every operation: schemathesis' pytest loader
    # (`from_fixture`) does not run under pytest 9 here.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    for operation in operations:
        producer = operation.path.startswith(PRODUCER_PATHS)
        token = api_world.producer_token if producer else api_world.buyer_token

        check_operation(operation, token)


def check_operation(operation, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case) -> None:
        case.call_and_validate(
            # Schemathesis reads the body as sent; the site gzips JSON for clients that ask for it.
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
            checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
        )

    check()
