"""One line for every error a user can cause: ``<key> = <value>: <what is allowed>``.

The project's own checks raise :class:`~sim.config.ConfigError`, whose message has that form
already. Hydra and OmegaConf raise their own exceptions while they compose a config (a value
of the wrong type, a missing value, an override that does not parse); :func:`describe` finds
the key and the value in them and writes the same one line, so every mistake reads alike.
"""

from __future__ import annotations

from omegaconf.errors import OmegaConfBaseException

from sim.config import ConfigError


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _omegaconf_cause(error: BaseException) -> OmegaConfBaseException | None:
    """The OmegaConf error behind ``error`` (itself, or the error it was raised from)."""
    while error is not None:
        if isinstance(error, OmegaConfBaseException) and getattr(error, "full_key", None):
            return error
        error = error.__cause__ or error.__context__
    return None


def written(overrides: list[str], key: str, default: str | None = None) -> str | None:
    """The value the last override of ``key`` (with or without ``+``, ``++`` or ``~``) gives,
    as typed, or ``default``."""
    for override in reversed(overrides):
        name, _, value = override.partition("=")
        if name.lstrip("+~") == key:
            return value
    return default


def config_error(error: BaseException, overrides: list[str]) -> ConfigError | None:
    """The :class:`ConfigError` an error of composing a config stands for, or None.

    Args:
        error: a ConfigError, or an error of Hydra or OmegaConf about a key.
        overrides: the overrides composed, for the value as the user typed it.
    """
    if isinstance(error, ConfigError):
        return error
    cause = _omegaconf_cause(error)
    if cause is None:
        return None
    value = written(overrides, cause.full_key, getattr(cause, "value", None))
    return ConfigError(cause.full_key, value, _first_line(getattr(cause, "msg", "") or cause))


def describe(error: BaseException, overrides: list[str]) -> str:
    """A one-line description of ``error`` that names the key and the value.

    Args:
        error: what was raised while checking, composing or running a config.
        overrides: the command line's overrides, for the value as the user typed it.
    """
    found = config_error(error, overrides)
    if found is not None:
        return str(found)
    if isinstance(error, OSError):
        out = written(overrides, "out", "results")
        where = f"{error.strerror or type(error).__name__}: {error.filename}"
        return f"out = {out!r}: cannot write the run there ({where})"
    return _first_line(error) or type(error).__name__
