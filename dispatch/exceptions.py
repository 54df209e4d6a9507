"""Errors the lifecycle raises; the API maps them to 409 (invalid or stale), 403 (forbidden), 400 (input)."""


class DispatchError(Exception):
    """Carries a stable English `code` the API returns and the UI translates."""

    default_code = "dispatch_error"

    def __init__(self, code: str = "", detail: str = "") -> None:
        self.code = code or self.default_code
        self.detail = detail or self.code
        super().__init__(self.detail)


class InvalidTransition(DispatchError):
    """The case is not in a state that allows this step, or the caller acted on a stale version."""

    default_code = "invalid_transition"


class TransitionForbidden(DispatchError):
    """The actor lacks the permission or the jurisdiction for this step."""

    default_code = "forbidden"


class TransitionInputError(DispatchError):
    """The step is allowed but its input is not (e.g. an override without a reason); names the field."""

    default_code = "invalid_input"

    def __init__(self, field: str, code: str, detail: str = "") -> None:
        self.field = field
        super().__init__(code, detail)
