"""Errors the lifecycle raises, each a DomainError: 409 (invalid or stale), 403 (forbidden), 400 (input)."""

from http import HTTPStatus

from dispatch.messages import MESSAGES
from zhongxin.errors import DomainError


class DispatchError(DomainError):
    """Carries a stable English `code` the API returns; its `detail` is the code's text in MESSAGES."""

    default_code = "dispatch_error"

    def __init__(self, code: str = "", detail: str = "", *, field: str = "") -> None:
        super().__init__(code, detail, field=field)

    @property
    def detail(self) -> str:
        return str(MESSAGES.get(self.code, self._detail or self.code))


class InvalidTransition(DispatchError):
    """The case is not in a state that allows this step, or the caller acted on a stale version."""

    default_code = "invalid_transition"
    default_status = HTTPStatus.CONFLICT


class TransitionForbidden(DispatchError):
    """The actor lacks the permission or the jurisdiction for this step."""

    default_code = "forbidden"
    default_status = HTTPStatus.FORBIDDEN


class TransitionInputError(DispatchError):
    """The step is allowed but its input is not (e.g. an override without a reason); names the field."""

    default_code = "invalid_input"

    def __init__(self, field: str, code: str, detail: str = "") -> None:
        super().__init__(code, detail, field=field)
