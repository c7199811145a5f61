"""SixmmError, the base of the exceptions that raise_for_response() raises.

The subclasses, one per category, are rendered from the spec into _spec.py.
"""
from typing import TYPE_CHECKING, Any, ClassVar, Optional

if TYPE_CHECKING:  # imported for the annotations only: _spec imports this module
    from ._advice import Advice
    from ._entry import Entry
    from ._spec import Category


class SixmmError(Exception):
    """A 6MM call that did not succeed, with everything the catalog knows.

    ``category`` is None on the base class; each subclass sets its own.
    """

    category: ClassVar[Optional["Category"]] = None

    def __init__(self, text: str, *, code: Optional[int], message: Optional[str],
                 request_id: Optional[str], http_status: int, entry: Optional["Entry"],
                 advice: "Advice", data: Any = None) -> None:
        super().__init__(text)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.entry = entry
        self.advice = advice
        self.data = data
