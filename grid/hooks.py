"""The one mechanism behind every app's hooks. An upstream app owns a Hook and calls `send` inside its own
transaction; a downstream app `connect`s a callback in its AppConfig.ready(). Dependencies keep pointing
one way and the flow stays explicit (no Django signals); a failing callback rolls the caller back."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P]):
    def __init__(self) -> None:
        self.listeners: list[Callable[P, None]] = []

    def connect(self, listener: Callable[P, None]) -> Callable[P, None]:
        """Registers `listener`; usable as a decorator. Registering twice is a no-op."""
        if listener not in self.listeners:
            self.listeners.append(listener)
        return listener

    def send(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for listener in self.listeners:
            listener(*args, **kwargs)

    @contextmanager
    def without(self, listener: Callable[P, None]) -> Iterator[None]:
        """Leaves `listener` out while the block runs (a bulk load that recounts everything after it)."""
        self.listeners.remove(listener)
        try:
            yield
        finally:
            self.connect(listener)


class Provider(Generic[P, R]):
    """A question an upstream app asks and one downstream app answers (dispatch tells intake when a case
    is due): the answering app `provide`s the function in its AppConfig.ready()."""

    def __init__(self, question: str) -> None:
        self.question = question
        self.function: Callable[P, R] | None = None

    def provide(self, function: Callable[P, R]) -> Callable[P, R]:
        self.function = function
        return function

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self.function is None:
            raise RuntimeError(f"no installed app answers {self.question!r}")
        return self.function(*args, **kwargs)
