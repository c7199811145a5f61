"""What a caller holds after an HTTP call, as (status, body).

A requests.Response or an httpx.Response (anything with an int
``status_code`` and a ``content`` of bytes), or a (status, body) pair.
Duck-typed: neither package is imported, and neither is needed.
"""
from typing import Any, Dict, Tuple, Union

Body = Union[bytes, bytearray, str, Dict[str, Any], None]
_MISSING: Any = object()   # classify_response(response) was given no body


def status_and_body(response: Any, body: Any = _MISSING) -> Tuple[int, Body]:
    """(HTTP status, body) from classify_response()'s first two arguments:
    (status, body), ((status, body),) or (response,)."""
    if body is not _MISSING:
        return response, body
    if isinstance(response, tuple):
        if len(response) != 2:
            raise TypeError(f"a (status, body) pair has 2 items, not {len(response)}")
        return response[0], response[1]
    status = getattr(response, "status_code", None)
    if isinstance(status, int) and not isinstance(status, bool):
        # requests and httpx both read the whole body into .content (httpx
        # raises ResponseNotRead for a stream not yet read: read it first).
        content = response.content
        if not isinstance(content, (bytes, bytearray)):
            raise TypeError(f"{type(response).__name__}.content is "
                            f"{type(content).__name__}, not bytes")
        return status, bytes(content)
    raise TypeError(f"expected a response (with status_code and content), a (status, body) "
                    f"pair, or status and body, not {type(response).__name__}")
