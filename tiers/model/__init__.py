"""The model: everything a user writes (``App``, ``Tier`` and its kinds, references,
security, secrets, config, ingress, routes, scaling, environments), with the
``@model`` decorator (``base``) and its quick type check (``typecheck``).
The public names are re-exported from :mod:`tiers`."""
