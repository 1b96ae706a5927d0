"""Random manifests through the whole importer: whatever is imported comes
back field for field, whatever is not is warned about, and a second import
of tiers' own output builds the same YAML."""

from __future__ import annotations

import random
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.subset import missing
from tiers import App, build_yaml
from tiers.errors import ImportFailedError, ImportInputError
from tiers.importer import Options, import_sources
from tiers.importer.read import parse

NAMESPACES = ["shop", "data", None]
PORTS = [80, 3306, 8080, 9090]


def _container(rng: random.Random, name: str, hosts: list[str]) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": rng.choice(["mysql:8", "app:1", "x/y:2"])}
    ports = rng.sample(PORTS, rng.randrange(0, 3))
    if ports:
        container["ports"] = [
            {"containerPort": p, **({"name": f"p{p}"} if rng.random() < 0.5 else {})} for p in ports
        ]
    env = []
    for index in range(rng.randrange(0, 4)):
        value = rng.choice([*hosts, "literal", "80", "http://nowhere"]) if hosts else "v"
        if hosts and rng.random() < 0.3:
            value = f"http://{rng.choice(hosts)}:{rng.choice(PORTS)}/p"
        env.append({"name": f"E{index}_HOST", "value": value})
    if rng.random() < 0.3:
        env.append({"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}})
    if env:
        container["env"] = env
    return container


def _workload(rng: random.Random, index: int, hosts: list[str]) -> dict[str, Any]:
    name = f"w{index}"
    containers = [_container(rng, name, hosts)]
    if rng.random() < 0.3:
        containers.append(_container(rng, "side", []))
    pod: dict[str, Any] = {"containers": containers}
    if rng.random() < 0.3:
        pod["nodeSelector"] = {"disk": rng.choice(["ssd", "yes", "0123"])}
    kind = rng.choice(["Deployment", "StatefulSet"])
    spec: dict[str, Any] = {
        "selector": {"matchLabels": {"app": name}},
        "template": {"metadata": {"labels": {"app": name, "v": "1"}}, "spec": pod},
    }
    if rng.random() < 0.7:
        spec["replicas"] = rng.randrange(0, 4)
    if kind == "StatefulSet":
        spec["serviceName"] = f"{name}-peers"
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": _meta(rng, name),
        "spec": spec,
    }


def _meta(rng: random.Random, name: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    namespace = rng.choice(NAMESPACES)
    if namespace:
        meta["namespace"] = namespace
    if rng.random() < 0.5:
        meta["labels"] = {"team": rng.choice(["a", "b"])}
    return meta


def _services(rng: random.Random, workload: dict[str, Any]) -> list[dict[str, Any]]:
    container = workload["spec"]["template"]["spec"]["containers"][0]
    targets = [p.get("name", p["containerPort"]) for p in container.get("ports", [])]
    result = []
    for number in range(rng.randrange(0, 3)):
        chosen = rng.sample(targets, min(len(targets), rng.randrange(1, 3))) or [8080]
        ports = [
            {"name": f"s{i}", "port": port, "targetPort": t}
            for i, (t, port) in enumerate(zip(chosen, rng.sample(PORTS, len(chosen)), strict=True))
        ]
        spec: dict[str, Any] = {"selector": {"app": workload["metadata"]["name"]}, "ports": ports}
        if rng.random() < 0.3:
            spec["type"] = rng.choice(["NodePort", "LoadBalancer"])
        elif rng.random() < 0.3:
            spec["clusterIP"] = "None"
        meta = dict(workload["metadata"], name=f"{workload['metadata']['name']}-s{number}")
        meta.pop("labels", None)
        result.append({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec})
    return result


def _manifests(rng: random.Random) -> list[dict[str, Any]]:
    count = rng.randrange(1, 4)
    hosts = [f"w{i}-s0" for i in range(count)] + [f"w{i}-s0.shop" for i in range(count)]
    result = []
    for index in range(count):
        workload = _workload(rng, index, hosts)
        result += [workload, *_services(rng, workload)]
    return result


def _build(code: str) -> str:
    scope: dict[str, Any] = {}
    exec(compile(code, "app.py", "exec"), scope)
    app = scope["app"]
    assert isinstance(app, App)
    return build_yaml(app)


@settings(max_examples=30, deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_random_manifests_round_trip(rng: random.Random) -> None:
    inputs = _manifests(rng)
    text = yaml.safe_dump_all(inputs, sort_keys=False)
    imported = import_sources(parse(text, "in.yaml"), Options(name="p"))
    output = _build(imported.code)
    built = [d for d in yaml.safe_load_all(output) if d]
    warned = {(w.source.kind, w.source.name) for w in imported.warnings}
    for wanted in inputs:
        key = (wanted["kind"], wanted["metadata"]["name"])
        found = [o for o in built if (o["kind"], o["metadata"]["name"]) == key]
        assert found or key in warned, key
        if found:
            assert missing(found[0], wanted) == [], key
    again = import_sources(parse(output, "out.yaml"), Options())
    assert not again.warnings
    assert _build(again.code) == output


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1, 70000),
    st.sampled_from(["", "x", "80", "http", "None", "TCP", "UDP", "mysql:8"]),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["name", "port", "a"]), st.integers(0, 3), max_size=2),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replace(document: Any, path: tuple[Any, ...], junk: Any) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = junk


@settings(max_examples=40, deadline=None)
@given(rng=st.randoms(use_true_random=False), junk=st.lists(_JUNK, min_size=1, max_size=3))
def test_odd_values_give_warnings_or_a_clear_error_never_a_crash(
    rng: random.Random, junk: list[Any]
) -> None:
    inputs = _manifests(rng)
    for value in junk:
        document = rng.choice(inputs)
        _replace(document, rng.choice(_paths(document)), value)
    text = yaml.safe_dump_all(inputs, sort_keys=False)
    try:
        imported = import_sources(parse(text, "in.yaml"), Options(name="p"))
    except ImportFailedError as exc:
        assert exc.problems
        return
    except ImportInputError as exc:  # the junk left no workload: nothing to import
        assert str(exc).startswith("nothing to import")
        return
    _build(imported.code)


def test_an_env_entry_whose_name_is_not_a_string_is_no_crash() -> None:
    """Found by the property test above: a list where an env name belongs."""
    document = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api"},
        "spec": {
            "selector": {"matchLabels": {"app": "api"}},
            "template": {
                "metadata": {"labels": {"app": "api"}},
                "spec": {
                    "containers": [
                        {
                            "name": "api",
                            "image": "my-api:1.0.0",
                            "env": [
                                {"name": [], "value": "x"},
                                {"name": "DB_PASSWORD", "value": "s"},
                            ],
                        }
                    ]
                },
            },
        },
    }
    text = yaml.safe_dump(document, sort_keys=False)
    try:
        imported = import_sources(parse(text, "in.yaml"), Options(name="p"))
    except ImportFailedError as exc:
        assert exc.problems
        return
    except ImportInputError as exc:  # the junk left no workload: nothing to import
        assert str(exc).startswith("nothing to import")
        return
    _build(imported.code)
