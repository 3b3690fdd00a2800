"""Tests of docfetch.cite.walk and docfetch.cite.collect: which files are read, in which order, how."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docfetch.cite.collect import scan_paths
from docfetch.cite.walk import MAX_BYTES, NotText, Skipped, TextFile, decode, iter_texts, read_text, walk


def make(root: Path, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)


def names(items: list[Path | Skipped], root: Path) -> list[str]:
    return [str(item.relative_to(root)) for item in items if isinstance(item, Path)]


def test_order_and_pruning(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "b.py": "x",
            "a/z.txt": "x",
            "a/b/c.md": "x",
            "a.py": "x",
            ".git/config": "x",
            ".hg/x": "x",
            ".svn/x": "x",
            "node_modules/pkg/index.js": "x",
            "src/__pycache__/m.pyc": "x",
            ".venv/lib/site.py": "x",
            "venv/lib/site.py": "x",
            "env2/pyvenv.cfg": "home = /usr",
            "env2/lib/site.py": "x",
            ".tox/py311/x.py": "x",
            "src/m.py": "x",
            ".github/workflows/ci.yml": "x",
        },
    )
    found = list(walk([tmp_path]))
    assert names(found, tmp_path) == [
        ".github/workflows/ci.yml",
        "a/b/c.md",
        "a/z.txt",
        "a.py",
        "b.py",
        "src/m.py",
    ]
    assert list(walk([tmp_path])) == found  # the same every time


def test_roots_in_the_order_given_and_never_pruned(tmp_path: Path) -> None:
    make(tmp_path, {"z.txt": "x", ".venv/lib/site.py": "x", ".venv/pyvenv.cfg": "x", "a.txt": "x"})
    found = list(walk([tmp_path / "z.txt", tmp_path / ".venv", tmp_path / "a.txt", tmp_path / "z.txt"]))
    assert names(found, tmp_path) == ["z.txt", ".venv/lib/site.py", ".venv/pyvenv.cfg", "a.txt"]


def test_missing_paths_are_reported_not_raised(tmp_path: Path) -> None:
    make(tmp_path, {"a.txt": "x"})
    found = list(walk([tmp_path / "nope", tmp_path / "a.txt"]))
    assert isinstance(found[0], Skipped)
    assert (found[0].path, found[0].kind) == (tmp_path / "nope", "unreadable")
    assert found[1] == tmp_path / "a.txt"


def test_symlink_loops_never_hang(tmp_path: Path) -> None:
    make(tmp_path, {"d/a.txt": "x", "d/e/b.txt": "x"})
    os.symlink(tmp_path / "d", tmp_path / "d" / "e" / "loop")
    os.symlink(tmp_path, tmp_path / "d" / "up")
    os.symlink("self", tmp_path / "self")
    os.symlink(tmp_path / "d" / "a.txt", tmp_path / "d" / "same.txt")
    os.symlink(tmp_path / "missing", tmp_path / "broken")
    found = list(walk([tmp_path, tmp_path / "d"]))
    assert names(found, tmp_path) == ["d/a.txt", "d/e/b.txt"]
    skipped = sorted((s.path.name, s.kind) for s in found if isinstance(s, Skipped))
    assert skipped == [("broken", "unreadable"), ("self", "unreadable")]
    assert next(s for s in found if isinstance(s, Skipped) and s.path.name == "broken").reason == "broken symbolic link"


def test_root_that_is_a_link_is_followed(tmp_path: Path) -> None:
    make(tmp_path, {"real/a.txt": "x"})
    os.symlink(tmp_path / "real", tmp_path / "link")
    assert [p.name for p in walk([tmp_path / "link"]) if isinstance(p, Path)] == ["a.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_and_directory_are_reported(tmp_path: Path) -> None:
    make(tmp_path, {"closed/a.txt": "x", "secret.txt": "RFC 9110", "ok.txt": "RFC 9111"})
    (tmp_path / "closed").chmod(0)
    (tmp_path / "secret.txt").chmod(0)
    try:
        report = scan_paths([tmp_path])
    finally:
        (tmp_path / "closed").chmod(0o755)
        (tmp_path / "secret.txt").chmod(0o644)
    assert sorted(s.path.name for s in report.unreadable) == ["closed", "secret.txt"]
    assert [c.document.name for c in report.citations] == ["9111"]


def test_unreadable_reported_also_when_running_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"closed/a.txt": "x", "secret.txt": "RFC 9110", "ok.txt": "RFC 9111"})
    real_open, real_scandir = open, os.scandir

    def deny_open(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    def deny_scandir(path: object) -> object:
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", deny_open)
    monkeypatch.setattr(os, "scandir", deny_scandir)
    report = scan_paths([tmp_path])
    assert sorted((s.path.name, s.reason) for s in report.unreadable) == [
        ("closed", "Permission denied"),
        ("secret.txt", "Permission denied"),
    ]
    assert [c.document.name for c in report.citations] == ["9111"]


def test_special_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    make(tmp_path, {"a.txt": "x"})
    assert names(list(walk([tmp_path])), tmp_path) == ["a.txt"]  # a FIFO met in the walk is left alone
    given = list(walk([tmp_path / "fifo"]))  # a FIFO given is reported, never read (it would block)
    assert given == [Skipped(tmp_path / "fifo", "unreadable", "not a regular file")]


def test_decode() -> None:
    assert decode(b"\xef\xbb\xbfRFC 9110") == "RFC 9110"
    assert decode("é RFC".encode()) == "é RFC"
    assert decode(b"caf\xe9 RFC 9110") == "caf\ufffd RFC 9110"  # Latin-1 byte: one U+FFFD, columns kept
    assert decode("RFC 9110".encode("utf-16")) == "RFC 9110"
    with pytest.raises(NotText) as caught:
        decode(b"ELF\0\0\0 RFC 9110")
    assert caught.value.kind == "binary"
    assert decode(b"x" * 9000 + b"\0") == "x" * 9000 + "\0"  # a NUL past the first 8 KiB does not make it binary


def test_too_large(tmp_path: Path) -> None:
    make(tmp_path, {"big.txt": "RFC 9110\n" * 20, "small.txt": "RFC 9110\n"})
    with pytest.raises(NotText) as caught:
        read_text(tmp_path / "big.txt", max_bytes=100)
    assert caught.value.kind == "too-large"
    assert read_text(tmp_path / "small.txt", max_bytes=9) == "RFC 9110\n"
    items = list(iter_texts([tmp_path], max_bytes=100))
    assert [(type(i).__name__, i.path.name) for i in items] == [("Skipped", "big.txt"), ("TextFile", "small.txt")]
    assert MAX_BYTES == 4 * 1024 * 1024


def test_scan_paths(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "src/a.go": '// RFC 9110, Section 15.5.5: "The 404"\n',
            "src/b.bin": b"\0\0RFC 9110",
            "docs/x.md": "See RFC 2616.\n",
            "node_modules/y.js": "// RFC 7231\n",
        },
    )
    report = scan_paths([tmp_path])
    assert report.files == 2
    assert [(Path(c.path).name, c.document.name, c.line, c.column, c.quote) for c in report.citations] == [
        ("x.md", "2616", 1, 5, None),
        ("a.go", "9110", 1, 4, "The 404"),
    ]
    assert [(s.path.name, s.kind) for s in report.skipped] == [("b.bin", "binary")]
    assert report.unreadable == []
    assert all(isinstance(i, TextFile | Skipped) for i in iter_texts([tmp_path]))
