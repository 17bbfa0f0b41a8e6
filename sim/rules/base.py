"""The base of every governance rule; each group's own interface is in its package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class Rule:
    """A governance rule: a named, parameterised policy of one group.

    Subclasses set ``group``, define a ``Params`` dataclass whose ``name`` defaults to the
    module's name, and are registered with :func:`sim.rules.registry.register`.
    """

    group: ClassVar[str]
    name: ClassVar[str]
    zh: ClassVar[str] = ""

    @dataclass
    class Params:
        name: str = ""

    def __init__(self, params: Params):
        self.params = params
