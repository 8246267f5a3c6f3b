"""Problems found in a questionnaire file, and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One defect of a questionnaire file, shown as `path:line: message`.

    In a workbook the place is a cell: `location` is "sheet!cell" (e.g. "questions!D14"),
    shown as `path: questions!D14: message`, and `line` only orders the problems.
    """

    source: str
    line: int
    message: str
    location: str = ""

    def __str__(self) -> str:
        if self.location:
            return f"{self.source}: {self.location}: {self.message}"
        if self.line <= 0:  # the whole file (a workbook that cannot be opened)
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}: {self.message}"

    @property
    def place(self) -> str:
        """Where the problem is, for people: "line 12" or "questions!D14"."""
        return self.location or (f"line {self.line}" if self.line > 0 else "")


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be loaded; `problems` lists every defect found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[QuestionnaireError], tuple[tuple[Problem, ...]]]:
        # Job queues pickle exceptions; the default would call __init__ with the message.
        return (type(self), (self.problems,))
