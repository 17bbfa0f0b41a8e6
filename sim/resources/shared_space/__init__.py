"""A shared space (e.g. Yuxin Garden's activity centre) as a resource to negotiate over."""
