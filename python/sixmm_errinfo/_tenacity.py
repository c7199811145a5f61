"""RetryHook: the advisor as tenacity's ``retry`` and ``wait`` callables.

    hook = se.RetryHook(idempotent=True, budget=budget)
    @tenacity.retry(retry=hook.retry_if, wait=hook.wait, reraise=True)
    def balance():
        return se.raise_for_response(session.get(url), idempotent=True)

Duck-typed against tenacity's RetryCallState (``outcome``, a finished
future, and ``attempt_number``): tenacity is never imported. Each failed
attempt is classified again with tenacity's attempt number, so the retry
class's limit ends the loop; no ``stop`` is needed.
"""
from typing import Any, Optional

from ._advice import Advice, classify
from ._entry import DomainLike
from ._error import SixmmError
from ._retry import Budget, Throttle

ADVICE_ATTRIBUTE = "sixmm_advice"   # set on the retry state, for before_sleep and logs


class RetryHook:
    """``retry_if`` resends a call that raised a SixmmError (from
    raise_for_response) when the advice says to resend; ``wait`` waits the
    advised delay. ``idempotent`` is the call's, as for classify(); the
    ``budget`` sees every outcome (successes refill it) and may stop a
    resend; the ``throttle`` gets the feedback (a rate limit slows every
    caller down). Other exceptions are never retried: they propagate.

    The advice of the last attempt is on the retry state, as
    ``retry_state.sixmm_advice``: a ``before_sleep`` resynchronises the
    clock or reauthenticates when its ``action`` says so.
    """

    def __init__(self, *, idempotent: bool = False, domain: DomainLike = "rest",
                 budget: Optional[Budget] = None, throttle: Optional[Throttle] = None) -> None:
        if not isinstance(idempotent, bool):
            raise TypeError(f"idempotent must be a bool, not {type(idempotent).__name__}")
        self.idempotent, self.domain = idempotent, domain
        self.budget, self.throttle = budget, throttle
        classify(http_status=0, domain=domain)   # an unknown domain fails here, not later

    def __repr__(self) -> str:
        return (f"<RetryHook idempotent={self.idempotent} domain={self.domain!r} "
                f"budget={self.budget!r} throttle={self.throttle!r}>")

    def advise(self, retry_state: Any) -> Optional[Advice]:
        """The advice for the attempt that just ended (None when it did not
        raise a SixmmError), counted by the budget and the throttle."""
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None and outcome.failed else None
        if exc is None:
            if self.budget is not None and outcome is not None:
                self.budget.apply(classify(http_status=200, code=0, domain=self.domain))
            return None
        if not isinstance(exc, SixmmError):
            return None
        advice = classify(http_status=exc.http_status, code=exc.code, message=exc.message,
                          idempotent=self.idempotent, attempt=retry_state.attempt_number,
                          domain=self.domain)
        if self.throttle is not None:
            self.throttle.feedback(advice)
        if self.budget is not None:
            advice = self.budget.apply(advice)
        return advice

    def retry_if(self, retry_state: Any) -> bool:
        """tenacity's ``retry=``: True when the advice says to resend."""
        advice = self.advise(retry_state)
        setattr(retry_state, ADVICE_ATTRIBUTE, advice)
        return advice is not None and advice.resend

    def wait(self, retry_state: Any) -> float:
        """tenacity's ``wait=``: the advised delay, in seconds."""
        advice = getattr(retry_state, ADVICE_ATTRIBUTE, None)
        return advice.delay_ms / 1000 if isinstance(advice, Advice) else 0.0
