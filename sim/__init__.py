"""shangliang (商量): an agent-based simulator of community consensus-building over shared
parking in dense Beijing neighbourhoods.

From Python: ``sim.simulate(scenario=..., days=..., seed=..., **settings)`` (see
:mod:`sim.api`), or :class:`sim.model.CommunityModel` built with keywords. From the shell:
``python -m sim.run`` (one run or a sweep), ``sim.collect``, ``sim.compare``, ``sim.brief``,
``sim.app``.
"""

def __getattr__(name: str):
    """Import :func:`sim.api.simulate` on first use, so the command-line tools that import
    a small part of the package do not load the model."""
    if name == "simulate":
        from sim.api import simulate

        return simulate
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
