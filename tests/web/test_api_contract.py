"""The API keeps its contract: the OpenAPI document and the server agree.

Schemathesis (property-based, from the document alone) runs every operation with schema-valid
and schema-violating data and all of its checks: no 5xx, schema-valid requests answered,
schema-violating ones refused, responses as documented, undeclared methods 405 with `Allow`.
The run is bounded (few examples per operation, derandomised) to stay well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from lms.services.registry import api_tokens
from tests.factories import issue_registry_credentials

EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def token(app, db, tmp_path):
    issue_registry_credentials(tmp_path)
    _row, secret = api_tokens.create("Ministry", ("registry:read",), actor=None)
    return secret


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_contract_violation(app, token, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = CHECKS.get_all()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            # identity: schemathesis's WSGI transport does not decode compressed bodies
            headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
            case.call_and_validate(headers=headers, checks=checks)

        run()


@pytest.mark.parametrize(
    "query",
    ["issued_from=", "qualifies_on=2026-02-30", "kind=", "page=", "per_page=0", "q=" + "x" * 101],
)
def test_schema_violating_parameters_are_a_400_json_error(client, token, query):
    response = client.get(
        f"/api/v1/registry/credentials?{query}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_parameter"
    assert query.split("=")[0] in response.get_json()["parameters"]


@pytest.mark.parametrize("body", [{"national_id": "УБ99112233", "on": ""}, {"on": None}])
def test_schema_violating_bodies_are_a_400_json_error(client, token, body):
    response = client.post(
        "/api/v1/registry/eligibility", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_parameter"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/api/v1/registry/credentials"),
        ("PUT", "/api/v1/registry/eligibility"),
        ("POST", "/api/v1/openapi.json"),
        ("PATCH", "/api/v1/registry/credentials/JC-1"),
    ],
)
def test_undeclared_methods_answer_405_json_with_allow(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.headers["Allow"]
    assert method not in response.headers["Allow"]
    assert response.get_json()["error"] == "method_not_allowed"


def test_every_api_error_is_json(app, client):
    @app.get("/api/v1/explode")
    def explode():
        raise RuntimeError("secret detail")

    for path, status in (("/api/v1/nowhere", 404), ("/api/v1/explode", 500)):
        response = client.get(path)
        assert response.status_code == status
        assert response.mimetype == "application/json"
        assert "secret detail" not in response.text
        assert set(response.get_json()) >= {"error", "message"}
    unauthorised = client.get("/api/v1/registry/credentials")
    assert unauthorised.status_code == 401
    assert unauthorised.get_json()["error"] == "unauthorized"
