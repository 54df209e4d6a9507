"""OpenAPI post-processing: what every operation with a request body may answer because of the body
itself, whatever the view (zhongxin.parsers: malformed or too deep JSON → 400, too large → 413)."""

BODY_ERROR = {
    "type": "object",
    "description": 'e.g. {"detail": "JSON 嵌套超过 32 层。", "code": "json_too_deep"}; a view\'s own 400 '
    "names the fields instead",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
}
TOO_LARGE = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string", "enum": ["payload_too_large"]}},
    "required": ["detail", "code"],
}


def _response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def body_error_responses(result: dict, generator, request, public) -> dict:
    """Adds the 413 to every operation that takes a body, and the 400 where the view documents none."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", _response("malformed or too deeply nested JSON", BODY_ERROR))
            responses.setdefault("413", _response("request body too large", TOO_LARGE))
    return result
