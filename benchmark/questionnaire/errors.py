"""Problems found in a questionnaire file, and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One defect of a questionnaire file at a 1-based line, shown as `path:line: message`."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be loaded; `problems` lists every defect found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[QuestionnaireError], tuple[tuple[Problem, ...]]]:
        # Job queues pickle exceptions; the default would call __init__ with the message.
        return (type(self), (self.problems,))
