"""Where credentials hide: in names, and inside values.

Two questions, each a plain function over strings, shared by the checks of
emitted objects and by ``tiers import``:

- :func:`looks_like_credential`: does a *name* (an env var, a ConfigMap key,
  a ``key=value`` key) say that its value is a credential? The name is split
  into words at ``_``, ``-``, ``.``, digits and camelCase humps
  (``dbPassword`` → ``DB PASSWORD``), and glued words are taken apart
  (``SECRETKEY``, ``SSH_PRIVKEY``). It names a credential when a word is one
  of :data:`CREDENTIAL_WORDS`, or two words are one of :data:`CREDENTIAL_PAIRS`
  (``CONN_STR``), unless its last word says the value only points at one
  (:data:`POINTER_WORDS`: ``PASSWORD_FILE``, ``DB_SECRET_NAME``, ``TOKEN_URL``).
- :func:`find_credential`: does a *value* hold one? A password in a URL
  (``postgres://admin:hunter2@db/app``), a ``--password=...`` argument, a
  ``password=...`` pair inside a longer string (a connection string, a
  config file), a PEM private key, or a token with a known issuer's prefix
  (``ghp_``, ``xoxb-``, ``AKIA``, ``sk_live_``, ... see :data:`TOKEN_PATTERNS`).
  Placeholders are not credentials: ``$(VAR)`` (which Kubernetes expands),
  ``${VAR}``, ``{{ var }}``, ``<value>``, paths and yes/no flags.

>>> looks_like_credential("dbPassword"), looks_like_credential("PASSWORD_FILE")
(True, False)
>>> find_credential("postgres://admin:hunter2@db/app").masked
'postgres://admin:****@db/app'
>>> find_credential("postgres://admin:$(DB_PASSWORD)@db/app") is None
True
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

CREDENTIAL_WORDS = frozenset(
    {"PASSWORD", "PASSWORDS", "PASSWD", "PWD", "PASS", "PASSPHRASE", "SECRET", "SECRETS"}
    | {"TOKEN", "TOKENS", "KEY", "KEYS", "APIKEY", "PRIVKEY", "CREDENTIAL", "CREDENTIALS"}
    | {"CREDS", "PRIVATE", "AUTH", "AUTHORIZATION", "CERT", "JWT", "BEARER", "DSN", "SALT"}
)
"""Words that name a credential (``DB_PASSWORD``, ``API_KEY``, ``JWT``)."""

CREDENTIAL_PAIRS = frozenset(
    {("CONN", "STR"), ("CONN", "STRING"), ("CONNECTION", "STRING"), ("CONNECTION", "STR")}
)
"""Two words that together name a credential (``CONN_STR``: a connection
string, which usually carries a password)."""

INSIDE = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "APIKEY", "PRIVKEY", "CREDENTIAL")
"""Credential words that name a credential anywhere inside a longer word
(``PGPASSWORD``, ``SECRETKEY``, ``MYAPIKEY``)."""

GLUED = ("TOKEN", "KEY")
"""Short credential words found inside a longer word only when the rest is a
word of :data:`GLUE_WORDS` (``AUTHTOKEN``, ``ACCESSKEY``; not ``TOKENIZER``,
``MONKEY``)."""

GLUE_WORDS = frozenset(
    {"SECRET", "ACCESS", "PRIVATE", "PRIV", "API", "AUTH", "DB", "SSH", "SIGNING", "MASTER"}
    | {"ROOT", "ADMIN", "USER", "CLIENT", "APP", "SESSION", "ENCRYPTION", "REFRESH", "KEY"}
)
"""Words a credential word may be glued to."""

POINTER_WORDS = frozenset(
    {"FILE", "PATH", "DIR", "NAME", "REF", "URL", "URI", "HOST", "PORT", "ENDPOINT", "ID"}
    | {"ENABLED", "DISABLED", "REQUIRED", "LENGTH", "TTL", "TIMEOUT", "EXPIRY", "HEADER"}
    | {"ALGORITHM", "TYPE", "MODE", "POLICY", "FORMAT", "LOCATION", "MOUNT", "SOURCE"}
    | {"SECONDS", "SECS", "SEC", "MS", "MINUTES", "MINS", "HOURS", "DAYS", "LIFETIME"}
    | {"DURATION", "INTERVAL", "COUNT", "SIZE", "BYTES", "BITS", "LIMIT", "RETRIES"}
)
"""A last word that says the value points at a credential, or describes one,
rather than holding it (``PASSWORD_FILE``, ``SECRET_NAME``, ``TOKEN_TTL``,
``TOKEN_EXPIRY_SECONDS``, ``KEY_SIZE``)."""

PLAIN_VALUES = frozenset(["", "true", "false", "yes", "no", "0", "1", "on", "off", "none", "null"])
"""Values that are flags, not secrets (``MYSQL_ALLOW_EMPTY_PASSWORD=yes``)."""

PLACEHOLDER = re.compile(
    r"\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|%\([^)]*\)s"
)
"""``$(VAR)`` (Kubernetes expands it), ``${VAR}``, ``{{ var }}``, ``<value>``, ``%(var)s``."""

TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{40,})")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("an AWS access key", re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")),
    ("a Stripe key", re.compile(r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[A-Za-z0-9_-]{35}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}")),
    ("a PyPI token", re.compile(r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}")),
    ("a SendGrid key", re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}")),
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[\w-]{8,}")),
    ("an HTTP credential", re.compile(r"\b(?:Bearer|Basic)[ \t]+[A-Za-z0-9._~+/-]{12,}=*")),
)
"""Tokens whose issuer marks them with a prefix; a match counts only when
the token looks random (:data:`MIN_ENTROPY`), so ``ghp_xxxx...`` examples do not."""

MIN_ENTROPY = 3.0
"""Bits per character below which a prefixed token is taken for an example."""

PRIVATE_KEY = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----")
URL_USERINFO = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s:@]*):([^/\s@]+)@")
FLAG = re.compile(r"^(--?([A-Za-z0-9][\w-]*))(?:=(.*))?$", re.DOTALL)
PAIR = re.compile(
    r"(?<![\w.-])([A-Za-z_][\w.-]*)[\"']?[ \t]*[=:][ \t]*"
    r"(\"[^\"\n]*\"|'[^'\n]*'|<[^>\n]*>|\{\{[^}\n]*\}\}|\$\{[^}\n]*\}|\$\([^)\n]*\)"
    r"|(?:Bearer|Basic|Token)[ \t]+[^\s;&,\"']+|[^\s;&,\"']+)"
)
"""``key=value`` or ``key: value`` inside a longer string; a quoted or
placeholder value is taken whole."""

BARE_WORDS = frozenset({"KEY", "KEYS", "AUTH", "PRIVATE", "CERT", "PASS", "SALT"})
"""Words too common as a whole key of a pair (``key: value`` in a config
file) to take for a credential alone; they count as part of a longer key."""


@dataclass(frozen=True, slots=True)
class Found:
    """A credential inside a value: what it is (``a password in a URL``), the
    value with the credential masked, and where the credential starts and ends."""

    what: str
    masked: str
    start: int
    end: int


def words(name: str) -> list[str]:
    """The words of a name, upper case: ``dbPassword`` → ``['DB', 'PASSWORD']``."""
    spaced = re.sub(r"([a-z])([A-Z])|([A-Z])([A-Z][a-z])", r"\1\3 \2\4", name)
    return [w for w in re.split(r"[^A-Za-z]+", spaced.upper()) if w]


def _unglued(word: str) -> list[str]:
    """``PGPASSWORD`` → ``['PG', 'PASSWORD']``, ``AUTHTOKEN`` → ``['AUTH', 'TOKEN']``;
    a word that holds no credential word stays whole."""
    for part in INSIDE:
        head, found, tail = word.partition(part)
        if found and word != part:
            return [w for w in (head, part, tail) if w]
    for part in GLUED:
        head, found, tail = word.partition(part)
        rest = head or tail
        if found and word != part and not (head and tail) and rest in GLUE_WORDS:
            return [head, part] if head else [part, tail]
    return [word]


def looks_like_credential(name: str) -> bool:
    """True when ``name`` names a credential (see the module's rules)."""
    found = [part for word in words(name) for part in _unglued(word)]
    if not found or found[-1] in POINTER_WORDS:
        return False
    if any(word in CREDENTIAL_WORDS for word in found):
        return True
    return any(pair in CREDENTIAL_PAIRS for pair in itertools.pairwise(found))


def is_placeholder(value: str) -> bool:
    """True when ``value`` holds no literal secret: empty, a flag, a path, or
    made of placeholders (``$(DB_PASSWORD)``, ``${TOKEN}``, ``<password>``)."""
    text = value.strip().strip("\"'")
    if text.lower() in PLAIN_VALUES or text.startswith("/"):
        return True
    return PLACEHOLDER.sub("", text).strip() == ""


def find_credential(value: str) -> Found | None:
    """The first credential inside ``value``, or ``None``; a value that is
    base64 (:data:`BASE64`) is searched decoded too."""
    for finder in (_private_key, _url_password, _flag, _token, _pair):
        found = finder(value)
        if found is not None:
            return found
    decoded = _base64_text(value)
    if decoded is not None and (inner := find_credential(decoded)) is not None:
        return Found(f"{inner.what}, base64-encoded", "****", 0, len(value))
    return None


BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}|[A-Za-z0-9_-]{16,}={0,2}")
"""A whole value in base64 (or its URL-safe alphabet), 16 characters at least."""


def _base64_text(value: str) -> str | None:
    """``value`` decoded, when it is base64 of UTF-8 text; else ``None``."""
    import base64
    import binascii

    text = value.strip()
    if len(text) % 4 or not BASE64.fullmatch(text):
        return None
    try:
        decoded = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
        result = decoded.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return result if result.isprintable() or "\n" in result else None


def find_in_args(args: Iterable[str]) -> tuple[int, Found] | None:
    """The first credential in a command line: inside one argument
    (``--password=x``), as the argument after a flag that names one
    (``--password x``), or in a command line inside one argument
    (``sh -c "app --password x"``). Returns its index and what was found."""
    return _find_in_args(list(args), shell=True)


def _find_in_args(items: list[str], shell: bool) -> tuple[int, Found] | None:
    """:func:`find_in_args`; with ``shell``, an argument that is a command line
    is searched too (its words are not split again)."""
    for index, arg in enumerate(items):
        found = find_credential(arg) or (_in_shell_line(arg) if shell else None)
        if found is not None:
            return index, found
        following = items[index + 1] if index + 1 < len(items) else None
        if following is not None and _credential_flag(arg, following):
            return index + 1, _masked(following, 0, len(following), f"the value of {arg}")
    return None


def _in_shell_line(arg: str) -> Found | None:
    """A credential in the words of ``arg`` when it is itself a command line
    (``app --password=x``, the script of ``sh -c``), masked in ``arg``."""
    import shlex

    if not any(c.isspace() for c in arg.strip()):
        return None
    try:
        words_ = shlex.split(arg)
    except ValueError:  # an unclosed quote: the words as spaces split them
        words_ = arg.split()
    found = _find_in_args(words_, shell=False)
    if found is None:
        return None
    word, inner = words_[found[0]], found[1]
    at = arg.find(word)
    if at < 0:  # the shell's quotes changed the word: the whole argument is the credential
        return _masked(arg, 0, len(arg), inner.what)
    return _masked(arg, at + inner.start, at + inner.end, inner.what)


def _credential_flag(arg: str, following: str) -> bool:
    """True when ``arg`` is a flag naming a credential (``--password``) and
    ``following`` its literal value."""
    match = FLAG.match(arg)
    if match is None or match.group(3) is not None or not looks_like_credential(match.group(2)):
        return False
    return not following.startswith("-") and not is_placeholder(following)


def _masked(value: str, start: int, end: int, what: str) -> Found:
    return Found(what, value[:start] + "****" + value[end:], start, end)


def _private_key(value: str) -> Found | None:
    match = PRIVATE_KEY.search(value)
    if match is None:
        return None
    return Found("a private key", "-----BEGIN PRIVATE KEY----- ****", match.start(), len(value))


def _url_password(value: str) -> Found | None:
    for match in URL_USERINFO.finditer(value):
        if not is_placeholder(match.group(3)):
            return _masked(value, match.start(3), match.end(3), "a password in a URL")
    return None


def _flag(value: str) -> Found | None:
    match = FLAG.match(value)
    if match is None or match.group(3) is None or not looks_like_credential(match.group(2)):
        return None
    if is_placeholder(match.group(3)):
        return None
    return _masked(value, match.end(1) + 1, len(value), f"the value of {match.group(1)}")


def _token(value: str) -> Found | None:
    for what, pattern in TOKEN_PATTERNS:
        for match in pattern.finditer(value):
            if entropy(match.group(0)) >= MIN_ENTROPY:
                return _masked(value, match.start(), match.end(), what)
    return None


def _pair(value: str) -> Found | None:
    for match in PAIR.finditer(value):
        key, secret = match.group(1), match.group(2)
        bare = words(key) in ([w] for w in BARE_WORDS)
        if looks_like_credential(key) and not bare and not is_placeholder(secret):
            return _masked(value, match.start(2), match.end(2), f"a value for {key}")
    return None


def entropy(text: str) -> float:
    """Shannon entropy of ``text``, in bits per character."""
    if not text:
        return 0.0
    counts = {c: text.count(c) for c in set(text)}
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
