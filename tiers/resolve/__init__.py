"""Resolve: the model into the IR. ``core`` runs it: names, labels, selectors and
Service ports, ``wiring`` (references into env values and the graph's edges),
``pods`` and ``containers`` (hardening from each kind's profile), ``envfrom``
(Secrets), ``stateful``, ``policies`` (NetworkPolicies from the graph), then the
resolvers of the optional kinds listed in ``extras``."""
