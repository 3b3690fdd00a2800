"""The code base is ruff-clean and type-checks (the project's style and types are part of its tests)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str) -> str:
    """A tool of the test dependencies (pip install -e '.[test]'), beside this interpreter."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def test_ruff_clean():
    result = subprocess.run(
        [tool("ruff"), "check", "--no-cache", str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_formatted():
    result = subprocess.run(
        [tool("ruff"), "format", "--check", "--no-cache", str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy_clean(tmp_path):
    # [tool.mypy] in pyproject.toml names the files: docfetch/ and the bundled plugins' code.
    result = subprocess.run(
        [tool("mypy"), "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
