"""Where the operations under test come from: an OpenAPI/Swagger spec (a file, a URL, or found at a well-known
path on the target), or Bastion's static map of the source tree (``--routes-from``)."""

from __future__ import annotations

from pathlib import Path

from bastion.dast.client import Client, Request
from bastion.dast.options import DastError, DastOptions
from bastion.dast.spec import MAX_SPEC_BYTES, Operation, SpecError, load_file, parse_spec, read_document
from bastion.core.model import Note

#: Paths frameworks serve their spec at (FastAPI, springdoc, swagger-jsdoc setups, Flask-smorest...).
WELL_KNOWN_SPECS = ("/openapi.json", "/swagger.json", "/v3/api-docs", "/openapi.yaml", "/api-docs",
                    "/api/openapi.json", "/swagger/v1/swagger.json", "/docs/openapi.json")


def load_operations(options: DastOptions, client: Client) -> tuple[list[Operation], list[Note]]:
    if options.routes_from:
        from bastion.dast.map_routes import operations_from_map

        operations, notes = operations_from_map(options.routes_from)
        if not operations:
            raise DastError(f"--routes-from {options.routes_from}: no HTTP routes found in the source tree")
        return operations, notes
    if options.openapi:
        source = options.openapi
        if source.startswith(("http://", "https://")) or (source.startswith("/") and not Path(source).exists()):
            doc = _fetch(client, source)  # a URL, or a path on the target (``/openapi.json``)
        else:
            doc = load_file(source)
        spec = parse_spec(doc)
        notes = []
    else:
        spec, found = _discover(client)
        notes = [Note("info", f"using the OpenAPI spec the target serves at {found}")]
    if not spec.operations:
        raise SpecError("the spec describes no operations")
    return list(spec.operations), notes


def _fetch(client: Client, where: str) -> dict:
    exchange = client.send(Request("GET", where))
    if exchange.status == 0:
        raise SpecError(f"cannot fetch the spec at {where}: {exchange.error or 'no response'}")
    if not exchange.ok:
        raise SpecError(f"fetching the spec at {where} answered {exchange.status}"
                        + ("" if "://" in where else " (and there is no such local file)"))
    if len(exchange.body) >= MAX_SPEC_BYTES:
        raise SpecError(f"the spec at {where} is too large")
    return read_document(exchange.body, where)


def _discover(client: Client):
    for path in WELL_KNOWN_SPECS:
        exchange = client.send(Request("GET", path))
        if not exchange.ok:
            continue
        try:
            return parse_spec(read_document(exchange.body, path)), path
        except SpecError:
            continue
    raise DastError("no OpenAPI spec given and none found at the usual paths on the target: "
                    "give --openapi FILE|URL (or --routes-from PATH)")
