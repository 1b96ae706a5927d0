"""The round-trip comparison itself must be able to fail."""

from tests.subset import missing


def test_equal_and_larger_outputs_cover_the_input() -> None:
    wanted = {"spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": "1"}]}]}}
    output = {
        "spec": {
            "containers": [
                {"name": "b", "image": "i"},
                {"name": "a", "env": [{"name": "Y", "value": "2"}, {"name": "X", "value": "1"}]},
            ]
        },
        "metadata": {"labels": {"added": "by tiers"}},
    }
    assert missing(output, wanted) == []


def test_a_changed_missing_or_retyped_value_is_reported() -> None:
    wanted = {"ports": [{"port": 80, "targetPort": "http"}], "replicas": 1, "flag": True}
    output = {"ports": [{"port": 80, "targetPort": 8080}], "flag": 1}
    assert missing(output, wanted) == [
        ".ports[port=80].targetPort: expected 'http', got 8080",
        ".replicas: expected 1, got None",
        ".flag: expected True, got 1",
    ]


def test_unnamed_lists_compare_item_by_item() -> None:
    assert missing({"args": ["a", "b"]}, {"args": ["b", "a"]}) == [
        ".args[0]: expected 'b', got 'a'",
        ".args[1]: expected 'a', got 'b'",
    ]
    assert missing({"args": ["a"]}, {"args": ["a", "b"]}) == [".args: expected 2 items, got 1"]


def _pod(volume: str, path: str) -> dict[str, object]:
    mount = {"name": volume, "mountPath": path}
    return {
        "containers": [{"name": "app", "volumeMounts": [mount]}],
        "volumes": [{"name": volume, "emptyDir": {}}],
    }


def test_empty_dirs_are_the_same_by_where_they_are_mounted() -> None:
    assert missing(_pod("data", "/data"), _pod("redis-data", "/data")) == []
    assert missing(_pod("data", "/var/data"), _pod("redis-data", "/data")) != []
    other = _pod("redis-data", "/data")
    other["volumes"] = [{"name": "redis-data", "emptyDir": {"medium": "Memory"}}]
    assert missing(_pod("data", "/data"), other) != []
