"""The refusals of the request's services."""

from kentlocality.errors import Refused


class RequestError(Refused):
    """A change to a request, a meeting or a decision that the rules do not allow. The
    message is shown to the person as it is."""


class IncompleteRequest(RequestError):
    def __init__(self, problems) -> None:
        super().__init__("The request is not complete")
        self.problems = problems


class AlreadySubmitted(RequestError):
    """A second click, or a second tab: the request is already submitted."""
