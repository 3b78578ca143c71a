#!/usr/bin/env python3
"""Writes serscript's PyTorch parity fixtures (safetensors, float32) and their README.md.

Run from anywhere:  python3 Tests/Fixtures/torch/generate.py
It creates `.venv-torch/` at the repository root on first use (PyPI: torch, numpy, safetensors),
re-runs itself inside it, rewrites every `*.safetensors` file, `models.json` and `README.md` in this
folder, and verifies the four notebook models' trainable-parameter counts.

Every fixture is seeded from its own name, so adding or removing one leaves the others unchanged.
Conventions (also written into README.md): a module's forward consumes `input` (or query/key/value),
its parameters are stored as `param.<state-dict key>`, the scalar loss is `sum(out * R)` (plus one
term per extra output that has an `R_<output>`), and gradients are `grad_<input>` and
`grad.<state-dict key>`.
"""
from __future__ import annotations

import json
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "Benchmarks" / "peers"))
import torch_venv  # noqa: E402  (stdlib only; must run before torch is imported)

if __name__ == "__main__":
    torch_venv.reexec_in_venv(__file__)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402
from torch import nn  # noqa: E402

import notebook_models  # noqa: E402
import torch_files  # noqa: E402

Tensors = dict[str, torch.Tensor]


def seed_for(name: str) -> int:
    """A stable per-fixture seed, so fixtures do not depend on generation order."""
    return zlib.crc32(name.encode())


# ---------------------------------------------------------------------------------------------------
# Module fixtures: build a module from a constructor expression, run it, backpropagate sum(out * R).

@dataclass
class ModuleCase:
    """One module fixture. `module` is a Python expression evaluated with `nn` in scope; it is also
    quoted verbatim in README.md as the exact torch settings."""
    name: str
    module: str
    inputs: dict[str, tuple[int, ...]]
    doc: str
    mode: str = "train"
    call: Callable[[nn.Module, Tensors], Tensors] = lambda m, t: {"out": m(t["input"])}
    loss_outputs: tuple[str, ...] = ("out",)
    notes: dict[str, str] = field(default_factory=dict)


def cotangent_name(output: str) -> str:
    return "R" if output == "out" else f"R_{output}"


def perturb_defaults(module: nn.Module) -> None:
    """Moves 1-D parameters (biases, norm scales) and running statistics off their default values
    (zeros / ones), so a parity test cannot pass by ignoring them. Weight matrices keep PyTorch's init."""
    with torch.no_grad():
        for p in module.parameters():
            if p.dim() == 1:
                p.add_(0.1 * torch.randn_like(p))
        for name, b in module.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn_like(b))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand_like(b))


def float_buffers(module: nn.Module) -> Tensors:
    return {k: b.detach().clone() for k, b in module.named_buffers() if b.is_floating_point()}


def run_module_case(case: ModuleCase) -> tuple[Tensors, dict[str, str]]:
    torch.manual_seed(seed_for(case.name))
    module = eval(case.module, {"nn": nn})  # the expression is ours, from CASES below
    perturb_defaults(module)
    module.train(case.mode == "train")
    tensors: Tensors = {f"param.{k}": p.detach().clone() for k, p in module.named_parameters()}
    tensors.update({f"buffer.{k}": b for k, b in float_buffers(module).items()})
    inputs = {k: torch.randn(shape, requires_grad=True) for k, shape in case.inputs.items()}
    tensors.update({k: x.detach().clone() for k, x in inputs.items()})

    outputs = case.call(module, inputs)
    loss = torch.zeros(())
    for name in case.loss_outputs:
        r = torch.randn_like(outputs[name])
        tensors[cotangent_name(name)] = r
        loss = loss + (outputs[name] * r).sum()
    loss.backward()

    tensors.update({k: y.detach() for k, y in outputs.items()})
    tensors.update({f"grad_{k}": x.grad for k, x in inputs.items()})
    tensors.update({f"grad.{k}": p.grad for k, p in module.named_parameters()})
    if case.mode == "train":
        tensors.update({f"buffer_after.{k}": b for k, b in float_buffers(module).items()})
    metadata = {
        "module": case.module,
        "mode": case.mode,
        "loss": " + ".join(f"sum({o} * {cotangent_name(o)})" for o in case.loss_outputs),
    }
    return tensors, metadata


def lstm_call(m: nn.Module, t: Tensors) -> Tensors:
    out, (h_n, c_n) = m(t["input"])
    return {"out": out, "h_n": h_n, "c_n": c_n}


def mha_self_call(m: nn.Module, t: Tensors) -> Tensors:
    x = t["input"]
    out, weights = m(x, x, x, need_weights=True, average_attn_weights=True)
    return {"out": out, "attn_weights": weights}


def mha_cross_call(m: nn.Module, t: Tensors) -> Tensors:
    out, weights = m(t["query"], t["key"], t["value"], need_weights=True, average_attn_weights=True)
    return {"out": out, "attn_weights": weights}


def attention_pool_call(m: nn.Module, t: Tensors) -> Tensors:
    out, weights = notebook_models.attention_pool(m, t["input"])
    return {"out": out, "attn_weights": weights}


LSTM_OUTPUTS = ("out", "h_n", "c_n")
ATTN_WEIGHTS_NOTE = {"attn_weights": "attention weights averaged over heads, (batch, L, S); forward only, "
                                     "not in the loss"}

CASES: list[ModuleCase] = [
    ModuleCase("linear", "nn.Linear(6, 5)", {"input": (2, 3, 6)},
               "Linear on a 3-D input (the layer acts on the last dimension)."),
    ModuleCase("conv2d_k3_s1_p1", "nn.Conv2d(3, 4, kernel_size=3, stride=1, padding=1)",
               {"input": (2, 3, 7, 9)}, "Conv2d as in the notebooks' conv blocks (same padding)."),
    ModuleCase("conv2d_k3_s2_p0", "nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=0)",
               {"input": (2, 3, 8, 9)}, "Conv2d with stride 2 and no padding (output size floors)."),
    ModuleCase("conv2d_k3x5_s1_p1", "nn.Conv2d(3, 4, kernel_size=(3, 5), stride=1, padding=1)",
               {"input": (2, 3, 7, 10)}, "Conv2d with a rectangular kernel."),
    ModuleCase("conv2d_k3x5_s2_p1", "nn.Conv2d(3, 4, kernel_size=(3, 5), stride=2, padding=1)",
               {"input": (2, 3, 8, 11)}, "Conv2d with a rectangular kernel, stride 2 and padding 1."),
    ModuleCase("conv2d_k3x5_s2x1_p1x2_nobias",
               "nn.Conv2d(3, 4, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), bias=False)",
               {"input": (2, 3, 8, 9)}, "Conv2d with per-axis stride and padding and no bias."),
    ModuleCase("conv1d_k3_s1_p1", "nn.Conv1d(3, 4, kernel_size=3, stride=1, padding=1)",
               {"input": (2, 3, 11)}, "Conv1d, same padding."),
    ModuleCase("conv1d_k5_s2_p2", "nn.Conv1d(3, 4, kernel_size=5, stride=2, padding=2)",
               {"input": (2, 3, 12)}, "Conv1d with stride 2."),
    ModuleCase("maxpool2d_k2x4_s2x4", "nn.MaxPool2d(kernel_size=[2, 4], stride=[2, 4])",
               {"input": (2, 3, 9, 19)},
               "The notebooks' transformer/LSTM-branch pool; sizes not divisible by the kernel (floor)."),
    ModuleCase("avgpool2d_k2x4_s2x4", "nn.AvgPool2d(kernel_size=[2, 4], stride=[2, 4])",
               {"input": (2, 3, 9, 19)}, "Average pool with the rectangular kernel."),
    ModuleCase("maxpool2d_k2", "nn.MaxPool2d(kernel_size=2)", {"input": (2, 3, 9, 11)},
               "Max pool kernel 2 (stride defaults to the kernel)."),
    ModuleCase("avgpool2d_k2", "nn.AvgPool2d(kernel_size=2)", {"input": (2, 3, 9, 11)},
               "Average pool kernel 2 (stride defaults to the kernel)."),
    ModuleCase("batchnorm2d_train", "nn.BatchNorm2d(3, eps=1e-5, momentum=0.1)", {"input": (4, 3, 5, 6)},
               "BatchNorm2d in train mode: batch statistics (biased variance) normalise; running stats "
               "update as (1 - 0.1) * old + 0.1 * batch stat, with the UNBIASED batch variance (n = 4*5*6)."),
    ModuleCase("batchnorm2d_eval", "nn.BatchNorm2d(3, eps=1e-5, momentum=0.1)", {"input": (4, 3, 5, 6)},
               "BatchNorm2d in eval mode: normalises with the stored running statistics.", mode="eval"),
    ModuleCase("batchnorm1d_train", "nn.BatchNorm1d(5, eps=1e-5, momentum=0.1)", {"input": (8, 5)},
               "BatchNorm1d on (batch, features), train mode (unbiased variance for the running update, n = 8)."),
    ModuleCase("batchnorm1d_train_3d", "nn.BatchNorm1d(3, eps=1e-5, momentum=0.1)", {"input": (4, 3, 7)},
               "BatchNorm1d on (batch, channels, length), train mode (statistics over batch and length)."),
    ModuleCase("batchnorm1d_eval", "nn.BatchNorm1d(3, eps=1e-5, momentum=0.1)", {"input": (4, 3, 7)},
               "BatchNorm1d on (batch, channels, length), eval mode.", mode="eval"),
    ModuleCase("layernorm", "nn.LayerNorm(8, eps=1e-5)", {"input": (2, 3, 8)},
               "LayerNorm over the last dimension (biased variance)."),
    ModuleCase("lstm", "nn.LSTM(input_size=6, hidden_size=4, num_layers=2, batch_first=True)",
               {"input": (2, 5, 6)},
               "Two stacked unidirectional LSTM layers, batch-first, zero initial states. Gate order in "
               "weight_ih/weight_hh rows: input, forget, cell (g), output.",
               call=lstm_call, loss_outputs=LSTM_OUTPUTS,
               notes={"out": "top layer's hidden state at every step, (batch, T, hidden)",
                      "h_n": "final hidden state per layer, (num_layers, batch, hidden)",
                      "c_n": "final cell state per layer, (num_layers, batch, hidden)"}),
    ModuleCase("lstm_bidirectional",
               "nn.LSTM(input_size=6, hidden_size=4, num_layers=2, batch_first=True, bidirectional=True)",
               {"input": (2, 5, 6)},
               "Two stacked bidirectional LSTM layers, batch-first, zero initial states. Layer 1 reads "
               "layer 0's concatenated [forward, reverse] outputs (width 8).",
               call=lstm_call, loss_outputs=LSTM_OUTPUTS,
               notes={"out": "top layer's [forward, reverse] hidden states at every step, (batch, T, 2*hidden)",
                      "h_n": "final hidden states, (num_layers*2, batch, hidden), order l0, l0_reverse, l1, "
                             "l1_reverse; the reverse direction's final state is the one at t = 0",
                      "c_n": "final cell states, same layout as h_n"}),
    ModuleCase("multihead_attention", "nn.MultiheadAttention(embed_dim=8, num_heads=2, dropout=0.0)",
               {"input": (5, 3, 8)},
               "Self-attention (query = key = value = input), batch_first=False: input is (L, batch, E), "
               "as nn.TransformerEncoderLayer calls it. in_proj_weight rows are [W_q; W_k; W_v].",
               call=mha_self_call, notes=ATTN_WEIGHTS_NOTE),
    ModuleCase("multihead_attention_cross", "nn.MultiheadAttention(embed_dim=8, num_heads=2, dropout=0.0)",
               {"query": (4, 3, 8), "key": (6, 3, 8), "value": (6, 3, 8)},
               "Attention with distinct query (L=4) and key/value (S=6), batch_first=False.",
               call=mha_cross_call, notes=ATTN_WEIGHTS_NOTE),
    ModuleCase("transformer_encoder_layer",
               "nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=512, dropout=0.4, "
               "activation='relu', layer_norm_eps=1e-5, batch_first=False, norm_first=False)",
               {"input": (6, 2, 64)},
               "The notebook's encoder layer, post-norm: x = norm1(x + self_attn(x)); "
               "x = norm2(x + linear2(relu(linear1(x)))). Eval mode, so dropout is off (identical to "
               "dropout 0 in train mode). Input is (L=6, batch=2, 64).", mode="eval"),
    ModuleCase("attention_pooling", "nn.Linear(8, 1)", {"input": (3, 6, 8)},
               "Attention pooling as in the notebooks: scores = Linear(F, 1) per step, softmax over "
               "time, out = weighted sum of the steps. The Linear is the notebooks' attention_linear.",
               call=attention_pool_call,
               notes={"out": "pooled (batch, F)",
                      "attn_weights": "softmax weights over time, (batch, 1, T); forward only, not in the loss"}),
]


# ---------------------------------------------------------------------------------------------------
# Convolution and pooling options: dilation, groups, "same"/"valid" padding, padding modes, pool
# padding, ceil mode, count_include_pad, pool dilation, 1-D pools and adaptive average pooling.

CONV_POOL_CASES: list[ModuleCase] = [
    ModuleCase("conv2d_k3_d2x1_p2x1", "nn.Conv2d(3, 4, kernel_size=3, padding=(2, 1), dilation=(2, 1))",
               {"input": (2, 3, 7, 8)}, "Conv2d with per-axis dilation (taps 2 rows apart)."),
    ModuleCase("conv2d_k3_s2_d2_groups", "nn.Conv2d(4, 6, kernel_size=(3, 2), stride=2, padding=1, dilation=2, groups=2)",
               {"input": (2, 4, 9, 8)}, "Conv2d with stride, dilation and 2 channel groups (weight (6, 2, 3, 2))."),
    ModuleCase("conv2d_depthwise", "nn.Conv2d(3, 6, kernel_size=3, padding=1, groups=3, bias=False)",
               {"input": (2, 3, 6, 7)}, "Depthwise Conv2d (groups = in_channels) with a channel multiplier of 2."),
    ModuleCase("conv2d_same_even", "nn.Conv2d(3, 4, kernel_size=(4, 3), padding='same', dilation=(1, 2))",
               {"input": (2, 3, 6, 7)},
               "Conv2d padding='same' with an even kernel height: total padding dilation·(k − 1) = 3 rows, "
               "1 above and 2 below (PyTorch puts the odd one at the bottom/right); 4 columns, 2 each side."),
    ModuleCase("conv2d_valid", "nn.Conv2d(3, 4, kernel_size=3, padding='valid')", {"input": (2, 3, 6, 7)},
               "Conv2d padding='valid' (no padding)."),
    ModuleCase("conv2d_reflect", "nn.Conv2d(3, 4, kernel_size=3, padding=(1, 2), padding_mode='reflect')",
               {"input": (2, 3, 5, 6)}, "Conv2d with reflect padding (mirror without repeating the edge)."),
    ModuleCase("conv2d_replicate_same", "nn.Conv2d(2, 3, kernel_size=(2, 3), padding='same', padding_mode='replicate')",
               {"input": (2, 2, 5, 6)}, "Conv2d padding='same' with replicate padding and an even kernel height."),
    ModuleCase("conv2d_circular", "nn.Conv2d(2, 3, kernel_size=3, padding=(2, 1), padding_mode='circular')",
               {"input": (2, 2, 4, 5)}, "Conv2d with circular padding (wrap around)."),
    ModuleCase("conv1d_same_d3_groups", "nn.Conv1d(4, 6, kernel_size=4, padding='same', dilation=3, groups=2)",
               {"input": (2, 4, 13)},
               "Conv1d padding='same' with dilation 3 and 2 groups: total padding 9, 4 left and 5 right."),
    ModuleCase("conv1d_reflect_s2", "nn.Conv1d(3, 4, kernel_size=5, stride=2, padding=2, padding_mode='reflect')",
               {"input": (2, 3, 11)}, "Conv1d with stride 2 and reflect padding."),
    ModuleCase("maxpool2d_p1_ceil", "nn.MaxPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True)",
               {"input": (2, 3, 8, 9)},
               "Max pool with padding and ceil_mode: the last window starts inside the input and is cut off."),
    ModuleCase("maxpool2d_ceil_dropped", "nn.MaxPool2d(kernel_size=2, stride=2, padding=1, ceil_mode=True)",
               {"input": (2, 2, 6, 5)},
               "Max pool ceil_mode where rounding up would start a window in the trailing padding: PyTorch "
               "drops it (width 5 gives 3 columns, not 4)."),
    ModuleCase("maxpool2d_dilation", "nn.MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 2))",
               {"input": (2, 2, 7, 9)}, "Max pool with dilation and padding."),
    ModuleCase("avgpool2d_p1_ceil", "nn.AvgPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True)",
               {"input": (2, 3, 8, 9)},
               "Average pool with padding and ceil_mode, count_include_pad=True: the divisor counts padded "
               "positions inside the padded input but not a ceil-mode window's overhang beyond it."),
    ModuleCase("avgpool2d_p1_exclude_pad", "nn.AvgPool2d(kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), "
               "ceil_mode=True, count_include_pad=False)",
               {"input": (2, 3, 8, 7)}, "Average pool with padding, ceil_mode and count_include_pad=False."),
    ModuleCase("maxpool1d_p1_ceil", "nn.MaxPool1d(kernel_size=3, stride=2, padding=1, ceil_mode=True)",
               {"input": (2, 3, 10)}, "MaxPool1d with padding and ceil_mode."),
    ModuleCase("avgpool1d_p2_exclude_pad", "nn.AvgPool1d(kernel_size=4, stride=3, padding=2, count_include_pad=False)",
               {"input": (2, 3, 11)}, "AvgPool1d with padding, count_include_pad=False."),
    ModuleCase("adaptive_avgpool2d", "nn.AdaptiveAvgPool2d((3, 4))", {"input": (2, 3, 7, 10)},
               "Adaptive average pool to 3×4: overlapping windows ⌊o·in/out⌋ ..< ⌈(o+1)·in/out⌉."),
    ModuleCase("adaptive_avgpool1d", "nn.AdaptiveAvgPool1d(4)", {"input": (2, 3, 9)},
               "Adaptive average pool of a length-9 sequence to 4 steps."),
]
CASES += CONV_POOL_CASES


# ---------------------------------------------------------------------------------------------------
# Recurrent and attention options: LSTM/GRU initial and final states, GRU, MultiheadAttention
# kdim/vdim and is_causal.

def lstm_state_call(m: nn.Module, t: Tensors) -> Tensors:
    out, (h_n, c_n) = m(t["input"], (t["h0"], t["c0"]))
    return {"out": out, "h_n": h_n, "c_n": c_n}


def gru_call(m: nn.Module, t: Tensors) -> Tensors:
    out, h_n = m(t["input"], t["h0"]) if "h0" in t else m(t["input"])
    return {"out": out, "h_n": h_n}


def mha_causal_call(m: nn.Module, t: Tensors) -> Tensors:
    x = t["input"]
    mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1 if m.batch_first else 0])
    out, weights = m(x, x, x, attn_mask=mask, is_causal=True, need_weights=True, average_attn_weights=True)
    return {"out": out, "attn_weights": weights}


GRU_OUTPUTS = ("out", "h_n")
STATE_NOTES = {"h0": "initial hidden state (num_layers*directions, batch, hidden) whatever batch_first, N(0,1)",
               "c0": "initial cell state, same shape as h0, N(0,1)",
               "h_n": "final hidden state per layer and direction, same layout as h0",
               "c_n": "final cell state per layer and direction, same layout as h0"}

RECURRENT_ATTENTION_CASES: list[ModuleCase] = [
    ModuleCase("lstm_initial_state",
               "nn.LSTM(input_size=6, hidden_size=4, num_layers=2, batch_first=True, bidirectional=True)",
               {"input": (2, 5, 6), "h0": (4, 2, 4), "c0": (4, 2, 4)},
               "Stacked bidirectional LSTM started from given (h0, c0); gradients reach h0 and c0.",
               call=lstm_state_call, loss_outputs=LSTM_OUTPUTS, notes=STATE_NOTES),
    ModuleCase("lstm_initial_state_seq_first",
               "nn.LSTM(input_size=6, hidden_size=4, num_layers=2, batch_first=False)",
               {"input": (5, 3, 6), "h0": (2, 3, 4), "c0": (2, 3, 4)},
               "Sequence-first LSTM (input (T, batch, 6)) from given (h0, c0): the states stay (layers, batch, hidden).",
               call=lstm_state_call, loss_outputs=LSTM_OUTPUTS, notes=STATE_NOTES),
    ModuleCase("lstm_proj_size",
               "nn.LSTM(input_size=6, hidden_size=5, num_layers=2, batch_first=True, bidirectional=True, proj_size=3)",
               {"input": (2, 4, 6), "h0": (4, 2, 3), "c0": (4, 2, 5)},
               "Stacked bidirectional LSTM with proj_size=3 from given (h0, c0): h = W_hr (o * tanh(c)), so outputs "
               "are (batch, T, 2*3), weight_hh is (20, 3), weight_hr_l* is (3, 5), h0/h_n (4, batch, 3) and c0/c_n "
               "(4, batch, 5).",
               call=lstm_state_call, loss_outputs=LSTM_OUTPUTS, notes=STATE_NOTES),
    ModuleCase("gru", "nn.GRU(input_size=6, hidden_size=4, num_layers=2, batch_first=True)",
               {"input": (2, 5, 6)},
               "Two stacked GRU layers, batch-first, zero initial state. Gate order in weight_ih/weight_hh rows: "
               "reset (r), update (z), new (n); n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h.",
               call=gru_call, loss_outputs=GRU_OUTPUTS, notes=STATE_NOTES),
    ModuleCase("gru_bidirectional_initial_state",
               "nn.GRU(input_size=6, hidden_size=4, num_layers=2, batch_first=True, bidirectional=True)",
               {"input": (2, 5, 6), "h0": (4, 2, 4)},
               "Stacked bidirectional GRU from a given h0 (order l0, l0_reverse, l1, l1_reverse).",
               call=gru_call, loss_outputs=GRU_OUTPUTS, notes=STATE_NOTES),
    ModuleCase("gru_seq_first_nobias",
               "nn.GRU(input_size=6, hidden_size=4, bias=False, batch_first=False)",
               {"input": (5, 3, 6), "h0": (1, 3, 4)},
               "Sequence-first GRU without biases from a given h0.",
               call=gru_call, loss_outputs=GRU_OUTPUTS, notes=STATE_NOTES),
    ModuleCase("multihead_attention_kdim_vdim",
               "nn.MultiheadAttention(embed_dim=8, num_heads=2, dropout=0.0, kdim=6, vdim=5)",
               {"query": (4, 3, 8), "key": (6, 3, 6), "value": (6, 3, 5)},
               "Cross-attention with keys of width kdim=6 and values of width vdim=5, batch_first=False: separate "
               "q_proj_weight (8, 8), k_proj_weight (8, 6), v_proj_weight (8, 5) and no in_proj_weight.",
               call=mha_cross_call, notes=ATTN_WEIGHTS_NOTE),
    ModuleCase("multihead_attention_causal",
               "nn.MultiheadAttention(embed_dim=8, num_heads=2, dropout=0.0, batch_first=True)",
               {"input": (3, 5, 8)},
               "Causal self-attention, batch_first=True: attn_mask = nn.Transformer.generate_square_subsequent_mask(5) "
               "with is_causal=True, so query i sees keys 0..i.",
               call=mha_causal_call, notes=ATTN_WEIGHTS_NOTE),
]

# ---------------------------------------------------------------------------------------------------
# Variable-length sequences: LSTM/GRU on a padded batch with per-sequence lengths, through
# pack_padded_sequence(enforce_sorted=False) and pad_packed_sequence(total_length=T); unbatched input.

def varlen_call(lengths: list[int]) -> Callable[[nn.Module, Tensors], Tensors]:
    def call(m: nn.Module, t: Tensors) -> Tensors:
        x = t["input"]
        steps = x.shape[1 if m.batch_first else 0]
        packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=m.batch_first,
                                                   enforce_sorted=False)
        states = tuple(t[k] for k in ("h0", "c0") if k in t)
        out, final = m(packed, (states if len(states) > 1 else states[0]) if states else None)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=m.batch_first, total_length=steps)
        outputs = {"out": out, "lengths": torch.tensor(lengths, dtype=torch.float32)}
        if isinstance(final, tuple):
            outputs.update(h_n=final[0], c_n=final[1])
        else:
            outputs.update(h_n=final)
        return outputs
    return call


VARLEN_NOTES = {**STATE_NOTES,
                "lengths": "each sequence's length (float32); steps past it are padding",
                "out": "padded output (pad_packed_sequence, total_length=T): 0 past each sequence's length",
                "R": "cotangent of out; its values at padded steps do not matter (out is a 0 constant there)",
                "h_n": "final hidden state, at each sequence's last valid step (forward) / step 0 (reverse)",
                "c_n": "final cell state, at each sequence's last valid step (forward) / step 0 (reverse)"}

VARLEN_CASES: list[ModuleCase] = [
    ModuleCase("lstm_lengths",
               "nn.LSTM(input_size=6, hidden_size=4, num_layers=2, batch_first=True, bidirectional=True)",
               {"input": (3, 5, 6)},
               "Stacked bidirectional LSTM on a padded batch with lengths [5, 2, 4] (unsorted), zero initial states.",
               call=varlen_call([5, 2, 4]), loss_outputs=LSTM_OUTPUTS, notes=VARLEN_NOTES),
    ModuleCase("lstm_lengths_proj_initial_state",
               "nn.LSTM(input_size=6, hidden_size=5, num_layers=2, batch_first=True, bidirectional=True, proj_size=3)",
               {"input": (3, 4, 6), "h0": (4, 3, 3), "c0": (4, 3, 5)},
               "Stacked bidirectional LSTM with proj_size=3 from given (h0, c0) on lengths [1, 4, 3].",
               call=varlen_call([1, 4, 3]), loss_outputs=LSTM_OUTPUTS, notes=VARLEN_NOTES),
    ModuleCase("gru_lengths_seq_first",
               "nn.GRU(input_size=6, hidden_size=4, num_layers=2, batch_first=False, bidirectional=True)",
               {"input": (5, 3, 6), "h0": (4, 3, 4)},
               "Sequence-first stacked bidirectional GRU from a given h0 on lengths [3, 1, 4]: the longest is "
               "shorter than T = 5, so every sequence has padding.",
               call=varlen_call([3, 1, 4]), loss_outputs=GRU_OUTPUTS, notes=VARLEN_NOTES),
    ModuleCase("lstm_unbatched",
               "nn.LSTM(input_size=6, hidden_size=4, num_layers=2, bidirectional=True)",
               {"input": (5, 6), "h0": (4, 4), "c0": (4, 4)},
               "Unbatched input (T=5, 6) to a stacked bidirectional LSTM from given 2-D (h0, c0): output (5, 8), "
               "states (4, 4).",
               call=lstm_state_call, loss_outputs=LSTM_OUTPUTS, notes=STATE_NOTES),
]

# ---------------------------------------------------------------------------------------------------
# Adaptive max pooling, and None (keep the input size) for an axis of an adaptive pool.

ADAPTIVE_POOL_CASES: list[ModuleCase] = [
    ModuleCase("adaptive_maxpool2d", "nn.AdaptiveMaxPool2d((3, 4))", {"input": (2, 3, 7, 10)},
               "Adaptive max pool to 3×4: overlapping windows ⌊o·in/out⌋ ..< ⌈(o+1)·in/out⌉; the gradient "
               "goes to each window's maximum, summed where windows share it."),
    ModuleCase("adaptive_maxpool1d", "nn.AdaptiveMaxPool1d(4)", {"input": (2, 3, 9)},
               "Adaptive max pool of a length-9 sequence to 4 steps."),
    ModuleCase("adaptive_maxpool1d_more_outputs", "nn.AdaptiveMaxPool1d(7)", {"input": (2, 3, 4)},
               "Adaptive max pool of a length-4 sequence to 7 steps: windows overlap, so one input can win "
               "several windows and collects all their gradients."),
    ModuleCase("adaptive_maxpool2d_none", "nn.AdaptiveMaxPool2d((None, 3))", {"input": (2, 3, 5, 8)},
               "Adaptive max pool with output height None: the 5 rows are kept, the 8 columns pooled to 3."),
    ModuleCase("adaptive_avgpool2d_none", "nn.AdaptiveAvgPool2d((4, None))", {"input": (2, 3, 7, 6)},
               "Adaptive average pool with output width None: the 7 rows pooled to 4, the 6 columns kept."),
]

# ---------------------------------------------------------------------------------------------------
# Losses, optimizers and the full notebook model: hand-written fixtures with their own tensor meanings.

def cross_entropy_fixture() -> tuple[Tensors, dict[str, str], dict[str, str]]:
    torch.manual_seed(seed_for("cross_entropy"))
    logits = 2 * torch.randn(6, 5)
    labels = torch.randint(0, 5, (6,))
    weights = 0.5 + 1.5 * torch.rand(5)
    mse_target = torch.randn(6, 5)
    variants: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
        "plain": lambda x: F.cross_entropy(x, labels),
        "weighted": lambda x: F.cross_entropy(x, labels, weight=weights),
        "smoothed": lambda x: F.cross_entropy(x, labels, label_smoothing=0.1),
        "weighted_smoothed": lambda x: F.cross_entropy(x, labels, weight=weights, label_smoothing=0.1),
        "nll": lambda x: F.nll_loss(F.log_softmax(x, dim=1), labels),
        "nll_weighted": lambda x: F.nll_loss(F.log_softmax(x, dim=1), labels, weight=weights),
        "mse": lambda x: F.mse_loss(x, mse_target),
    }
    tensors: Tensors = {"logits": logits, "labels": labels.float(), "class_weights": weights,
                        "mse_target": mse_target}
    meanings = {"logits": "input logits (batch 6, classes 5), 2·N(0,1)",
                "labels": "integer class labels stored as float32",
                "class_weights": "per-class weights for the weighted variants",
                "mse_target": "target of the MSE variant"}
    for name, fn in variants.items():
        x = logits.clone().requires_grad_(True)
        loss = fn(x)
        loss.backward()
        tensors[f"loss.{name}"] = loss.detach().reshape(1)
        tensors[f"grad_logits.{name}"] = x.grad
        meanings[f"loss.{name}"] = f"the {name} loss, reduction mean, shape [1]"
        meanings[f"grad_logits.{name}"] = f"d loss.{name} / d logits"
    metadata = {"variants": json.dumps({
        "plain": "F.cross_entropy(logits, labels)",
        "weighted": "F.cross_entropy(logits, labels, weight=class_weights)",
        "smoothed": "F.cross_entropy(logits, labels, label_smoothing=0.1)",
        "weighted_smoothed": "F.cross_entropy(logits, labels, weight=class_weights, label_smoothing=0.1)",
        "nll": "F.nll_loss(F.log_softmax(logits, 1), labels)",
        "nll_weighted": "F.nll_loss(F.log_softmax(logits, 1), labels, weight=class_weights)",
        "mse": "F.mse_loss(logits, mse_target)",
    })}
    return tensors, metadata, meanings


@dataclass
class OptimCase:
    name: str
    optimizer: str      # expression evaluated with `torch` and `params` in scope; quoted in README
    state_keys: tuple[str, ...]
    doc: str


OPTIM_CASES = [
    OptimCase("optim_sgd_momentum",
              "torch.optim.SGD(params, lr=0.01, momentum=0.8, dampening=0.0, weight_decay=1e-3, nesterov=False)",
              ("momentum_buffer",),
              "SGD as the notebooks use it. g ← grad + wd·p; buf ← g at step 1, else 0.8·buf + g; p ← p − lr·buf."),
    OptimCase("optim_sgd_nesterov",
              "torch.optim.SGD(params, lr=0.01, momentum=0.8, dampening=0.0, weight_decay=1e-3, nesterov=True)",
              ("momentum_buffer",),
              "SGD with Nesterov momentum: g and buf as for plain momentum, then p ← p − lr·(g + 0.8·buf)."),
    OptimCase("optim_adam",
              "torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)",
              ("exp_avg", "exp_avg_sq"),
              "Adam with bias correction: p ← p − lr·m̂ / (sqrt(v̂) + eps)."),
    OptimCase("optim_adam_l2",
              "torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-3)",
              ("exp_avg", "exp_avg_sq"),
              "Adam with coupled L2: the gradient becomes grad + wd·p before the moments."),
    OptimCase("optim_adamw",
              "torch.optim.AdamW(params, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2)",
              ("exp_avg", "exp_avg_sq"),
              "AdamW, decoupled decay: p ← p·(1 − lr·wd) first, then the Adam update."),
]
OPTIM_STEPS = 3


def optim_fixture(case: OptimCase) -> tuple[Tensors, dict[str, str], dict[str, str]]:
    torch.manual_seed(seed_for(case.name))
    param = nn.Parameter(torch.randn(4, 6))
    tensors: Tensors = {"param_initial": param.detach().clone()}
    meanings = {"param_initial": "the parameter (4, 6) before step 1"}
    optimizer = eval(case.optimizer, {"torch": torch, "params": [param]})  # expression from OPTIM_CASES
    for step in range(1, OPTIM_STEPS + 1):
        grad = torch.randn(4, 6)
        param.grad = grad.clone()
        optimizer.step()
        tensors[f"step{step}.grad"] = grad
        tensors[f"step{step}.param"] = param.detach().clone()
        meanings[f"step{step}.grad"] = f"gradient given to step {step} (before weight decay)"
        meanings[f"step{step}.param"] = f"the parameter after step {step}"
    state = optimizer.state[param]
    for key in case.state_keys:
        tensors[f"state.{key}"] = state[key].detach().clone()
        meanings[f"state.{key}"] = f"optimizer state '{key}' after step {OPTIM_STEPS}"
    return tensors, {"optimizer": case.optimizer, "steps": str(OPTIM_STEPS)}, meanings


@dataclass
class ScheduleCase:
    name: str
    lr: float           # the optimizer's learning rate before the schedule is built
    scheduler: str      # expression evaluated with `torch` and `opt` in scope; quoted in README
    steps: int
    doc: str


SCHEDULE_CASES = [
    ScheduleCase("lr_one_cycle", 0.1, "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.01, total_steps=100)", 100,
                 "One-cycle with PyTorch's defaults (pct_start 0.3, cos, div_factor 25, final_div_factor 1e4)."),
    ScheduleCase("lr_one_cycle_three_phase_linear", 0.1,
                 "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=37, pct_start=0.25, "
                 "anneal_strategy='linear', div_factor=10.0, final_div_factor=100.0, three_phase=True)", 37,
                 "One-cycle, three phases, linear annealing, a step count that does not divide evenly."),
    ScheduleCase("lr_warmup_cosine", 0.003,
                 "torch.optim.lr_scheduler.SequentialLR(opt, [torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.01, "
                 "end_factor=1.0, total_iters=10), torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=90, eta_min=1e-5)], "
                 "milestones=[10])", 100,
                 "Linear warm-up over 10 steps then cosine decay to 1e-5 at step 100."),
]


def schedule_fixture(case: ScheduleCase) -> tuple[Tensors, dict[str, str], dict[str, str]]:
    param = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=case.lr, momentum=0.9)
    scheduler = eval(case.scheduler, {"torch": torch, "opt": opt})  # expression from SCHEDULE_CASES
    rates = [opt.param_groups[0]["lr"]]
    for _ in range(case.steps):
        opt.step()
        scheduler.step()
        rates.append(opt.param_groups[0]["lr"])
    tensors: Tensors = {"lr": torch.tensor(rates, dtype=torch.float32)}
    meanings = {"lr": f"the learning rate after 0, 1, …, {case.steps} scheduler steps (computed in float64, stored as float32)"}
    return tensors, {"scheduler": case.scheduler, "optimizer_lr": repr(case.lr), "steps": str(case.steps)}, meanings


AVERAGING_SNAPSHOTS = 4
AVERAGING_EMA_DECAY = 0.9


def weight_averaging_fixture() -> tuple[Tensors, dict[str, str], dict[str, str]]:
    """AveragedModel with an EMA and with the default (SWA) average over known weights, and update_bn."""
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn, update_bn
    torch.manual_seed(seed_for("weight_averaging"))
    model = nn.Linear(3, 2)
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(AVERAGING_EMA_DECAY))
    swa = AveragedModel(model)
    tensors: Tensors = {}
    meanings: dict[str, str] = {}
    for k in range(1, AVERAGING_SNAPSHOTS + 1):
        with torch.no_grad():
            for name, p in model.named_parameters():
                p.copy_(torch.randn_like(p))
                tensors[f"snapshot{k}.{name}"] = p.detach().clone()
                meanings[f"snapshot{k}.{name}"] = f"the model's {name} at update {k}, N(0,1)"
        ema.update_parameters(model)
        swa.update_parameters(model)
    for label, averaged in (("ema", ema), ("swa", swa)):
        for name, p in averaged.module.named_parameters():
            tensors[f"{label}.{name}"] = p.detach().clone()
            meanings[f"{label}.{name}"] = f"{name} of the {label.upper()} average after {AVERAGING_SNAPSHOTS} updates"
    norm_model = nn.Sequential(nn.BatchNorm1d(3, momentum=0.3))
    x = torch.randn(10, 3) * 2 + 1
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=4)
    update_bn(loader, norm_model)
    bn = norm_model[0]
    tensors.update({"bn.input": x, "bn.running_mean": bn.running_mean.clone(), "bn.running_var": bn.running_var.clone(),
                    "bn.num_batches_tracked": bn.num_batches_tracked.clone()})
    meanings.update({"bn.input": "10 examples of 3 features, 2·N(0,1) + 1, in batches of 4 (4, 4, 2)",
                     "bn.running_mean": "running_mean after update_bn", "bn.running_var": "running_var after update_bn",
                     "bn.num_batches_tracked": "batches seen by update_bn"})
    metadata = {"ema": f"AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn({AVERAGING_EMA_DECAY}))",
                "swa": "AveragedModel(model)", "model": "nn.Linear(3, 2)",
                "update_bn": "update_bn(DataLoader(TensorDataset(x), batch_size=4), nn.Sequential(nn.BatchNorm1d(3, momentum=0.3)))"}
    return tensors, metadata, meanings


MODEL_FIXTURE_GRADS = ("out_linear.weight", "out_linear.bias", "conv2Dblock.0.weight", "conv2Dblock.0.bias",
                       "transf_encoder.layers.0.self_attn.in_proj_weight")


def parallel_model_fixture() -> tuple[Tensors, dict[str, str], dict[str, str]]:
    name = "parallel_cnn_transformer"
    torch.manual_seed(seed_for(name))
    model = notebook_models.ParallelCNNTransformer()
    perturb_defaults(model)
    model.eval()
    x = torch.randn(2, *model.input_shape)
    logits, probabilities = model(x)
    r = torch.randn_like(logits)
    (logits * r).sum().backward()
    tensors: Tensors = {"input": x, "logits": logits.detach(), "probabilities": probabilities.detach(), "R": r}
    meanings = {"input": "input batch (2, 1, 128, 563), N(0,1) (a standardised log-mel stands in)",
                "logits": "model output logits (2, 8)",
                "probabilities": "softmax of the logits over classes",
                "R": "fixed random cotangent: loss = sum(logits * R)"}
    for k, p in model.named_parameters():
        tensors[f"param.{k}"] = p.detach().clone()
    for k, b in float_buffers(model).items():
        tensors[f"buffer.{k}"] = b
    for k in MODEL_FIXTURE_GRADS:
        tensors[f"grad.{k}"] = model.get_parameter(k).grad
        meanings[f"grad.{k}"] = f"d loss / d {k}"
    metadata = {"model": "notebook_models.ParallelCNNTransformer()", "mode": "eval", "loss": "sum(logits * R)"}
    return tensors, metadata, meanings


def models_manifest() -> dict:
    manifest = {}
    for name, (cls, expected) in notebook_models.MODELS.items():
        torch.manual_seed(0)
        model = cls()
        count = notebook_models.trainable_parameter_count(model)
        if count != expected:
            raise SystemExit(f"{name}: {count} trainable parameters, the notebook printed {expected}")
        parameter_keys = {k for k, _ in model.named_parameters()}
        manifest[name] = {
            "class": cls.__name__,
            "input_shape_per_sample": list(cls.input_shape),
            "trainable_parameters": count,
            "outputs": ["logits (B, 8)", "probabilities (B, 8)"]
                       + (["attention_weights (B, 1, T)"] if "attention_linear.weight" in parameter_keys else []),
            "state_dict": [{"key": k, "shape": list(v.shape),
                            "kind": "parameter" if k in parameter_keys else "buffer",
                            "dtype": str(v.dtype).removeprefix("torch.")}
                           for k, v in model.state_dict().items()],
        }
    return manifest


def manifest_json(manifest: dict) -> str:
    """JSON with one state-dict entry per line, so diffs and eyes can follow it."""
    models = []
    for name, entry in manifest.items():
        fields = [f'  {json.dumps(k)}: {json.dumps(v)}' for k, v in entry.items() if k != "state_dict"]
        rows = ",\n".join(f"    {json.dumps(row)}" for row in entry["state_dict"])
        fields.append(f'  "state_dict": [\n{rows}\n  ]')
        models.append(f" {json.dumps(name)}: {{\n" + ",\n".join(fields) + "\n }")
    return "{\n" + ",\n".join(models) + "\n}\n"


# ---------------------------------------------------------------------------------------------------
# Writing files and README.md

GENERIC_MEANINGS = [
    ("param.", "parameter (by state-dict key) used in the forward"),
    ("buffer_after.", "buffer after the forward (train-mode running-statistics update)"),
    ("buffer.", "buffer (by state-dict key) before the forward"),
    ("grad.", "d loss / d parameter"),
    ("grad_", "d loss / d input"),
    ("R_", "fixed random N(0,1) cotangent of that output in the loss"),
]
INPUT_NAMES = {"input", "query", "key", "value"}


def generic_meaning(name: str, notes: dict[str, str]) -> str:
    if name in notes:
        return notes[name]
    if name in INPUT_NAMES:
        return "input, N(0,1)"
    if name == "R":
        return "fixed random N(0,1) cotangent of `out`: loss = sum(out * R) + ..."
    if name == "out":
        return "module output"
    return next(text for prefix, text in GENERIC_MEANINGS if name.startswith(prefix))


def tensor_table(tensors: Tensors, meaning: Callable[[str], str]) -> list[str]:
    rows = ["| tensor | shape | meaning |", "|---|---|---|"]
    rows += [f"| `{k}` | {list(v.shape)} | {meaning(k)} |" for k, v in tensors.items()]
    return rows


def safetensors_bytes(tensors: Tensors, metadata: dict[str, str]) -> bytes:
    """The safetensors encoding with sorted keys, so regenerating unchanged fixtures is byte-identical
    (the safetensors package orders the metadata nondeterministically)."""
    header: dict = {"__metadata__": dict(sorted(metadata.items()))}
    blobs, offset = [], 0
    for name in sorted(tensors):
        blob = tensors[name].detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def write_fixture(name: str, tensors: Tensors, metadata: dict[str, str]) -> None:
    """Writes `<name>.safetensors` and reads it back with the safetensors package as a format check."""
    metadata = {**metadata, "torch": torch.__version__, "seed": str(seed_for(name))}
    path = HERE / f"{name}.safetensors"
    path.write_bytes(safetensors_bytes(tensors, metadata))
    stored = load_file(str(path))
    for key, tensor in tensors.items():
        if not (stored[key] == tensor.detach().numpy()).all():
            raise SystemExit(f"{path}: tensor {key} does not read back unchanged")


README_HEAD = """# PyTorch parity fixtures

Written by `generate.py` in this folder (do not edit by hand; this README is generated too):

    python3 Tests/Fixtures/torch/generate.py

The script creates `.venv-torch/` at the repository root on first use (`python3 -m venv`, then
`pip install {requirements}`), re-runs itself inside it and rewrites everything here. Tests never need
Python. Generated with torch {torch_version}, CPU, float32.

## Conventions

- Every `.safetensors` file holds float32 tensors only (integer labels are stored as float32). Its
  `__metadata__` repeats the torch settings (`module` / `optimizer` / `model`, `mode`, `loss`), the
  torch version and the fixture's seed (crc32 of the file stem).
- Module fixtures: the module is built from the quoted constructor, then every 1-D parameter (biases,
  norm scales/shifts, LSTM biases) gets `+ 0.1·N(0,1)`, running means are set to `0.1·N(0,1)` and
  running variances to `U(0.5, 1.5)`, so nothing sits at its default; weight matrices keep PyTorch's
  default initialisation. Inputs are N(0,1).
- Names: `input` (or `query` / `key` / `value`), `param.<state-dict key>`, `buffer.<key>` (before the
  forward), `buffer_after.<key>` (after a train-mode forward), `out` (main output), `R` (its cotangent),
  other outputs by name with cotangent `R_<name>` when they are in the loss, `grad_<input name>`,
  `grad.<state-dict key>`.
- The scalar loss is `sum(out * R)` plus `sum(<o> * R_<o>)` for each extra output that has an `R_<o>`;
  gradients are of that loss. Outputs without an `R_` (attention weights) are forward-only checks.
- Float32 PyTorch results carry ~1e-6 relative rounding; compare with tolerances around 1e-5 relative /
  1e-6 absolute (looser for the full model, whose logits pass through 4 transformer layers).

`models.json` lists the four notebook models: per-sample input shape, trainable-parameter count and
the ordered state dict (key, shape, parameter or buffer, dtype). `num_batches_tracked` buffers are
int64 in PyTorch and are not stored in the safetensors fixtures.

`pt/` holds files written by `torch.save` itself (and hostile pickles) for serscript's `.pt` reader, with
their own README (`generate.py --only pt` rewrites just those); `../export/check.py` is run at the end
to read serscript's `save_tensors` files with numpy and safetensors.

## Files
"""


def write_pt_fixtures() -> None:
    """`pt/`: torch.save files for serscript's PyTorch-file reader, with their own README."""
    def write(path: Path, tensors: Tensors, metadata: dict[str, str]) -> None:
        path.write_bytes(safetensors_bytes(tensors, {**metadata, "torch": torch.__version__}))

    rows = torch_files.write_pt_fixtures(HERE / "pt", seed_for, perturb_defaults, write)
    (HERE / "pt" / "README.md").write_text(
        "# PyTorch files for the `.pt` reader\n\nWritten by `../generate.py` (`torch_files.py`; "
        f"`python3 Tests/Fixtures/torch/generate.py --only pt` rewrites just these) with torch {torch.__version__}. "
        "Each `X.pt` comes with `X.safetensors` holding what reading it must give (float32).\n\n"
        "| file | what |\n|---|---|\n" + "\n".join(rows) + "\n")


def check_exports() -> None:
    """serscript's save_tensors files (Tests/Fixtures/export), read by numpy and safetensors."""
    sys.path.insert(0, str(HERE.parent / "export"))
    import check  # noqa: E402  (the folder's reader; needs numpy and safetensors, present here)
    check.check()


def main() -> None:
    write_pt_fixtures()
    check_exports()
    if sys.argv[1:] == ["--only", "pt"]:
        return
    manifest = models_manifest()
    (HERE / "models.json").write_text(manifest_json(manifest))
    for stale in HERE.glob("*.safetensors"):
        stale.unlink()

    readme = [README_HEAD.format(requirements=" ".join(torch_venv.REQUIREMENTS), torch_version=torch.__version__)]
    readme.append("| file | what |\n|---|---|")
    sections: list[str] = []

    def add(name: str, title: str, settings: list[str], tensors: Tensors, metadata: dict[str, str],
            meaning: Callable[[str], str], shown: Tensors | None = None) -> None:
        write_fixture(name, tensors, metadata)
        readme.append(f"| `{name}.safetensors` | {title} |")
        sections.append("\n".join([f"### `{name}.safetensors`", "", title, "", *settings, "",
                                   *tensor_table(shown if shown is not None else tensors, meaning), ""]))

    for case in CASES + RECURRENT_ATTENTION_CASES + VARLEN_CASES + ADAPTIVE_POOL_CASES:
        tensors, metadata = run_module_case(case)
        add(case.name, case.doc, [f"- torch: `{case.module}`, `.{case.mode}()` mode",
                                  f"- loss: `{metadata['loss']}`"],
            tensors, metadata, lambda k, notes=case.notes: generic_meaning(k, notes))

    tensors, metadata, meanings = cross_entropy_fixture()
    add("cross_entropy", "Cross-entropy (class weights, label smoothing 0.1), NLL and MSE on one batch of "
        "logits. With weights w and smoothing ε over K classes PyTorch's mean is "
        "(1−ε)·Σᵢ w_yᵢ·(−log pᵢ,yᵢ)/Σᵢ w_yᵢ + (ε/K)·Σᵢ Σ_c w_c·(−log pᵢ,c)/Σᵢ w_yᵢ.",
        [f"- `{k}`: `{v}`" for k, v in json.loads(metadata["variants"]).items()],
        tensors, metadata, meanings.__getitem__)

    for case in OPTIM_CASES:
        tensors, metadata, meanings = optim_fixture(case)
        add(case.name, f"{case.doc} {OPTIM_STEPS} steps, each with a fresh N(0,1) gradient.",
            [f"- torch: `{case.optimizer}`"],
            tensors, metadata, meanings.__getitem__)

    for case in SCHEDULE_CASES:
        tensors, metadata, meanings = schedule_fixture(case)
        add(case.name, f"{case.doc} The learning rate of an SGD optimizer (lr {case.lr}, momentum 0.9) at every step.",
            [f"- torch: `{case.scheduler}`", f"- stepped {case.steps} times (`opt.step()` then `scheduler.step()`)"],
            tensors, metadata, meanings.__getitem__)

    tensors, metadata, meanings = weight_averaging_fixture()
    add("weight_averaging", f"torch.optim.swa_utils: an EMA (decay {AVERAGING_EMA_DECAY}) and an SWA (mean) AveragedModel "
        f"of nn.Linear(3, 2) over {AVERAGING_SNAPSHOTS} known weight snapshots, and update_bn on a BatchNorm1d.",
        [f"- `{k}`: `{v}`" for k, v in metadata.items()], tensors, metadata, meanings.__getitem__)

    tensors, metadata, meanings = parallel_model_fixture()
    shown = {k: v for k, v in tensors.items() if not k.startswith(("param.", "buffer."))}
    n_params = sum(k.startswith("param.") for k in tensors)
    n_buffers = sum(k.startswith("buffer.") for k in tensors)
    add("parallel_cnn_transformer",
        "The full Parallel CNN-Transformer (notebook_models.ParallelCNNTransformer) in eval mode on a "
        "batch of 2: logits and a few gradients. All weights and BatchNorm running statistics are stored "
        "as `param.<key>` / `buffer.<key>` (keys and shapes in models.json), with the perturbation above.",
        [f"- torch: `{metadata['model']}`, `.eval()` mode (dropout off, BatchNorm uses running stats)",
         f"- loss: `{metadata['loss']}`",
         f"- stored besides the table below: `param.<key>` for all {n_params} parameters and `buffer.<key>` "
         f"for the {n_buffers} BatchNorm running_mean / running_var buffers"],
        tensors, metadata, meanings.__getitem__, shown=shown)

    readme.append("| `models.json` | the four notebook models' input shapes, parameter counts and state-dict keys |")
    readme.append("")
    (HERE / "README.md").write_text("\n".join(readme) + "\n" + "\n".join(sections))
    total = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file())
    print(f"wrote {len(list(HERE.glob('*.safetensors')))} fixtures, {total / 1e6:.2f} MB in {HERE}")


if __name__ == "__main__":
    main()
