"""Hydra sweeper plugin of shangliang: see resumable_sweeper.py."""
