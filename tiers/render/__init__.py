"""Render: the IR into Kubernetes objects (dicts), one template per kind, then the
tiers' patches. ``templates`` loads the templates, ``objects`` walks the IR in
order, ``extras`` adds the optional kinds, ``patches`` merges the users' patches."""
