"""What every governance rule shares: the :class:`~sim.rules.base.Rule` base, the registry that
finds rules by group and name in the layers' packages, and the catalogue (docs/rules.md).

A rule's registry name is its module name and the name of its YAML file in ``configs/<group>/``;
its module lives with the layer it governs: ``sim/resources/parking/<group>/`` or
``sim/negotiation/<group>/``.
"""
