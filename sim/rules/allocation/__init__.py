"""Allocation rules: who gets a parking space (configs/allocation/)."""
