"""Command lines of the sweep tools: a sweep folder, then ``key=value`` settings as in
``python -m sim.run`` (e.g. ``python -m sim.compare results/compare_rules lang=zh``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def settings_parser(description: str, choices: dict[str, tuple[str, ...]]) -> Callable:
    """A parser of ``SWEEP [key=value ...]`` whose settings take one of ``choices[key]``,
    the first being the default.

    Returns:
        ``parse(argv) -> (sweep folder, {key: value})``; a bad setting exits with status 2 and
        a message naming the setting and what is allowed.
    """
    allowed = ", ".join(f"{key}={'|'.join(values)}" for key, values in choices.items())

    def setting(text: str) -> tuple[str, str]:
        key, _, value = text.partition("=")
        if key not in choices or value not in choices[key]:
            raise argparse.ArgumentTypeError(f"{text!r}: allowed settings are {allowed}")
        return key, value

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("sweep", help="sweep folder, e.g. results/compare_rules")
    parser.add_argument("settings", nargs="*", type=setting, metavar="KEY=VALUE", help=allowed)

    def parse(argv: list[str] | None = None) -> tuple[str, dict[str, str]]:
        args = parser.parse_args(argv)
        defaults = {key: values[0] for key, values in choices.items()}
        return args.sweep, {**defaults, **dict(args.settings)}

    return parse
