"""The spec loader: OpenAPI 3.0/3.1 and Swagger 2, references, hostile documents (fuzzed)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.dast.spec import SpecError, load_file, parse_spec, read_document
from bastion.dast.values import example

OPENAPI_31 = """
openapi: 3.1.0
info: {title: shop, version: "2"}
servers: [{url: "https://api.example.com/v1"}]
paths:
  /users/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getUser
      tags: [users]
      security: [{bearer: []}]
      parameters:
        - $ref: "#/components/parameters/Verbose"
    patch:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/UserUpdate"}
  /login:
    post:
      security: []
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, required: [username], properties: {username: {type: string}, password: {type: string, format: password}}}
components:
  parameters:
    Verbose: {name: verbose, in: query, schema: {type: boolean}}
  schemas:
    UserUpdate:
      type: object
      properties:
        name: {type: string, example: Ann}
        id: {type: integer, readOnly: true}
        friend: {$ref: "#/components/schemas/UserUpdate"}
"""

SWAGGER_2 = {
    "swagger": "2.0", "info": {"title": "legacy", "version": "1"}, "basePath": "/api",
    "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}}},
    "paths": {"/pets": {"post": {"parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}]},
                        "get": {"parameters": [{"name": "limit", "in": "query", "type": "integer", "minimum": 5},
                                               {"name": "photo", "in": "formData", "type": "string"}]}}},
}


def test_openapi_31_operations_parameters_and_references():
    spec = parse_spec(read_document(OPENAPI_31, "spec.yaml"))
    assert spec.base_path == "/v1"
    ops = {op.key: op for op in spec.operations}
    assert set(ops) == {"GET /v1/users/{id}", "PATCH /v1/users/{id}", "POST /v1/login"}
    get = ops["GET /v1/users/{id}"]
    assert {(p.name, p.location, p.required) for p in get.parameters} == {("id", "path", True), ("verbose", "query", False)}
    assert get.secured is True and get.operation_id == "getUser" and get.tags == ("users",)
    patch = ops["PATCH /v1/users/{id}"]
    assert {p.name for p in patch.params("body")} == {"name", "friend"}  # readOnly id left out; the cycle resolved
    assert ops["POST /v1/login"].body_kind == "form" and ops["POST /v1/login"].secured is False


def test_swagger_2_body_form_and_base_path():
    spec = parse_spec(SWAGGER_2)
    ops = {op.key: op for op in spec.operations}
    assert {p.name for p in ops["POST /api/pets"].params("body")} == {"name", "tag"}
    get = ops["GET /api/pets"]
    assert {(p.name, p.location) for p in get.parameters} == {("limit", "query"), ("photo", "form")}
    assert example(next(p for p in get.parameters if p.name == "limit").schema) == 5


@pytest.mark.parametrize("doc, message", [
    ({"info": {}}, "not an OpenAPI"),
    ({"openapi": "3.0.0"}, "no 'paths'"),
    ({"swagger": "1.2", "paths": {}}, "not an OpenAPI"),
])
def test_not_a_spec_is_a_clear_error(doc, message):
    with pytest.raises(SpecError, match=message):
        parse_spec(doc)


def test_unreadable_and_missing_files(tmp_path):
    with pytest.raises(SpecError, match="does not exist"):
        load_file(str(tmp_path / "missing.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: [unclosed")
    with pytest.raises(SpecError, match="neither JSON nor YAML"):
        load_file(str(bad))


def test_reference_bombs_are_refused_not_expanded():
    schemas = {"S0": {"type": "string"}}
    for level in range(1, 12):
        ref = {"$ref": f"#/components/schemas/S{level - 1}"}
        schemas[f"S{level}"] = {"type": "object", "properties": {f"p{i}": ref for i in range(10)}}
    doc = {"openapi": "3.0.0", "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/S11"}}}}}}}, "components": {"schemas": schemas}}
    with pytest.raises(SpecError, match="refusing"):
        parse_spec(doc)


def test_remote_references_are_not_followed():
    doc = {"openapi": "3.0.0", "paths": {"/x": {"get": {"parameters": [{"$ref": "http://evil.example/p.json"}]}}}}
    (op,) = parse_spec(doc).operations
    assert op.parameters == ()


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                     max_leaves=30)
_spec_like = st.fixed_dictionaries({"openapi": st.sampled_from(["3.0.0", "3.1.0", "2.0", 3]),
                                    "paths": st.dictionaries(st.sampled_from(["/a", "/b/{id}", "x", "/c"]),
                                                             st.dictionaries(st.sampled_from(["get", "post", "parameters", "$ref"]), _json, max_size=3),
                                                             max_size=3)},
                                   optional={"components": _json, "servers": _json, "basePath": _json})


@settings(max_examples=300, deadline=None)
@given(_spec_like)
def test_fuzz_structured_documents_parse_or_fail_cleanly(doc):
    try:
        spec = parse_spec(doc)
    except SpecError:
        return
    for op in spec.operations:
        assert op.path.startswith("/")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_text_reads_or_fails_cleanly(text):
    try:
        parse_spec(read_document(text, "fuzz"))
    except SpecError:
        pass


@settings(max_examples=200, deadline=None)
@given(_json, st.text(max_size=10))
def test_fuzz_examples_never_raise(schema, name):
    json.dumps(example(schema, name), default=str)
