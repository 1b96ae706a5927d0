"""``tiers build -o DIR`` makes and stages its files one tier at a time, and
keeps every guarantee of the whole-tree write: a failure at any point while
the files are being made leaves DIR (and its parent) as it was, and a file
tiers did not write is never replaced. (The bytes are pinned by
``test_output_stable.py``.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_tiers
from tests.test_output import snapshot
from tiers.compiler import check, compile_app, objects_each
from tiers.errors import OutputError, UsageError
from tiers.loader import load_app
from tiers.location import display_path
from tiers.output.emit import Text, header, per_tier, tier_files
from tiers.output.layouts import LAYOUTS, Layout, layout_each, layout_files
from tiers.output.write import write_tree
from tiers.render.objects import Rendered

FULL = str(EXAMPLES / "full.py")  # Namespace first, app-wide extras last, a patch


class RenderFailed(Exception):
    """What a rendering that breaks halfway raises."""


def objects() -> list[Rendered]:
    return compile_app(load_app(FULL)).objects


def breaking(after: int) -> Iterator[Rendered]:
    """The full example's objects, rendered one by one, then a failure after
    ``after`` of them (past its first tiers)."""
    resolved, _ = check(load_app(FULL))
    for index, rendered in enumerate(objects_each(resolved)):
        if index == after:
            raise RenderFailed(f"object {index}")
        yield rendered


def built(tmp_path: Path, layout: Layout) -> Path:
    """DIR holding a complete build of the full example, and a file of the user's."""
    out = tmp_path / "deploy"
    write_tree(out, layout_files(objects(), layout, "shop"), "full.py")
    (out / "README.md").write_text("mine\n")
    return out


def leftovers(out: Path) -> list[str]:
    """Staging directories: tiers' own inside DIR, and any beside it."""
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    return sorted(beside + [p.name for p in out.glob(".tiers-staging")])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_failure_while_files_are_made_leaves_dir_untouched(
    layout: Layout, tmp_path: Path
) -> None:
    out = built(tmp_path, layout)
    before = snapshot(out)
    staged: list[str] = []

    def watched() -> Iterator[tuple[str, Text]]:
        for name, text in layout_each(breaking(after=12), layout, "shop"):
            staged.append(name)
            yield name, text

    with pytest.raises(RenderFailed, match="object 12"):
        write_tree(out, watched(), "full.py")
    assert staged, "the failure came before any file was staged"
    assert snapshot(out) == before
    assert leftovers(out) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_failure_into_a_new_dir_leaves_no_trace(layout: Layout, tmp_path: Path) -> None:
    with pytest.raises(RenderFailed):
        write_tree(tmp_path / "a" / "deploy", layout_each(breaking(12), layout, "shop"), "x.py")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("layout", ["tier", "resource"])
def test_each_tiers_files_are_staged_before_the_next_tier_is_rendered(
    layout: Layout, tmp_path: Path
) -> None:
    out = tmp_path / "deploy"
    events: list[str] = []

    def rendered() -> Iterator[Rendered]:
        for o in objects():
            events.append(f"render {o.tier}")
            yield o

    def files() -> Iterator[tuple[str, str]]:
        for name, text in layout_each(rendered(), layout, "shop"):
            assert isinstance(text, str)
            yield name, text
            staged = [p.read_text() for p in out.glob(".tiers-staging/new/*")]
            assert header("full.py") + text in staged
            events.append(f"staged {name}")

    write_tree(out, files(), "full.py")
    mysql = [i for i, e in enumerate(events) if e.startswith("staged mysql") and "kust" not in e]
    backend = [i for i, e in enumerate(events) if e == "render backend"]
    # A tier ends where the next one starts: its files are staged right then.
    assert backend[0] < min(mysql) and max(mysql) < backend[1]
    assert layout_files(objects(), layout, "shop") == {
        p.relative_to(out).as_posix(): p.read_text().removeprefix(header("full.py"))
        for p in out.rglob("*.yaml")
    }


def test_the_stream_layout_writes_its_one_file_in_pieces(tmp_path: Path) -> None:
    out = tmp_path / "deploy"
    on_disk: list[int] = []

    def watched(pieces: Iterator[str]) -> Iterator[str]:
        for piece in pieces:
            yield piece
            on_disk.extend(p.stat().st_size for p in out.glob(".tiers-staging/new/0"))

    def files() -> Iterator[tuple[str, Text]]:
        for name, text in layout_each(objects(), "stream", "shop"):
            yield name, text if isinstance(text, str) else watched(text)

    write_tree(out, files(), "full.py")
    assert len(on_disk) == len(objects())
    # Far more text than a write buffer: part of it reached the disk before the last object.
    assert 0 < on_disk[-2] < (out / "shop.yaml").stat().st_size


def test_a_tier_named_kustomization_midway_leaves_dir_untouched(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    code = "from tiers import App, Tier\napp = App('x')\n"
    tier = "app.add(Tier({!r}, image='nginx:1.27', ports=[80]))\n"
    app.write_text(code + tier.format("aa") + tier.format("bb"))
    out = tmp_path / "out"
    assert run_tiers("build", str(app), "-o", str(out)).returncode == 0
    before = snapshot(out)
    app.write_text(code + "".join(tier.format(n) for n in ("aa", "kustomization", "zz")))
    result = run_tiers("build", str(app), "-o", str(out))
    assert result.returncode == 2, result.stderr
    assert "kustomization.yaml, the file kustomize reads" in result.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_every_foreign_file_is_named_at_once_and_nothing_written(tmp_path: Path) -> None:
    out = built(tmp_path, "resource")
    (out / "backend" / "deployment-backend.yaml").write_text("mine\n")
    (out / "namespace-shop.yaml").unlink()
    (out / "namespace-shop.yaml").symlink_to("README.md")
    before = snapshot(out)
    with pytest.raises(OutputError) as raised:
        write_tree(out, layout_each(objects(), "resource", "shop"), "full.py")
    shown = display_path(str(out))
    assert str(raised.value).startswith(
        f"refusing to overwrite {shown}/backend/deployment-backend.yaml, "
        f"{shown}/namespace-shop.yaml (a symbolic link): not written by tiers"
    )
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_an_os_error_while_files_are_made_is_not_a_failure_to_write(tmp_path: Path) -> None:
    def files() -> Iterator[tuple[str, str]]:
        yield "a.yaml", "a: 1\n"
        raise PermissionError(13, "Permission denied", "templates/deployment.yaml.j2")

    with pytest.raises(PermissionError, match=r"deployment\.yaml\.j2"):
        write_tree(tmp_path / "deploy", files(), "x.py")
    assert list(tmp_path.iterdir()) == []


def test_a_file_given_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"a\.yaml would be written twice"):
        write_tree(tmp_path / "deploy", iter([("a.yaml", "a: 1\n"), ("a.yaml", "")]), "x.py")
    assert list(tmp_path.iterdir()) == []


def _object(tier: str | None, name: str) -> Rendered:
    return Rendered(tier, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})


def test_app_wide_objects_come_last_but_are_listed_where_they_first_came() -> None:
    objects = [
        _object(None, "first"),
        _object("a", "a1"),
        _object("b", "b1"),
        _object(None, "last"),
    ]
    assert [name for name, _ in tier_files(iter(objects))] == ["a.yaml", "b.yaml", "app.yaml"]
    assert list(per_tier(objects)) == ["app.yaml", "a.yaml", "b.yaml"]
    assert per_tier(objects)["app.yaml"].split("---\n")[1].endswith("name: last\n")
    late = [_object("a", "a1"), _object(None, "last")]
    assert list(layout_files(late, "tier", "x")) == ["a.yaml", "app.yaml", "kustomization.yaml"]


def test_a_tier_named_app_shares_app_yaml_with_app_wide_objects() -> None:
    objects = [_object(None, "ns"), _object("app", "x"), _object("b", "y"), _object(None, "z")]
    files = per_tier(objects)
    assert list(files) == ["app.yaml", "b.yaml"]
    assert [line for line in files["app.yaml"].splitlines() if "name:" in line] == [
        "  name: ns",
        "  name: x",
        "  name: z",
    ]


def test_a_tier_whose_objects_do_not_come_together_is_an_error() -> None:
    objects = [_object("a", "1"), _object("b", "2"), _object("a", "3")]
    with pytest.raises(ValueError, match="tier 'a' do not come together"):
        per_tier(objects)


def test_an_app_named_kustomization_is_refused_in_the_stream_layout() -> None:
    with pytest.raises(UsageError, match="stream layout would write objects to kustomization"):
        layout_files(objects(), "stream", "kustomization")
