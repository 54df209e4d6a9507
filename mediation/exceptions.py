"""Mediation's refusals, each a DomainError (zhongxin.errors) the API and the pages translate."""

from http import HTTPStatus

from zhongxin.errors import DomainError


class MediationError(DomainError):
    """A refused mediation action, with the form field it concerns ("" for the whole form) and a message
    the user can read (shown in forms, returned as a 400/409 body by the API)."""

    def __init__(self, message: str, *, field: str = "", conflict: bool = False, code: str = "") -> None:
        # conflict: the action is valid in itself but the object's state refuses it (HTTP 409).
        super().__init__(
            code or ("conflict" if conflict else "invalid"),
            message,
            field=field,
            status=HTTPStatus.CONFLICT if conflict else HTTPStatus.BAD_REQUEST,
        )
        self.conflict = conflict

    @property
    def message(self) -> str:
        return self.detail


class NoticeForbidden(DomainError):
    """The actor may not issue, or reply to, this supervision notice (HTTP 403)."""

    default_code = "permission_denied"
    default_status = HTTPStatus.FORBIDDEN

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(code, message)
