"""Reading the API's one error shape in tests (zhongxin.api_errors)."""

SHAPE = {"code", "detail", "field", "errors"}


def error_fields(body: dict) -> set[str]:
    """The dotted fields an error body names; fails unless the body has the one shape."""
    assert set(body) <= SHAPE and {"code", "detail"} <= set(body), body
    return {error["field"] for error in body.get("errors", [body]) if "field" in error}


def error_codes(body: dict) -> set[str]:
    assert set(body) <= SHAPE and {"code", "detail"} <= set(body), body
    return {error["code"] for error in body.get("errors", [body])}
