class MediationError(Exception):
    """A refused mediation action, with the form field it concerns ("" for the whole form) and a message
    the user can read (shown in forms, returned as a 400/409 body by the API)."""

    def __init__(self, message: str, *, field: str = "", conflict: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # True when the action is valid in itself but the object's state refuses it (HTTP 409).
        self.conflict = conflict


class NoticeForbidden(Exception):
    """The actor may not issue, or reply to, this supervision notice (HTTP 403)."""
