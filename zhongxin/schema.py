"""OpenAPI post-processing: the one error shape (zhongxin.api_errors) as one component, `Error`, which every
operation's 4xx responses reference; and the refusals every operation may answer whatever the view —
401/403 (authentication, permission), 429 (throttled), 404 where the path names an object, and for an
operation with a body 400 (malformed or too deep JSON), 413 (too large) and 415 (not JSON or a form);
400 too where query parameters are validated."""

ERROR_COMPONENT = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every 4xx body, e.g. "
    '{"code": "stale_version", "detail": "案件已被他人处理，请刷新后重试"}. '
    'A validation error names the first failing field and lists all of them under "errors", e.g. '
    '{"code": "required", "detail": "该字段是必填项。", "field": "parties.0.name", "errors": [...]}.',
    "properties": {
        "code": {
            "type": "string",
            "description": "stable English code, e.g. invalid_transition, stale_version, permission_denied, "
            "outside_jurisdiction, not_found, not_authenticated, throttled, payload_too_large, "
            "json_too_deep, required",
        },
        "detail": {"type": "string", "description": "what it means, for a person (Chinese or English)"},
        "field": {"type": "string", "description": "the input at fault, dotted (parties.0.id_number)"},
        "errors": {"type": "array", "items": ERROR_REF, "description": "validation errors only: all"},
    },
    "required": ["code", "detail"],
}

ALWAYS = {
    "401": "not authenticated",
    "403": "the caller's role or jurisdiction does not allow this",
    "429": "too many requests (Retry-After says when to try again)",
}
WITH_PATH_OBJECT = {"404": "no such object in your jurisdiction"}
WITH_BODY = {
    "400": "bad input: malformed or too deeply nested JSON, or a field's value",
    "413": "request body too large",
    "415": "unsupported media type",
}


def error_responses(result: dict, generator, request, public) -> dict:
    """Adds the shared refusals to every operation, then points every 4xx response at `Error`."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            added = {**ALWAYS}
            if "{" in path:
                added |= WITH_PATH_OBJECT
            if "requestBody" in operation:
                added |= WITH_BODY
            if any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
                added.setdefault("400", "bad query parameters")
            for status, description in added.items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status.startswith("4"):
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
    return result
