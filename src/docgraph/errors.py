"""Errors that are the input's fault: one line naming the file, the place and the problem (exit 2)."""

from __future__ import annotations


class InputError(Exception):
    """Bad input. ``str()`` is ``file:place: problem``, the one line a user sees."""

    def __init__(self, path: str, problem: str, where: str | int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f":{self.where}" if self.where not in (None, "") else ""
        return f"{self.path}{place}: {self.problem}"

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str | int | None]]:
        # from a worker process: Exception's default pickles only str(self), which __init__ cannot take
        return type(self), (self.path, self.problem, self.where)


class StoreError(Exception):
    """The store cannot be opened, is locked by another build, or holds no build yet."""
