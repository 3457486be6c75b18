"""Schemathesis against the OpenAPI document: generated requests to every operation (with an admin
token, so writes run too) give no server error (5xx) and no response outside its documented
status codes, content type and schema. At least 1,000 requests in all."""

from __future__ import annotations

import json

import schemathesis
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from web_support import EXAMPLE

PER_OPERATION = 60
# Generating whole declarations costs ~1 s a case (the schema is large): fewer of those, so the
# module stays near two minutes while the total stays above 1,000 requests.
HEAVY = {"POST /api/v1/declarations": 20, "PUT /api/v1/declarations/{decl_id}": 20, "POST /api/v1/assess": 20}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def test_api_conforms_to_its_openapi_document(app):
    token = app.state.workspace.accounts.create_token("admin", "schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    decl = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str))
    assert TestClient(app).post("/api/v1/declarations", json=decl, headers=headers).status_code == 201
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    sent: dict[str, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        fuzz(operation, headers, sent)
    assert set(sent) == {op.label for op in operations}, "an operation got no request"
    assert sum(sent.values()) >= 1000, sent


def fuzz(operation, headers: dict[str, str], sent: dict[str, int]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=HEAVY.get(operation.label, PER_OPERATION),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case):
        sent[operation.label] = sent.get(operation.label, 0) + 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
