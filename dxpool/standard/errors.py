"""Errors of the pure standard package."""


class StandardError(Exception):
    """A data file of the standard is missing or malformed."""


class ProfileError(ValueError):
    """An assessment input names something the standard does not know; the message is one line that names the
    bad value and lists the accepted ones."""
