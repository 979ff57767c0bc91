"""Errors raised by the matching engine."""


class InstanceError(ValueError):
    """The instance (needs, talents, coordinates, parameters or scores) is malformed.

    The message is one line naming the offending record and field, so command-line front ends can print it
    as is.
    """

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))
