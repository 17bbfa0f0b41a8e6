"""The negotiation (大家商量着办): opinion dynamics, councils, turnout, the committee's
forecast, deliberation and its meeting log, and its rule groups (decision, channels,
proposal_search)."""
