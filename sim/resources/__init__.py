"""The shared resources a community negotiates over, each behind the interface the negotiation
sees (:mod:`sim.resources.interface`): parking with its rules, fees and firms, frictions."""
