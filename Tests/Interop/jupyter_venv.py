"""Re-runs a script inside the repository's own Jupyter venv, `.venv-jupyter/` at the repo root.

Standard library only, so it runs under any python3 before jupyter_client exists. The venv is made
with `python3 -m venv` and filled from PyPI with the Jupyter client libraries (no kernel, no
server); a marker file records a finished install so an interrupted one is retried.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV = REPO_ROOT / ".venv-jupyter"
REQUIREMENTS = ["jupyter_client>=8", "nbclient>=0.10", "nbformat>=5.9"]
_READY_MARKER = VENV / ".serscript-ready"


def reexec_in_venv(script: str) -> None:
    """Returns if already inside `.venv-jupyter`; otherwise creates it if needed and replaces this
    process by `script` run with the venv's python and the same arguments."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    if not _READY_MARKER.exists():
        if not python.exists():
            subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS])
        _READY_MARKER.write_text("\n".join(REQUIREMENTS) + "\n")
    os.execv(str(python), [str(python), str(Path(script).resolve()), *sys.argv[1:]])
