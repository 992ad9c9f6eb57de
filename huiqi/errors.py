"""Errors that name the place: a table's file:entry:field, or a profile's field."""
from __future__ import annotations


class Problem:
    __slots__ = ("where", "message")

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({self.where!r}, {self.message!r})"


class HuiqiError(Exception):
    """Base class: carries one or more problems, each naming its place."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TableError(HuiqiError):
    """A rule table or the fact vocabulary is broken. Nothing is loaded."""


class ProfileError(HuiqiError):
    """A company profile is malformed. Nothing is matched."""
