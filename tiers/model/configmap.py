"""ConfigMaps: configuration from literals or files, mounted into a tier or
read as env values.

>>> from tiers import ConfigMap, Frontend
>>> conf = ConfigMap("web-conf", data={"log_level": "info"})
>>> web = Frontend("web", env={"LOG_LEVEL": conf.key("log_level")})
>>> web.env["LOG_LEVEL"]
ConfigMapKey('web-conf', 'log_level')
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path

from tiers.model.base import model


@model
class ConfigMap:
    """A ConfigMap: keys from literal strings (``data``) and from files (``files``,
    key → path).

    A relative path is taken from the directory of the file that creates the
    ConfigMap; files are read as UTF-8 when the app is built. ``namespace``
    defaults to the namespace of the tiers that use it. Use it as
    ``Tier(mounts={"/etc/app": conf})`` (every key a file in that directory)
    or ``env={"LOG_LEVEL": conf.key("log_level")}``.
    """

    name: str
    _: KW_ONLY
    data: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path | str] = field(default_factory=dict)
    namespace: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    def key(self, key: str) -> ConfigMapKey:
        """An env value read from ``key`` (``valueFrom.configMapKeyRef``)."""
        return ConfigMapKey(self, key)


@dataclass(frozen=True, eq=False)
class ConfigMapKey:
    """One key of a :class:`ConfigMap`, as an env value."""

    config_map: ConfigMap
    key: str

    def __repr__(self) -> str:
        return f"ConfigMapKey({self.config_map.name!r}, {self.key!r})"
