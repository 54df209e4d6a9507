"""OpenAPI post-processing: the one error shape (zhongxin.api_errors) as one component, `Error`, which every
operation's 4xx responses reference; and the refusals an operation may answer whatever the view says:
401/403 (authentication, permission) and 429 (throttled) always; 404 where the path or the query names an
object (or a page); 400 where query parameters are validated; 400 and 409 for every write (a service's
refusal of the input or of the object's state); 413 and 415 for a body (too large, not JSON or a form)."""

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
WITH_PARAMETERS = {"404": "no such object (or page) in your jurisdiction"}
WITH_QUERY = {"400": "bad query parameters"}
WRITE = {
    "400": "bad input: malformed or too deeply nested JSON, or a field's value",
    "409": "the object's state refuses this (e.g. invalid_transition, stale_version)",
}
WITH_BODY = {"413": "request body too large", "415": "unsupported media type"}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_responses(result: dict, generator, request, public) -> dict:
    """Adds the shared refusals to every operation, then points every 4xx response at `Error`."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            has_query = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
            added = {**ALWAYS}
            if "{" in path or has_query:
                added |= WITH_PARAMETERS
            if has_query:
                added |= WITH_QUERY
            if method in WRITE_METHODS:
                added |= WRITE
            if "requestBody" in operation:
                added |= WITH_BODY
            for status, description in added.items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status.startswith("4"):
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
    return result
