"""Codegen: tiers made by the importer, written back as the Python a person
would write, formatted as ``ruff format`` formats it (without needing ruff).

Every model object becomes a constructor call with only the fields that
differ from the class's defaults; a reference becomes ``tier.host``,
``tier.url(...)`` and the like. :func:`layout` breaks a call that does not fit
in :data:`LINE_LENGTH` the way ruff does: a lone argument moves to its own
line, several go one per line with a trailing comma.
"""

from __future__ import annotations

import dataclasses
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import Any

from tiers.model.app import Patch, ServiceEndpoint
from tiers.model.composed import holds_reference, split
from tiers.model.refs import REFS, AddressRef, HostRef, PortRef, UrlRef

LINE_LENGTH = 88
INDENT = "    "


@dataclass(frozen=True)
class Atom:
    """Code that is never split: a literal or a name."""

    text: str


@dataclass(frozen=True)
class Item:
    """One element between brackets, with what precedes it (``name=``, ``"key": ``)."""

    lead: str
    node: Node
    comment: str = ""
    """A comment line written above the item (the bracket is then split)."""


@dataclass(frozen=True)
class Bracket:
    """``head(items)tail``, ``[items]`` or ``{items}``."""

    head: str
    open: str
    items: tuple[Item, ...]
    close: str
    tail: str = ""


Node = Atom | Bracket


def string(text: str) -> str:
    """``text`` as a Python literal in ruff's style: double quotes unless the
    text holds more double than single quotes."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = repr(text)[1:-1]
    body = body.replace("\\'", "'") if repr(text)[0] == "'" else body.replace('\\"', '"')
    return quote + body.replace(quote, "\\" + quote) + quote


def literal(value: Any, names: dict[int, str]) -> Node:
    """Any value the importer writes: plain data, model objects, references."""
    if isinstance(value, str):
        return Atom(composed(value, names) if holds_reference(value) else string(value))
    if value is None or isinstance(value, (bool, int, float)):
        return Atom(repr(value))
    if isinstance(value, dict):
        items = [Item(string(str(k)) + ": ", literal(v, names)) for k, v in value.items()]
        return Bracket("", "{", tuple(items), "}")
    if isinstance(value, list):
        listed = (Item("", literal(v, names), _why(v)) for v in value)
        return Bracket("", "[", tuple(listed), "]")
    if isinstance(value, REFS):
        return reference(value, names)
    if isinstance(value, ServiceEndpoint):
        return Atom(f"{names[id(value.tier)]}.endpoint({string(value.service)})")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        named = names.get(id(value))  # a tier or an external Service: its variable
        return Atom(named) if named is not None else call(value, names)
    raise TypeError(f"cannot write a {type(value).__name__} as Python")


class Names(dict[int, str]):
    """The variable of each object written by name (a tier, an external
    Service, a shared value), by its ``id``; and the constant of each image
    registry shared by several images (:attr:`registries`)."""

    def __init__(self) -> None:
        super().__init__()
        self.registries: dict[str, str] = {}


def call(obj: Any, names: dict[int, str]) -> Bracket:
    """``Class(positional, keyword=...)`` with the fields that are not the default."""
    cls = type(obj)
    positional = _positional(cls)
    items: list[Item] = []
    for name, value in written(obj, names):
        in_place = name in positional and positional.index(name) == len(items)
        items.append(Item("" if in_place else f"{name}=", value))
    return Bracket(cls.__name__, "(", tuple(items), ")")


def written(
    obj: Any, names: dict[int, str], only: tuple[str, ...] | None = None
) -> list[tuple[str, Node]]:
    """The fields of model object ``obj`` (those named in ``only``) that are
    not the default, as written (an image on a shared registry as an f-string
    on its constant)."""
    found = []
    for f in dataclasses.fields(type(obj)):
        if only is not None and f.name not in only:
            continue
        raw = getattr(obj, f.name)
        if _plainly_default(raw, f):
            continue
        value = _image(raw, names) if f.name == "image" else None
        value = value or literal(raw, names)
        if value != _default(f, names):
            found.append((f.name, value))
    return found


_PLAIN = (str, int, bool, type(None))


def _plainly_default(raw: Any, f: dataclasses.Field[Any]) -> bool:
    """True when ``raw`` is the field's default plainly (a scalar of the same
    type and value, or an empty list or mapping its factory makes): written,
    it would be the default's text, so it is left out without writing it."""
    if f.default is not dataclasses.MISSING:
        default = f.default
        return type(raw) is type(default) and isinstance(raw, _PLAIN) and raw == default
    if f.default_factory is not dataclasses.MISSING and type(raw) in (list, dict) and not raw:
        made = _FACTORIES.get(id(f))
        if made is None:
            made = _FACTORIES[id(f)] = (f, f.default_factory())
        return type(made[1]) is type(raw) and made[1] == raw
    return False


_FACTORIES: dict[int, tuple[dataclasses.Field[Any], Any]] = {}
"""What each field's default factory makes, by the field's ``id`` (held)."""


def registry(image: str) -> tuple[str, str]:
    """An image's registry and path up to its last ``/``, and the rest:
    ``("gcr.io/google-samples/microservices-demo", "emailservice:v0.8.0")``;
    no registry for an image without ``/``."""
    head, _, rest = image.rpartition("/")
    return head, rest


def _image(value: Any, names: dict[int, str]) -> Node | None:
    registries = names.registries if isinstance(names, Names) else {}
    head, rest = registry(value) if isinstance(value, str) else ("", "")
    constant = registries.get(head) if head else None
    if constant is None:
        return None
    return Atom(f'f"{{{constant}}}/{_escaped(rest, chr(34))}"')


def _positional(cls: type[Any]) -> list[str]:
    """The fields the root model class takes by position (a subclass that
    overrides a default, like ``MySQL.image``, still takes it by keyword)."""
    root = next(c for c in reversed(cls.__mro__) if dataclasses.is_dataclass(c))
    return [f.name for f in dataclasses.fields(root) if not f.kw_only]


def _default(f: dataclasses.Field[Any], names: dict[int, str]) -> Node | None:
    """The field's default as written (a default refers to no tier: written once)."""
    key = id(f)
    if key not in _DEFAULTS:
        if f.default is not dataclasses.MISSING:
            _DEFAULTS[key] = (f, literal(f.default, names))
        elif f.default_factory is not dataclasses.MISSING:
            _DEFAULTS[key] = (f, literal(f.default_factory(), names))
        else:
            _DEFAULTS[key] = (f, None)
    return _DEFAULTS[key][1]


_DEFAULTS: dict[int, tuple[dataclasses.Field[Any], Node | None]] = {}
"""Each field's default as written, by the field's ``id`` (the field is held, so
that its ``id`` is never another's)."""


def composed(text: str, names: dict[int, str]) -> str:
    """A string holding references as the f-string that makes it:
    ``f"jdbc:mysql://{mysql.address()}/shop"`` (single quotes around it when
    a reference's code holds double quotes, as Python before 3.12 needs)."""
    parts = [
        (p, False) if isinstance(p, str) else (flat(reference(p, names)), True) for p in split(text)
    ]
    quote = "'" if any('"' in code for code, is_ref in parts if is_ref) else '"'
    body = "".join("{" + p + "}" if is_ref else _escaped(p, quote) for p, is_ref in parts)
    return f"f{quote}{body}{quote}"


def _escaped(text: str, quote: str) -> str:
    """``text`` inside an f-string delimited by ``quote``."""
    body = repr(text)[1:-1]
    body = body.replace("\\'", "'") if repr(text)[0] == "'" else body.replace('\\"', '"')
    return body.replace(quote, "\\" + quote).replace("{", "{{").replace("}", "}}")


def reference(ref: HostRef | PortRef | UrlRef | AddressRef, names: dict[int, str]) -> Node:
    """``tier.host``, ``tier.endpoint("name").port_ref(3306)``, ``tier.url(...)``,
    ``tier.address()``."""
    head = names[id(ref.target)]
    if ref.service is not None:
        head += f".endpoint({string(ref.service)})"
    if isinstance(ref, HostRef):
        if ref.dns is None:
            return Atom(f"{head}.host")
        return Bracket(f"{head}.dns_name", "(", (Item("", Atom(string(ref.dns))),), ")")
    if isinstance(ref, PortRef):
        port: tuple[Item, ...] = () if ref.port is None else (Item("", literal(ref.port, names)),)
        return Bracket(f"{head}.port_ref", "(", port, ")")
    if isinstance(ref, AddressRef):
        given = [] if ref.port is None else [Item("", literal(ref.port, names))]
        given += [] if ref.dns is None else [Item("dns=", Atom(string(ref.dns)))]
        return Bracket(f"{head}.address", "(", tuple(given), ")")
    keywords = {"scheme": "http", "port": None, "path": "", "dns": None}
    args = tuple(
        Item(f"{k}=", literal(getattr(ref, k), names))
        for k, default in keywords.items()
        if getattr(ref, k) != default
    )
    return Bracket(f"{head}.url", "(", args, ")")


def _comment_lines(comment: str, depth: int) -> list[str]:
    if not comment:
        return []
    indent = INDENT * depth + "# "
    width = LINE_LENGTH - len(indent)
    return [indent + line for line in textwrap.wrap(comment, width, break_on_hyphens=False)]


def _why(value: object) -> str:
    """The comment above a :class:`~tiers.Patch`: the fields it sets that tiers has no field for."""
    if not isinstance(value, Patch):
        return ""
    paths = sorted(dict.fromkeys(_paths(value.patch, "")))
    shown = ", ".join(paths[:4]) + (f" and {len(paths) - 4} more" if len(paths) > 4 else "")
    reasons = dict.fromkeys(_reason(path, value.patch) for path in paths)
    return (
        f"a patch of the {value.kind}: tiers import writes no typed field for {shown} "
        f"({'; '.join(reasons)})"
    )


def _reason(path: str, patch: object) -> str:
    """Why the model cannot say what ``path`` of a patch sets."""
    last = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if last.endswith("Probe"):
        if "'httpHeaders'" in repr(patch):
            return "Probe has no HTTP headers"
        return "Probe has no field for a setting of it"
    if last == "metadata":
        return "a tier's labels and annotations go on each object, none on its pod template alone"
    if "volumes[" in path or "volumeMounts[" in path or last == "volumeClaimTemplates":
        return "volumes the input names itself: mounts, writable_paths and storage name theirs"
    if ".env[" in path and last == "valueFrom" and "'secretKeyRef'" in repr(patch):
        return "the kind reads this credential from a file, which a SecretKeyRef would change"
    return "the model has no field for it"


_WRAPPERS = frozenset({"spec", "template", "jobTemplate"})
"""Keys a patch passes through on its way to the fields it sets."""


def _paths(value: object, at: str) -> list[str]:
    """The fields of a patch, named as a reader finds them: ``containers[api].livenessProbe``."""
    if not isinstance(value, dict):
        return [at]
    found = []
    for key, inner in value.items():
        if key.startswith("$"):
            continue
        if key in _WRAPPERS and isinstance(inner, dict):
            found += _paths(inner, at)
        elif isinstance(inner, list) and all(isinstance(i, dict) and "name" in i for i in inner):
            for i in inner:
                named = f"{at}.{key}[{i['name']}]" if at else f"{key}[{i['name']}]"
                found += _paths(_named(i), named) if len(i) > 1 else [named]
        else:
            found.append(f"{at}.{key}" if at else key)
    return found


def _named(item: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in item.items() if k != "name"}


def width(text: str) -> int:
    """Columns ``text`` takes, wide characters counting two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def flat(node: Node) -> str:
    """``node`` on one line."""
    if isinstance(node, Atom):
        return node.text
    inner = ", ".join(i.lead + flat(i.node) for i in node.items)
    return f"{node.head}{node.open}{inner}{node.close}{node.tail}"


def layout(node: Node, depth: int = 0, lead: str = "", trail: str = "") -> list[str]:
    """``node`` as lines at ``depth`` indents, after ``lead`` and before ``trail``."""
    indent = INDENT * depth
    one_line = f"{indent}{lead}{flat(node)}{trail}"
    if isinstance(node, Atom) or not node.items:
        return [one_line]
    commented = any(i.comment for i in node.items)
    if width(one_line) <= LINE_LENGTH and not commented:
        return [one_line]
    lines = [f"{indent}{lead}{node.head}{node.open}"]
    if len(node.items) == 1 and not commented:
        lines += layout(node.items[0].node, depth + 1, node.items[0].lead)
    else:
        for item in node.items:
            lines += _comment_lines(item.comment, depth + 1)
            lines += layout(item.node, depth + 1, item.lead, ",")
    lines.append(f"{indent}{node.close}{node.tail}{trail}")
    return lines
