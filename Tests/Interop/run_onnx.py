"""Runs exported ONNX models in onnxruntime for serscript's interop tests (Tests/EngineTests/Export).

Usage: python3 run_onnx.py REQUEST.json

REQUEST is {"runs": [{"model": path, "inputs": [{"file": path, "shape": [..]}], "output_dir": path}]};
each input file holds little-endian float32 values. Each model is checked with onnx.checker (full
check, with shape inference) and loaded in an onnxruntime session; for its input i, `i.logits.bin`
and `i.probabilities.bin` (float32) are written to its output_dir. A JSON list with one summary per
model (opset, IR version, the input's and outputs' declared shapes, metadata) is printed on stdout.

It re-executes itself inside the repository's own venv, `.venv-onnx/`, through Benchmarks/peers/torch_venv.py.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "Benchmarks/peers"))
import torch_venv  # noqa: E402  (the repo's venv re-exec helper, standard library only)


def dims(value_info) -> list:
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def main() -> None:
    torch_venv.reexec_in_venv(__file__, venv=REPO_ROOT / ".venv-onnx", requirements=["onnxruntime", "onnx", "numpy"])
    import numpy as np
    import onnx
    import onnxruntime as ort

    request = json.loads(Path(sys.argv[1]).read_text())
    summaries = []
    for run in request["runs"]:
        model = onnx.load(run["model"])
        onnx.checker.check_model(model, full_check=True)
        session = ort.InferenceSession(run["model"], providers=["CPUExecutionProvider"])
        input_name = session.get_inputs()[0].name
        output_dir = Path(run["output_dir"])
        for index, item in enumerate(run["inputs"]):
            x = np.fromfile(item["file"], dtype="<f4").reshape(item["shape"])
            logits, probabilities = session.run(["logits", "probabilities"], {input_name: x})
            logits.astype("<f4").tofile(output_dir / f"{index}.logits.bin")
            probabilities.astype("<f4").tofile(output_dir / f"{index}.probabilities.bin")
        summaries.append({
            "opset": [{"domain": o.domain, "version": o.version} for o in model.opset_import],
            "ir_version": model.ir_version,
            "input": {"name": model.graph.input[0].name, "shape": dims(model.graph.input[0])},
            "outputs": [{"name": o.name, "shape": dims(o)} for o in model.graph.output],
            "metadata": {p.key: p.value for p in model.metadata_props},
            "onnxruntime": ort.__version__,
        })
    print(json.dumps(summaries))


if __name__ == "__main__":
    main()
