"""The OpenAPI schema is served locally, is valid OpenAPI 3 in structure, documents every
operation with its responses and the bearer-token scheme, and every $ref resolves."""

import re

import pytest

pytestmark = pytest.mark.django_db
OPERATIONS = {
    "/api/v1/strategies",
    "/api/v1/goals",
    "/api/v1/objectives",
    "/api/v1/actions",
    "/api/v1/quarters",
    "/api/v1/action-updates",
    "/api/v1/evidence",
    "/api/v1/risks",
    "/api/v1/metrics",
    "/api/v1/publications",
    "/api/v1/facts/actions",
    "/api/v1/facts/risks",
    "/api/v1/facts/metric-values",
}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")  # needs no sign-in: it describes, it reads nothing
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return response.json()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_schema_is_openapi_3_with_every_operation(schema):
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] and schema["info"]["version"] == "1"
    assert set(schema["paths"]) == OPERATIONS


def test_every_operation_is_a_read_with_responses_and_the_bearer_scheme(schema):
    scheme_names = {
        name
        for name, scheme in schema["components"]["securitySchemes"].items()
        if scheme == {"type": "http", "scheme": "bearer"}
    }
    assert scheme_names
    operation_ids = []
    for path, methods in schema["paths"].items():
        assert set(methods) == {"get"}, path  # read-only
        operation = methods["get"]
        operation_ids.append(operation["operationId"])
        assert {"200", "400", "401", "429"} <= set(operation["responses"]), path
        for status, response in operation["responses"].items():
            assert response.get("description"), (path, status)
        assert any(set(requirement) & scheme_names for requirement in operation["security"]), path
        for parameter in operation.get("parameters", []):
            assert parameter["in"] == "query" and parameter["name"] and "schema" in parameter, path
    assert len(operation_ids) == len(set(operation_ids))


def test_every_reference_resolves(schema):
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[-1] in schema["components"]["schemas"], ref
    for name, component in schema["components"]["schemas"].items():
        assert component.get("type") == "object" and component.get("properties"), name


def test_the_fact_tables_document_their_columns(schema):
    columns = schema["components"]["schemas"]["ActionFact"]["properties"]
    assert {"strategy", "quarter", "action_number", "sros", "leads", "rag", "previous_rag", "movement", "state"} <= set(
        columns
    )
