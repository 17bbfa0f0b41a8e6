"""The base of every governance rule; each group's own interface is in its package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class Rule:
    """A governance rule: a named, parameterised policy of one group.

    Subclasses set ``group``, define a ``Params`` dataclass whose ``name`` defaults to the
    module's name, and are registered with :func:`sim.rules.registry.register`. ``en`` and
    ``zh`` are the rule's plain names for figures, the brief and the app.
    """

    group: ClassVar[str]
    name: ClassVar[str]
    en: ClassVar[str] = ""
    zh: ClassVar[str] = ""

    @dataclass
    class Params:
        name: str = ""

    def __init__(self, params: Params):
        self.params = params

    def changes_common_parts(self) -> bool:
        """Whether adopting the rule changes the use of the estate's common parts or uses them
        for business (re-striping common roads, letting common land for parking fees): a major
        matter that needs a qualified majority under Civil Code art. 278."""
        return False
