"""Error answers every operation may give, added to the OpenAPI document so clients (and
Schemathesis) know them: 400 invalid input, 401 no or bad token, 403 not allowed (or a
read-only token), 404 not found or not visible, 429 throttled."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input; the body names each field's problem.",
    "401": "No token, or an invalid, expired or revoked one.",
    "403": "Not allowed (e.g. a read-only token on a write).",
    "404": "Not found, or not visible to you.",
    "413": "The body is too large.",
    "429": "Too many requests; see Retry-After.",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
