"""Re-runs a PyTorch script inside the repository's own venv, `.venv-torch/` at the repo root.

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
_READY_MARKER = VENV / ".serscript-ready"


def reexec_in_venv(script: str, extra: tuple[str, ...] = ()) -> None:
    """Returns if already inside `.venv-torch`; otherwise creates it if needed and replaces this
    process by `script` run with the venv's python and the same arguments. `extra` packages (e.g.
    librosa for the predict peer) are installed into the same venv once, with their own marker."""
    python = VENV / "bin" / "python"
    if not _READY_MARKER.exists():
        if not python.exists():
            subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS])
        _READY_MARKER.write_text("\n".join(REQUIREMENTS) + "\n")
    extra_marker = VENV / (".serscript-ready-" + "-".join(sorted(extra)))
    if extra and not extra_marker.exists():
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", *extra])
        extra_marker.write_text("\n".join(extra) + "\n")
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    os.execv(str(python), [str(python), str(Path(script).resolve()), *sys.argv[1:]])
