"""Governance rules: one module per rule, grouped by what they govern (allocation, tenure, ...).

A rule's registry name is its module name and the name of its YAML file in ``configs/<group>/``.
"""
