"""The registry API: bearer tokens, pagination, eligibility, audit, and its OpenAPI document.

`DocumentClient` is a client built from the OpenAPI document alone: it finds each operation by
its operationId, builds the request from the documented path, and checks both the request and
the real response against the document with openapi-core.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate

from lms.models import ApiToken, AuditEvent
from lms.services.registry import api_tokens
from tests.factories import issue_registry_credentials

NATIONAL_IDS = ("УБ99112233", "ХО88001122", "УБ77001122")


@pytest.fixture
def registry(app, db, tmp_path):
    return issue_registry_credentials(tmp_path)


@pytest.fixture
def token(app, db):
    _row, secret = api_tokens.create("Ministry", ("registry:read",), actor=None)
    return secret


class DocumentClient:
    """Calls operations by operationId, as the OpenAPI document describes them."""

    def __init__(self, client: Any, token: str | None) -> None:
        self.client = client
        self.token = token
        self.document = client.get("/api/v1/openapi.json").get_json()
        self.openapi = OpenAPI.from_dict(self.document)
        server = urlsplit(self.document["servers"][0]["url"])
        self.host, self.base = f"{server.scheme}://{server.netloc}", server.path

    def _operation(self, operation_id: str) -> tuple[str, str]:
        for path, item in self.document["paths"].items():
            for method, operation in item.items():
                if operation.get("operationId") == operation_id:
                    return path, method
        raise KeyError(operation_id)

    def call(
        self,
        operation_id: str,
        path_params: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        body: Any = None,
    ) -> Any:
        template, method = self._operation(operation_id)
        path = self.base + template.format(**(path_params or {}))
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data = json.dumps(body).encode() if body is not None else None
        request = MockRequest(
            self.host, method, path, args=query, view_args=path_params, headers=headers, data=data
        )
        response = self.client.open(
            path,
            method=method.upper(),
            query_string=query,
            headers=headers,
            data=data,
            content_type="application/json" if data else None,
        )
        if response.status_code < 400:
            self.openapi.validate_request(request)
        self.openapi.validate_response(
            request,
            MockResponse(
                response.get_data(),
                status_code=response.status_code,
                headers=dict(response.headers),
                content_type=response.mimetype,
            ),
        )
        return response


def test_openapi_document_is_public_and_valid(client, login_as):
    for role in (None, "trainee", "admin"):
        if role:
            login_as(role)
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        document = response.get_json()
        validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"/registry/credentials", "/registry/eligibility"} <= set(document["paths"])


def test_a_client_built_from_the_document_pages_through_the_registry(client, registry, token):
    api = DocumentClient(client, token)
    first = api.call("listCredentials", query={"per_page": "2", "sort": "number"})
    assert first.status_code == 200
    page = first.get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (1, 2, 3, 2)
    assert page["next"]
    next_url = urlsplit(page["next"])
    second = client.get(
        next_url.path + "?" + next_url.query, headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert (second["page"], len(second["items"]), second["next"]) == (2, 1, None)
    numbers = [i["number"] for i in page["items"] + second["items"]]
    assert numbers == sorted(c.number for c in registry["credentials"].values())
    item = page["items"][0]
    assert item["national_id"] in NATIONAL_IDS
    assert item["course"]["slug"] == "demo"


def test_filters_are_the_lists_filters(client, registry, token):
    api = DocumentClient(client, token)
    khovd = api.call("listCredentials", query={"region": "khovd"}).get_json()
    assert khovd["total"] == 2
    assert {i["holder_name"] for i in khovd["items"]} == {"Бат-Эрдэнэ Өлзийсайхан", "Үүрцайх Дорж"}
    revoked = api.call("listCredentials", query={"status": "revoked"}).get_json()
    assert [i["status"] for i in revoked["items"]] == ["revoked"]
    assert revoked["items"][0]["qualifies_for_subsidy"] is False


@pytest.mark.parametrize(
    "query", [{"per_page": "201"}, {"page": "0"}, {"status": "nonsense"}, {"issued_from": "x"}]
)
def test_invalid_parameters_are_400(client, registry, token, query):
    response = DocumentClient(client, token).call("listCredentials", query=query)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_parameter"


def test_one_credential_with_its_history(client, registry, token):
    api = DocumentClient(client, token)
    number = registry["credentials"]["revoked"].number
    record = api.call("getCredential", path_params={"number": number}).get_json()
    assert record["number"] == number
    assert record["national_id"] == "УБ77001122"
    assert [(e["action"], e["to_status"]) for e in record["events"]] == [
        ("issue", "active"),
        ("revoke", "revoked"),
    ]
    assert record["events"][1]["reason"] == "fraud"
    missing = api.call("getCredential", path_params={"number": "JC-2020-99999-9"})
    assert missing.status_code == 404


def test_eligibility_by_number_on_a_date(client, registry, token):
    api = DocumentClient(client, token)
    active = registry["credentials"]["khovd"]
    answer = api.call("eligibilityByNumber", query={"number": active.number}).get_json()
    assert (answer["eligible"], answer["reason"]) == (True, "qualifies")
    before = (active.issued_on - timedelta(days=1)).isoformat()
    early = api.call("eligibilityByNumber", query={"number": active.number, "on": before})
    assert early.get_json()["reason"] == "not_yet_issued"
    revoked = registry["credentials"]["revoked"].number
    answer = api.call("eligibilityByNumber", query={"number": revoked}).get_json()
    assert (answer["eligible"], answer["reason"]) == (False, "revoked")
    assert api.call("eligibilityByNumber", query={"number": "JC-2020-99999-9"}).status_code == 404
    bad = api.call("eligibilityByNumber", query={"number": active.number, "on": "tomorrow"})
    assert bad.status_code == 400


def test_eligibility_by_national_id_is_posted(client, registry, token):
    api = DocumentClient(client, token)
    answer = api.call("eligibilityByNationalId", body={"national_id": "уб 99112233"})
    assert answer.status_code == 200
    assert answer.get_json()["number"] == registry["credentials"]["khovd"].number
    assert answer.get_json()["eligible"] is True
    revoked = api.call("eligibilityByNationalId", body={"national_id": "УБ77001122"}).get_json()
    assert revoked["reason"] == "revoked"
    unknown = api.call("eligibilityByNationalId", body={"national_id": "АА00000000"})
    assert unknown.status_code == 404
    invalid = api.call("eligibilityByNationalId", body={"national_id": "12345"})
    assert invalid.status_code == 400
    headers = {"Authorization": f"Bearer {token}"}
    not_json = client.post("/api/v1/registry/eligibility", data="x", headers=headers)
    assert not_json.status_code == 400


def test_national_ids_are_refused_in_query_strings(client, registry, token):
    headers = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/registry/credentials", "/api/v1/registry/eligibility"):
        response = client.get(path, query_string={"national_id": "УБ99112233"}, headers=headers)
        assert response.status_code == 400


def test_missing_invalid_and_revoked_tokens_get_401(client, registry, token):
    assert DocumentClient(client, None).call("listCredentials").status_code == 401
    response = client.get("/api/v1/registry/credentials")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    bad = DocumentClient(client, "lmsreg_not-a-real-token").call("listCredentials")
    assert bad.status_code == 401
    assert bad.get_json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in bad.headers["WWW-Authenticate"]
    row = ApiToken.query.one()
    api_tokens.revoke(row.id, actor=None)
    assert DocumentClient(client, token).call("listCredentials").status_code == 401


def test_a_session_is_not_enough(client, login_as, registry):
    login_as("admin")
    assert client.get("/api/v1/registry/credentials").status_code == 401


def test_a_token_without_the_scope_gets_403(client, db, registry):
    secret = api_tokens.TOKEN_PREFIX + "other-scope-token"
    db.session.add(
        ApiToken(
            name="hooks",
            scopes=["hooks:write"],
            token_hash=api_tokens.token_hash(secret),
            prefix=secret[:12],
        )
    )
    db.session.commit()
    response = DocumentClient(client, secret).call("listCredentials")
    assert response.status_code == 403
    assert 'scope="registry:read"' in response.headers["WWW-Authenticate"]
    event = AuditEvent.query.filter_by(action="api.registry").one()
    assert event.details["status"] == 403


def test_every_call_is_audited_by_token_and_marks_it_used(client, registry, token, caplog):
    caplog.set_level(logging.DEBUG)
    row = ApiToken.query.one()
    assert row.last_used_at is None
    api = DocumentClient(client, token)
    api.call("listCredentials", query={"region": "khovd", "q": "УБ99112233"})
    api.call("getCredential", path_params={"number": registry["credentials"]["khovd"].number})
    api.call("eligibilityByNationalId", body={"national_id": "УБ99112233", "on": "2027-01-01"})
    api.call("eligibilityByNumber", query={"number": "JC-2020-99999-9"})
    events = AuditEvent.query.filter_by(action="api.registry").order_by(AuditEvent.id).all()
    assert [(e.subject_type, e.subject_id) for e in events] == [("api_token", str(row.id))] * 4
    assert [e.details["status"] for e in events] == [200, 200, 200, 404]
    assert events[0].details["path"] == "/api/v1/registry/credentials"
    assert events[0].details["args"]["region"] == "khovd"
    assert events[2].details == {
        "method": "POST",
        "path": "/api/v1/registry/eligibility",
        "args": {"on": "2027-01-01"},
        "status": 200,
    }
    assert ApiToken.query.one().last_used_at is not None
    every_detail = json.dumps([e.details for e in AuditEvent.query.all()], ensure_ascii=False)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in NATIONAL_IDS:
        assert value not in every_detail
        assert value not in logged


def test_api_responses_set_no_cookie_and_are_not_cached(client, registry, token):
    response = client.get(
        "/api/v1/registry/credentials", headers={"Authorization": f"Bearer {token}"}
    )
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
