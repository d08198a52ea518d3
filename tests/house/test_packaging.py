"""The embedded deal works after a plain, non-editable `pip install .`: seeds ship inside the wheel."""

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_seeds_and_templates_and_answers_from_anywhere(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist")], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("termbook-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "termbook_seeds/iec_hsbc_ge.toml" in names
    assert any(n.startswith("termbook_templates/") and n.endswith(".toml") for n in names)
    assert "udfs/engine/schedule.py" in names and not any(n.startswith("tests/") for n in names)

    # A fresh environment that sees the test machine's libraries but installs termbook from the wheel.
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                "--no-index", "-q", str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    where = subprocess.run([str(python), "-c", "import udfs, termbook_seeds; print(udfs.__file__);"
                            "print(termbook_seeds.__file__)"], capture_output=True, text=True, cwd=tmp_path)
    assert all(str(env_dir) in line for line in where.stdout.split()), where.stdout
    answer = subprocess.run([str(env_dir / "bin" / "termbook"), "eval", "LSA_MAX_LIMIT", "2002-11-22"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert (answer.returncode, answer.stdout.strip()) == (0, "1,750,000.00"), answer.stderr  # No. 11 B.1(A)(ii)(a)
