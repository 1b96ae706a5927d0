from tests.conftest import build_docs


def test_multi_tier_wires_backend_to_mysql() -> None:
    docs = build_docs("multi_tier")
    backend = next(
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "backend"
    )
    env = backend["spec"]["template"]["spec"]["containers"][0]["env"]
    assert {"name": "DB_HOST", "value": "mysql-service"} in env


def test_every_kind_takes_only_the_name_by_position() -> None:
    import dataclasses

    from tiers import Backend, Frontend, MySQL, Tier

    for kind in (Tier, MySQL, Backend, Frontend):
        positional = [f.name for f in dataclasses.fields(kind) if not f.kw_only]
        assert positional == ["name"], kind.__name__
