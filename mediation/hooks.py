"""How downstream apps react to mediation's records without mediation importing them (dependencies point
one way). A downstream app registers a callback in its AppConfig.ready(); `follow_up_record` calls every
callback inside the transaction that records the follow-up."""

from collections.abc import Callable

from mediation.models import FollowUp

FollowUpListener = Callable[[FollowUp], None]
_follow_up_recorded: list[FollowUpListener] = []


def on_follow_up_recorded(listener: FollowUpListener) -> FollowUpListener:
    """Registers `listener(follow_up)`; registering twice is a no-op."""
    if listener not in _follow_up_recorded:
        _follow_up_recorded.append(listener)
    return listener


def follow_up_recorded(follow_up: FollowUp) -> None:
    for listener in _follow_up_recorded:
        listener(follow_up)
