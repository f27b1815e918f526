"""The API's documentation page reads the OpenAPI schema: each operation with its path, summary,
description and query parameters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    required: bool


@dataclass(frozen=True)
class Operation:
    path: str
    tag: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]


def _kind(schema: dict) -> str:
    options = schema.get("anyOf") or [schema]
    kinds = [o.get("type", "") for o in options if o.get("type") != "null"]
    enum = next((o["enum"] for o in options if "enum" in o), None)
    return " or ".join(f"“{e}”" for e in enum) if enum else " or ".join(kinds)


def documented_operations() -> list[Operation]:
    from api.endpoints import api

    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            found.append(
                Operation(
                    path=path,
                    tag=(operation.get("tags") or [""])[0],
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=tuple(
                        Parameter(p["name"], _kind(p.get("schema", {})), p.get("required", False))
                        for p in operation.get("parameters", [])
                    ),
                )
            )
    return found
