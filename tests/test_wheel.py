"""The package as a user gets it: `python -m build` (an sdist, then the wheel from it),
the wheel installed into a fresh venv outside the checkout, and the `warraq` command run
from another folder builds the starter article and the sample, byte for byte as the
checkout does.

The fresh venv sees the test environment's site-packages through a .pth file, for the
dependencies only (nothing is downloaded; an editable install's finder there is not run,
since .pth files of an added folder are not read): warraq itself comes from the wheel,
and the test checks that it does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE
from readback import epubcheck_problems
from warraq import __version__
from warraq.output import check_output
from warraq.pdf.preflight import check_pdf
from warraq.pdf.profiles import PROFILES

pytestmark = pytest.mark.slow

#: What the sdist is made from: the project's files, not its caches or outputs.
IGNORE = shutil.ignore_patterns(".venv", "dist", "build", "*.egg-info", "__pycache__",
                                ".pytest_cache", ".hypothesis", ".git", "tests", "source",
                                "benchmarks")


def run(cmd, cwd, env=None, timeout=600):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv with the wheel built from the sdist installed in it."""
    work = tmp_path_factory.mktemp("wheeltest")
    project = work / "project"
    shutil.copytree(ROOT, project, ignore=IGNORE, symlinks=True)
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", work / "dist", project],
        cwd=work)
    [wheel] = (work / "dist").glob("warraq-*.whl")
    assert wheel.name.startswith(f"warraq-{__version__}-")
    env = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", env], cwd=work)
    site = Path(run([env / "bin" / "python", "-c", "import sysconfig; "
                     "print(sysconfig.get_paths()['purelib'])"], cwd=work).stdout.strip())
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", env / "bin" / "python", "install", "-q",
         "--no-index", "--no-deps", wheel], cwd=work)
    return env


def clean_env() -> dict[str, str]:
    drop = ("PYTHONPATH", "SOURCE_DATE_EPOCH", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if k not in drop}


def test_the_wheel_carries_the_templates_and_the_starters(venv):
    [wheel] = (venv.parent / "dist").glob("warraq-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            assert f"warraq/_templates/{path.relative_to(ROOT / 'templates')}" in names
    for kind in ("article", "book"):
        for path in (ROOT / "warraq" / "starters" / kind).iterdir():
            assert f"warraq/starters/{kind}/{path.name}" in names
    assert "warraq/__main__.py" in names
    for path in (ROOT / "warraq" / "readers" / "lua").glob("*.lua"):  # Pandoc's scripts
        assert f"warraq/readers/lua/{path.name}" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "warraq = warraq.commands:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_python_m_warraq_prints_the_version_and_imports_the_wheel(venv, tmp_path):
    proc = run([venv / "bin" / "python", "-m", "warraq", "--version"], tmp_path, clean_env())
    assert proc.stdout == f"warraq {__version__}\n"
    where = run([venv / "bin" / "python", "-c", "import warraq, warraq.templating as t; "
                 "print(warraq.__file__); print(t.TEMPLATES_DIR)"], tmp_path, clean_env())
    module, templates = where.stdout.splitlines()
    assert Path(module).is_relative_to(venv) and Path(templates).is_relative_to(venv)


def test_the_installed_command_builds_the_starter_and_the_sample(venv, tmp_path,
                                                                 sample_build):
    warraq = venv / "bin" / "warraq"
    run([warraq, "new", "article", "essay"], tmp_path, clean_env())
    built = run([warraq, "build", "essay", "--out", "essay-out"], tmp_path, clean_env())
    assert "built “On Keeping Promises”" in built.stdout
    out = tmp_path / "essay-out"
    assert epubcheck_problems(out / "on-keeping-promises.epub") == []
    assert check_pdf((out / "on-keeping-promises.pdf").read_bytes(), PROFILES["print"]).passed

    run([warraq, "build", SAMPLE, "--out", "sample-out", "--quiet"], tmp_path, clean_env())
    sample = tmp_path / "sample-out"
    expected = sample_build.files[0].parent
    for path in expected.iterdir():
        check_output(path.name, (sample / path.name).read_bytes())
        assert (sample / path.name).read_bytes() == path.read_bytes(), path.name
