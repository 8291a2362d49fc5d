from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["Conflict", "PermissionDenied", "ValidationError"]


class Conflict(Exception):
    """Someone else changed the object since the caller read it."""

    def __init__(self, message: str, *, current: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.current = current
