"""`.pt` files for serscript's PyTorch-file reader (`Tests/Fixtures/torch/pt/`), written by `generate.py`.

Real `torch.save` outputs (the four notebook models' state dicts with their logits, dtype variants,
views and shared storages, a checkpoint dict, a deflated re-zip, the legacy format) and hostile
pickles that a safe reader must refuse (each names what it tries). Imported by generate.py inside
`.venv-torch`; the helpers it needs from there are passed in.
"""
from __future__ import annotations

import collections
import io
import json
import os
import pickle
import zipfile
from pathlib import Path
from typing import Callable

import torch
from torch import nn

import notebook_models

Writer = Callable[[Path, dict[str, torch.Tensor], dict[str, str]], None]


class _Storage:
    """Stands for a storage in hand-made pickles; the pickler turns it into torch's persistent id."""

    def __init__(self, key: str, numel: int):
        self.key, self.numel = key, numel


class _StoragePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            return ("storage", torch.FloatStorage, obj.key, "cpu", obj.numel)
        return None


class _Call:
    """Pickles as `function(*args)` (REDUCE), whatever the function is: the hostile payloads."""

    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __reduce__(self):
        return (self.function, self.args)


def _entry(name: str, compression: int = zipfile.ZIP_STORED) -> zipfile.ZipInfo:
    """A zip entry with a fixed date, so regenerated archives are byte-identical."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    return info


def _torch_like_zip(path: Path, pickle_bytes: bytes, storages: dict[str, bytes]) -> None:
    """A zip laid out as torch.save lays it out (archive/data.pkl, archive/data/<key>, version)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(_entry("archive/data.pkl"), pickle_bytes)
        archive.writestr(_entry("archive/byteorder"), "little")
        for key, blob in storages.items():
            archive.writestr(_entry(f"archive/data/{key}"), blob)
        archive.writestr(_entry("archive/version"), "3\n")


def _pickled(obj) -> bytes:
    buffer = io.BytesIO()
    _StoragePickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()


def _view(storage: _Storage, offset: int, size: tuple, stride: tuple) -> _Call:
    return _Call(torch._utils._rebuild_tensor_v2, storage, offset, size, stride, False, collections.OrderedDict())


def vgg_layers(layout: list, in_channels: int, width: int) -> nn.Sequential:
    """torchvision's `vgg.make_layers` (no batch norm): conv 3×3 padding 1 + ReLU per entry, "M" a 2×2
    max-pool; channel counts are multiples of `width` (64 in the published networks)."""
    layers: list[nn.Module] = []
    for entry in layout:
        if entry == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(in_channels, entry * width, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            in_channels = entry * width
    return nn.Sequential(*layers)


VGG16_LAYOUT = [1, 1, "M", 2, 2, "M", 4, 4, 4, "M", 8, 8, 8, "M", 8, 8, 8, "M"]   # torchvision cfgs["D"] / 64
VGGISH_LAYOUT = [1, "M", 2, "M", 4, 4, "M", 8, 8, "M"]


class VGG16(nn.Module):
    """torchvision.models.vgg16's attribute names: `features` (the conv base) and `classifier`."""

    def __init__(self, width: int = 64, hidden: int = 4096, classes: int = 1000):
        super().__init__()
        self.features = vgg_layers(VGG16_LAYOUT, 3, width)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(nn.Linear(8 * width * 7 * 7, hidden), nn.ReLU(True), nn.Dropout(),
                                        nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(), nn.Linear(hidden, classes))


class VGGish(nn.Module):
    """torchvggish's VGGish: `features`, then channels-last flatten, then `embeddings` (each Linear + ReLU)."""

    def __init__(self, width: int = 64):
        super().__init__()
        self.features = vgg_layers(VGGISH_LAYOUT, 1, width)
        hidden = 64 * width
        self.embeddings = nn.Sequential(nn.Linear(8 * width * 4 * 6, hidden), nn.ReLU(True), nn.Linear(hidden, hidden),
                                        nn.ReLU(True), nn.Linear(hidden, 128), nn.ReLU(True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = torch.transpose(x, 1, 3)
        x = torch.transpose(x, 1, 2).contiguous()
        return self.embeddings(x.view(x.size(0), -1))


FOUR_FLOATS = torch.arange(4, dtype=torch.float32).numpy().tobytes()

# name -> (pickled object, storages, what the reader must say it refuses)
HOSTILE: dict[str, tuple[object, dict[str, bytes], str]] = {
    "hostile_os_system": ({"w": _Call(os.system, "echo pwned > /tmp/serscript-pwned")}, {}, "os.system via REDUCE"),
    "hostile_eval": (_Call(eval, "__import__('os').system('true')"), {}, "builtins.eval via REDUCE"),
    "hostile_getattr": ({"w": _Call(getattr, "", "join")}, {}, "builtins.getattr (the first step to any attribute)"),
    "hostile_view_out_of_bounds": ({"w": _view(_Storage("0", 4), 2, (3,), (1,))}, {"0": FOUR_FLOATS},
                                   "a view whose last element lies past its 4-element storage"),
    "hostile_huge_stride": ({"w": _view(_Storage("0", 4), 0, (2, 2), (2**62, 1))}, {"0": FOUR_FLOATS},
                            "a stride that overflows 64-bit index arithmetic"),
    "hostile_storage_size": ({"w": _view(_Storage("0", 1000), 0, (4,), (1,))}, {"0": FOUR_FLOATS},
                             "a storage claiming 1000 elements whose entry has 16 bytes"),
    "hostile_missing_storage": ({"w": _view(_Storage("7", 4), 0, (4,), (1,))}, {"0": FOUR_FLOATS},
                                "a storage key with no data entry"),
    "hostile_storage_key_path": ({"w": _view(_Storage("../../etc/passwd", 4), 0, (4,), (1,))}, {"0": FOUR_FLOATS},
                                 "a storage key that is a path"),
}


def write_pt_fixtures(out: Path, seed_for: Callable[[str], int], perturb: Callable[[nn.Module], None],
                      write: Writer) -> list[str]:
    """Writes every .pt fixture and its expected-values safetensors into `out`; returns README rows."""
    out.mkdir(exist_ok=True)
    for stale in list(out.glob("*.pt")) + list(out.glob("*.safetensors")):
        stale.unlink()
    rows: list[str] = []

    for name, (cls, _) in notebook_models.MODELS.items():
        torch.manual_seed(seed_for(f"pt_{name}"))
        model = cls()
        perturb(model)
        model.eval()
        x = torch.randn(1, *cls.input_shape)
        with torch.no_grad():
            logits = model(x)[0]
        torch.save(model.state_dict(), out / f"{name}.pt")
        write(out / f"{name}.safetensors", {"input": x, "logits": logits}, {"model": f"notebook_models.{cls.__name__}()"})
        rows.append(f"| `{name}.pt`, `{name}.safetensors` | `torch.save(model.state_dict())` of "
                    f"notebook_models.{cls.__name__} (perturbed as above, eval mode); `input` (1, "
                    f"{', '.join(map(str, cls.input_shape))}) N(0,1) and its `logits` |")

    torch.manual_seed(seed_for("pt_dtypes"))
    base = torch.randn(3, 5)
    variants = {"float16": base.half(), "bfloat16": base.bfloat16(), "float64": base.double(),
                "int64": torch.arange(-4, 4, dtype=torch.int64), "uint8": torch.arange(250, 256, dtype=torch.uint8),
                "bool": torch.tensor([True, False, True])}
    torch.save(variants, out / "dtypes.pt")
    write(out / "dtypes.safetensors", {k: v.float() for k, v in variants.items()}, {"what": "each tensor of dtypes.pt as float32"})
    rows.append("| `dtypes.pt`, `dtypes.safetensors` | one tensor per dtype (float16, bfloat16, float64, int64, uint8, bool); "
                "the safetensors holds each as `.float()` |")

    grid = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    views = {"grid": grid, "same": grid, "transposed": grid.t(), "block": grid[1:3, 2:5], "row": grid[2],
             "column": grid[:, 4], "strided": grid[::2, ::3], "expanded": torch.arange(3.0).expand(2, 3),
             "empty": grid[:0]}
    torch.save(views, out / "views.pt")
    write(out / "views.safetensors", {k: v.contiguous() for k, v in views.items()}, {"what": "each view of views.pt, contiguous"})
    rows.append("| `views.pt`, `views.safetensors` | views sharing one storage: the 4 × 6 grid twice, its transpose, "
                "a block at an offset, a row, a column, a strided slice, an expand (stride 0), an empty slice |")

    torch.manual_seed(seed_for("pt_checkpoint"))
    linear = nn.Linear(3, 2)
    optimizer = torch.optim.Adam(linear.parameters(), lr=1e-3)
    linear(torch.randn(4, 3)).sum().backward()
    optimizer.step()
    torch.save({"epoch": 7, "model_state_dict": linear.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
                "note": "plain data around the weights"}, out / "checkpoint_dict.pt")
    write(out / "checkpoint_dict.safetensors", dict(linear.state_dict()), {"what": "model_state_dict of checkpoint_dict.pt"})
    rows.append("| `checkpoint_dict.pt`, `checkpoint_dict.safetensors` | a training checkpoint dict: epoch, "
                "`model_state_dict` (nn.Linear(3, 2)), Adam's `optimizer_state_dict`, a string |")

    buffer = io.BytesIO()
    torch.save(linear.state_dict(), buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(out / "deflated.pt", "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(_entry(item.filename, zipfile.ZIP_DEFLATED), source.read(item.filename))
    rows.append("| `deflated.pt` | the same nn.Linear(3, 2) state dict re-zipped with deflate compression |")

    torch.save({"epoch": 3, "note": "no weights"}, out / "no_tensors.pt")
    rows.append("| `no_tensors.pt` | a dict of plain data without tensors: not a state dict, refused naming its keys |")
    torch.save(linear.state_dict(), out / "legacy.pt", _use_new_zipfile_serialization=False)

    torch.save(linear, out / "hostile_whole_model.pt")
    rows.append("| `legacy.pt` | the same state dict in the legacy (pre-1.6, non-zip) format: refused with a clear error |")
    rows.append("| `hostile_whole_model.pt` | `torch.save(nn.Linear(3, 2))`, a whole module object: refused (global torch.nn.modules.linear.Linear) |")

    # Narrow copies (width 4: 4 … 32 channels) with random weights for forward parity; the real
    # layouts (width 64) by key and shape only: VGG16's conv base alone is 59 MB of weights.
    torch.manual_seed(seed_for("pt_vgg16_narrow"))
    vgg16 = VGG16(width=4, hidden=16, classes=8).eval()
    image = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        base = vgg16.features(image)
    torch.save(vgg16.state_dict(), out / "vgg16_narrow.pt")
    write(out / "vgg16_narrow.safetensors", {"input": image, "features": base}, {"model": "VGG16(width=4).features"})
    rows.append("| `vgg16_narrow.pt`, `vgg16_narrow.safetensors` | a whole VGG16 state dict (torchvision's attribute names, "
                "width 4 instead of 64, a small classifier); `features` = `model.features(input)` for a (2, 3, 64, 64) input |")
    torch.manual_seed(seed_for("pt_vggish_narrow"))
    vggish = VGGish(width=4).eval()
    for parameter in vggish.parameters():   # keep activations away from dead ReLUs through 7 layers
        if parameter.dim() == 1:
            parameter.data.uniform_(0.0, 0.1)
    patches = torch.randn(2, 1, 96, 64)
    with torch.no_grad():
        embedding = vggish(patches)
    torch.save(vggish.state_dict(), out / "vggish_narrow.pt")
    write(out / "vggish_narrow.safetensors", {"input": patches, "embeddings": embedding}, {"model": "VGGish(width=4)"})
    rows.append("| `vggish_narrow.pt`, `vggish_narrow.safetensors` | torchvggish's VGGish at width 4, biases U(0, 0.1); "
                "`embeddings` = `model(input)` for (2, 1, 96, 64) log-mel patches |")
    layouts = {name: [[key, list(value.shape)] for key, value in model.state_dict().items()]
               for name, model in (("vgg16", VGG16()), ("vggish", VGGish()))}
    (out / "vgg_layouts.json").write_text(json.dumps(layouts, indent=0) + "\n")
    rows.append("| `vgg_layouts.json` | every state-dict key and shape of the full-width VGG16 (torchvision names) and VGGish |")

    for name, (obj, storages, what) in HOSTILE.items():
        _torch_like_zip(out / f"{name}.pt", _pickled(obj), storages)
        rows.append(f"| `{name}.pt` | hostile: {what} |")
    return rows
