"""What a set of NetworkPolicies allows, as np-guard's network-config-analyzer
(``nca``) computes it: an oracle tiers did not write.

:func:`connectivity` puts the objects ``tiers build`` wrote into a small
cluster (kube-system with CoreDNS, the ingress controller, and any pods
outside the app a test names), runs ``nca --connectivity`` for real and reads
its ``txt_no_fw_rules`` lines into :class:`Conn` atoms, one per source,
destination and port:

- a workload is ``namespace/name``; CoreDNS is :data:`DNS`;
- addresses outside the cluster are CIDRs, the ranges ``nca`` prints for one
  source and port merged into the fewest CIDRs (``"203.0.113.0/24"``,
  ``"0.0.0.0/0"``, or several joined by ``,``), so that the expected set of a
  test can be written from what the app declares;
- a port is ``"TCP/8080"``; ``"*"`` is every port of every protocol;
- a destination admitted from everywhere (every pod outside the app and
  every address) has one atom from :data:`ANYWHERE` instead of one from each.

``nca`` hides a workload's connections to itself in its ``deployments``
view; they come from its ``pods`` view (two pods per workload with two
replicas or more), so the peers of a StatefulSet are atoms like any other.

The program is ``$TIERS_NCA`` or ``.tools/nca-venv/bin/nca``, installed by
``scripts/setup-tools``; a test that cannot find it fails, naming that script.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.tools import missing

ROOT = Path(__file__).resolve().parent.parent
Doc = dict[str, Any]

DNS = "dns"
"""CoreDNS, the pods labelled ``k8s-app: kube-dns`` in ``kube-system``."""
ANYWHERE = "*"
EVERY_ADDRESS = ("0.0.0.0/0", "0.0.0.0/0,::/0")
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")
IPV4_PRIVATE = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")


@dataclass(frozen=True, order=True)
class Conn:
    """One allowed connection: ``source`` may open ``port`` on ``target``."""

    source: str
    target: str
    port: str

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} {self.port}"


@dataclass(frozen=True)
class Pod:
    """A workload outside the app, put into the analysed cluster (its
    namespace is made too, labelled with its name as Kubernetes does)."""

    namespace: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    namespace_labels: dict[str, str] = field(default_factory=dict)


CLUSTER = (Pod("kube-system", "coredns", {"k8s-app": "kube-dns"}),)
"""What every cluster the tests analyse has: DNS."""


@functools.cache
def nca_program() -> str:
    """The analyzer's path: ``$TIERS_NCA``, else ``.tools/nca-venv/bin/nca``
    (installed by ``scripts/setup-tools``); the test fails when it is missing."""
    given = os.environ.get("TIERS_NCA")
    program = Path(given) if given else ROOT / ".tools" / "nca-venv" / "bin" / "nca"
    if not program.exists():
        missing(f"network-config-analyzer ({program})")
    return str(program)


def connectivity(docs: Iterable[Doc], outside: Iterable[Pod] = ()) -> set[Conn]:
    """Every connection the NetworkPolicies in ``docs`` allow to or from the
    app's workloads, in a cluster that also holds :data:`CLUSTER` and ``outside``."""
    app_docs = list(docs)
    pods = [*CLUSTER, *outside]
    cluster = [*app_docs, *_cluster_docs(pods, app_docs)]
    mine = {_workload_key(d) for d in app_docs if d.get("kind") in WORKLOADS}
    aliases = {f"{p.namespace}/{p.name}": p for p in pods}
    with tempfile.TemporaryDirectory(prefix="tiers-nca-") as tmp:
        path = Path(tmp) / "cluster.yaml"
        path.write_text(yaml.safe_dump_all(cluster, sort_keys=False), encoding="utf-8")
        atoms = {a for line in _run(path, "deployments") for a in _atoms(line, pods=False)}
        pods = {a for line in _run(path, "pods") for a in _atoms(line, pods=True)}
        atoms |= {a for a in pods if a.source == a.target}
    atoms = {a for a in atoms if a.source in mine or a.target in mine}
    return _named(_collapse_anywhere(_merge_ip_blocks(atoms), mine, set(aliases)))


def _named(atoms: set[Conn]) -> set[Conn]:
    """``atoms`` with CoreDNS as :data:`DNS`."""
    rename = {"kube-system/coredns": DNS}
    get = rename.get
    return {Conn(get(a.source, a.source), get(a.target, a.target), a.port) for a in atoms}


def _cluster_docs(pods: list[Pod], docs: list[Doc]) -> list[Doc]:
    have = {d["metadata"]["name"] for d in docs if d.get("kind") == "Namespace"}
    wanted = {_namespace(d) for d in docs if d.get("kind") in (*WORKLOADS, "NetworkPolicy")}
    out: list[Doc] = []
    for name in sorted(wanted - have):
        out.append(_namespace_doc(name, {}))
        have.add(name)
    for pod in pods:
        if pod.namespace not in have:
            out.append(_namespace_doc(pod.namespace, pod.namespace_labels))
            have.add(pod.namespace)
        out.append(_deployment(pod))
    return out


def _namespace_doc(name: str, labels: dict[str, str]) -> Doc:
    labels = {"kubernetes.io/metadata.name": name, **labels}
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def _deployment(pod: Pod) -> Doc:
    labels = pod.labels or {"app": pod.name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": pod.name, "namespace": pod.namespace},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "main", "image": "example"}]},
            },
        },
    }


def _namespace(doc: Doc) -> str:
    return str(doc["metadata"].get("namespace", "default"))


def _workload_key(doc: Doc) -> str:
    return f"{_namespace(doc)}/{doc['metadata']['name']}"


def _run(path: Path, endpoints: str) -> list[str]:
    done = subprocess.run(
        [
            nca_program(),
            "--connectivity",
            "-r",
            str(path),
            "--output_format",
            "txt_no_fw_rules",
            "--output_endpoints",
            endpoints,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in done.stdout.splitlines() if line.startswith("Error")]
    assert done.returncode == 0 and not errors, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if " => " in line]


LINE = re.compile(r"^(?P<src>\S+) => (?P<dst>\S+) : (?P<conn>.+)$")
POD = re.compile(r"^(?P<workload>[^/]+/.+)-\d+$")


def _endpoint(text: str, pods: bool) -> str:
    """``ns/name[Kind]`` → ``ns/name``; in the pods view, ``ns/name-2`` →
    ``ns/name``; an address range stays as printed."""
    if "/" not in text:
        return text
    pod = POD.match(text) if pods else None
    return pod["workload"] if pod else text.split("[", 1)[0]


def _atoms(line: str, pods: bool) -> list[Conn]:
    found = LINE.match(line)
    assert found, f"cannot read nca's line {line!r}"
    source, target = _endpoint(found["src"], pods), _endpoint(found["dst"], pods)
    return [Conn(source, target, port) for port in _ports(found["conn"])]


CUBE = re.compile(r"\{protocols:(?P<protocols>[^{}]*?)(?:,dst_ports:(?P<ports>[^{}]*))?\}")


def _ports(conn: str) -> list[str]:
    """``{protocols:TCP, UDP,dst_ports:53,8000-8002}`` → TCP/53, UDP/53, TCP/8000, ..."""
    if conn == "All connections":
        return ["*"]
    assert not conn.startswith("All but"), f"cannot read nca's connections {conn!r}"
    found = []
    for cube in CUBE.finditer(conn):
        protocols = [p.strip() for p in cube["protocols"].split(",")]
        numbers = _numbers(cube["ports"]) if cube["ports"] else ["*"]
        found += [f"{protocol}/{number}" for protocol in protocols for number in numbers]
    assert found, f"cannot read nca's connections {conn!r}"
    return found


def _numbers(text: str) -> list[str]:
    numbers: list[str] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        span = range(int(low), int(high or low) + 1)
        numbers += [str(n) for n in span] if len(span) <= 64 else [part]
    return numbers


def _network(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    first, _, last = text.partition("-")
    low, high = ipaddress.ip_address(first), ipaddress.ip_address(last or first)
    return list(ipaddress.summarize_address_range(low, high))  # type: ignore[arg-type]


def _is_address(endpoint: str) -> bool:
    """An address range as ``nca`` prints it (``10.0.0.0-10.255.255.255``)."""
    return "/" not in endpoint


def _merge_ip_blocks(atoms: set[Conn]) -> set[Conn]:
    """The address ranges of each (workload, port, direction) as one atom."""
    kept = {a for a in atoms if not (_is_address(a.source) or _is_address(a.target))}
    blocks: dict[tuple[str, str, bool], list[Any]] = {}
    for a in atoms - kept:
        outward = _is_address(a.target)
        peer, workload = (a.target, a.source) if outward else (a.source, a.target)
        blocks.setdefault((workload, a.port, outward), []).extend(_network(peer))
    for (workload, port, outward), networks in blocks.items():
        text = cidrs(networks)
        kept.add(Conn(workload, text, port) if outward else Conn(text, workload, port))
    return kept


def cidrs(networks: Iterable[Any]) -> str:
    """The fewest CIDRs that cover ``networks``, IPv4 first, joined by ``,``."""
    v4 = [n for n in networks if n.version == 4]
    v6 = [n for n in networks if n.version == 6]
    merged = [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]
    return ",".join(str(n) for n in merged)


def excluding(cidr: str, *holes: str) -> str:
    """``cidr`` without ``holes``, written as :func:`cidrs` writes it: what a
    rule ``ipBlock: {cidr, except}`` allows."""
    parts = [ipaddress.ip_network(cidr)]
    for hole in map(ipaddress.ip_network, holes):
        parts = [rest for part in parts for rest in _without(part, hole)]
    return cidrs(parts)


def _without(part: Any, hole: Any) -> list[Any]:
    if part.version != hole.version or not part.overlaps(hole):
        return [part]
    if hole.supernet_of(part):
        return []
    return list(part.address_exclude(hole))


INTERNET = ",".join(
    [excluding("0.0.0.0/0", *IPV4_PRIVATE), excluding("::/0", "fc00::/7", "fe80::/10")]
)
"""The public internet: every address but the private, unique-local and
link-local ranges, IPv4 and IPv6."""


def _collapse_anywhere(atoms: set[Conn], mine: set[str], outside: set[str]) -> set[Conn]:
    """One atom from :data:`ANYWHERE` for each (target, port) that every pod
    outside the app and every address may reach."""
    reach: dict[tuple[str, str], set[str]] = {}
    for a in atoms:
        if a.target in mine and a.source not in mine:
            reach.setdefault((a.target, a.port), set()).add(a.source)
    result = set(atoms)
    for (target, port), sources in reach.items():
        for every_address in EVERY_ADDRESS:  # IPv6 is printed when a policy names some
            everyone = {*outside, every_address}
            if everyone <= sources:
                result -= {Conn(s, target, port) for s in everyone}
                result.add(Conn(ANYWHERE, target, port))
    return result


def render(atoms: Iterable[Conn]) -> str:
    """One atom a line, sorted: what an assertion message shows."""
    return "\n".join(str(a) for a in sorted(atoms))
