"""Comparison figures for policy staff: :mod:`.prepare` computes what they show,
:mod:`.labels` words it in English or Chinese, :mod:`.draw` draws it."""
