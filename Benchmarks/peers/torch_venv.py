"""Re-runs a PyTorch script inside the repository's own venv, `.venv-torch/` at the repo root
(or any script in another repo venv: the Jupyter interop test uses `.venv-jupyter`).

Standard library only, so it can run under any python3 before torch exists. The venv is made with
`python3 -m venv` and filled from PyPI; a marker file records a finished install so an interrupted
one is retried.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV = REPO_ROOT / ".venv-torch"
REQUIREMENTS = ["torch==2.15.0", "numpy", "safetensors"]


def reexec_in_venv(script: str, venv: Path = VENV, requirements: list[str] = REQUIREMENTS,
                   extra: tuple[str, ...] = ()) -> None:
    """Returns if already inside `venv` (default `.venv-torch`); otherwise creates it with
    `requirements` if needed and replaces this process by `script` run with the venv's python and
    the same arguments (pip's output goes to stderr, so a script's stdout stays its own). `extra` packages (e.g. librosa for the predict peer) are installed into the
    same venv once, with their own marker."""
    python = venv / "bin" / "python"
    ready_marker = venv / ".serscript-ready"
    if not ready_marker.exists():
        if not python.exists():
            subprocess.check_call([sys.executable, "-m", "venv", str(venv)], stdout=sys.stderr)
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", *requirements], stdout=sys.stderr)
        ready_marker.write_text("\n".join(requirements) + "\n")
    extra_marker = venv / (".serscript-ready-" + "-".join(sorted(extra)))
    if extra and not extra_marker.exists():
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", *extra], stdout=sys.stderr)
        extra_marker.write_text("\n".join(extra) + "\n")
    if Path(sys.prefix).resolve() == venv.resolve():
        return
    os.execv(str(python), [str(python), str(Path(script).resolve()), *sys.argv[1:]])
