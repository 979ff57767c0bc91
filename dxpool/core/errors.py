"""Domain errors raised by services and selectors; views and the API turn them into 4xx responses."""


class DomainError(Exception):
    """Base class: `message` is shown to the user as is (Japanese first)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or self.__class__.__name__


class ValidationError(DomainError):
    status = 400


class NotFound(DomainError):
    """Missing, or outside the acting user's scope: both look the same so scope does not leak existence."""

    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The request is valid but the record's state does not allow it (e.g. an illegal status transition)."""

    status = 409


class RateLimited(DomainError):
    """Too many requests of one kind from one user in a window; `retry_after` seconds until the next is taken."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None, code: str | None = None):
        super().__init__(message, field=field, code=code)
        self.retry_after = retry_after
