"""What a refused request means, once for every app: `DomainError(code, detail, field, status)`.

Services raise a subclass (dispatch's InvalidTransition, mediation's MediationError, ...); the API's
exception handler (zhongxin.api_errors) and the pages' helper (zhongxin.pages) are the only places that
turn one into a response. Imports nothing from the apps, so grid, intake, dispatch, mediation and
analytics can all import it."""

from http import HTTPStatus


class DomainError(Exception):
    """A stable English `code` (clients and tests rely on it), a `detail` a person can read, the input
    `field` it concerns ("" for the whole request) and the HTTP `status` it answers with."""

    default_code = "invalid"
    default_status = HTTPStatus.BAD_REQUEST

    def __init__(self, code: str = "", detail: str = "", *, field: str = "", status: int | None = None):
        self.code = code or self.default_code
        self.field = field
        self.status = int(status or self.default_status)
        self._detail = detail
        super().__init__(detail or self.code)

    @property
    def detail(self) -> str:
        """What the person reads; a subclass may look the code up in its message table instead."""
        return str(self._detail or self.code)

    def as_body(self) -> dict[str, str]:
        return error_body(self.code, self.detail, self.field)


def error_body(code: str, detail: str, field: str = "") -> dict[str, str]:
    """The one shape of every 4xx JSON body: {"code", "detail"} and "field" when one input is at fault."""
    body = {"code": code, "detail": str(detail)}
    if field:
        body["field"] = field
    return body
