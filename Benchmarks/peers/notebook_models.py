"""The four PyTorch models of the saranshahuja/SER notebooks, re-written for serscript's reference checks.

Shared by `Tests/Fixtures/torch/generate.py` (parity fixtures) and `Benchmarks/peers/torch_models.py`
(peer benchmark). The architectures and the *attribute names* follow the notebooks exactly, because the
attribute names become the state-dict keys that serscript's Swift models mirror so that checkpoints map
one to one:

- conv branches are one `nn.Sequential` named `conv2Dblock` of blocks
  Conv2d(k 3, s 1, p 1) → BatchNorm2d → ReLU → MaxPool2d → Dropout, so the parameterised entries sit
  at indices 0/1, 5/6, 10/11, 15/16 (conv/bn);
- the stacked models wrap *every* entry of that Sequential in its own `TimeDistributed`, whose inner
  module is called `module` (keys `conv2Dblock.0.module.weight`, ...);
- the remaining names are `transf_maxpool`, `transf_encoder`, `lstm_maxpool`, `lstm`, `dropout_lstm`,
  `attention_linear`, `out_linear`.

Deviations from the notebook code, none of which changes a parameter or a number:
- the notebooks' `dropout_linear = nn.Dropout(p=0)` and `out_softmax = nn.Softmax(dim=1)` modules are
  parameter-free no-ops here replaced by a functional softmax;
- attention pooling scores all time steps with one call of `attention_linear` instead of a Python loop
  over steps (same values; the weights keep the notebooks' (B, 1, T) shape).
notebooks.md lists no model bug to fix (its listed bug, augmented copies taking labels from the wrong
rows, is in the data pipeline).

Every model's forward returns `(logits, probabilities)`; the two attention models add the attention
weights `(B, 1, T)` as a third element, as in the notebooks.
"""
from __future__ import annotations

import torch
from torch import nn

NUM_EMOTIONS = 8


def conv_block(in_channels: int, out_channels: int, pool: int, dropout: float) -> list[nn.Module]:
    """One notebook conv block: 3×3 same-padding conv, batch norm, ReLU, square max-pool, dropout."""
    return [
        nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=1, padding=1),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=pool, stride=pool),
        nn.Dropout(p=dropout),
    ]


def conv_stack(channels: list[int], pools: list[int], dropout: float) -> list[nn.Module]:
    """Consecutive conv blocks channels[0] → channels[1] → ..., one pool size per block."""
    layers: list[nn.Module] = []
    for (cin, cout), pool in zip(zip(channels, channels[1:]), pools):
        layers += conv_block(cin, cout, pool, dropout)
    return layers


class TimeDistributed(nn.Module):
    """Applies `module` to every step of a batch-first (B, T, ...) tensor by folding T into the batch."""

    def __init__(self, module: nn.Module):
        super().__init__()
        self.module = module

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, steps = x.shape[0], x.shape[1]
        y = self.module(x.reshape(batch * steps, *x.shape[2:]))
        return y.reshape(batch, steps, *y.shape[1:])


def attention_pool(score: nn.Linear, sequence: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Scores each step of (B, T, F) with `score` (F → 1), softmaxes over T, returns the weighted sum
    (B, F) and the weights (B, 1, T)."""
    weights = torch.softmax(score(sequence).transpose(1, 2), dim=-1)
    return torch.bmm(weights, sequence).squeeze(1), weights


class ParallelCNNTransformer(nn.Module):
    """parallel_cnn_transformer.ipynb: conv branch ‖ max-pooled transformer branch → Linear(320, 8).

    Input (B, 1, 128, 563) standardised log-mel. The transformer branch max-pools the input by [2, 4]
    to (B, 64, 140), feeds it as (time 140, batch, 64) through 4 post-norm encoder layers and averages
    over time."""

    input_shape = (1, 128, 563)

    def __init__(self, num_emotions: int = NUM_EMOTIONS):
        super().__init__()
        self.conv2Dblock = nn.Sequential(*conv_stack([1, 16, 32, 64, 64], [2, 4, 4, 4], dropout=0.3))
        self.transf_maxpool = nn.MaxPool2d(kernel_size=[2, 4], stride=[2, 4])
        layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=512, dropout=0.4,
                                           activation="relu")
        self.transf_encoder = nn.TransformerEncoder(layer, num_layers=4, enable_nested_tensor=False)
        self.out_linear = nn.Linear(320, num_emotions)

    def forward(self, x: torch.Tensor):
        conv_embedding = torch.flatten(self.conv2Dblock(x), start_dim=1)      # (B, 256)
        reduced = self.transf_maxpool(x).squeeze(1).permute(2, 0, 1)          # (140, B, 64)
        transf_embedding = self.transf_encoder(reduced).mean(dim=0)            # (B, 64)
        logits = self.out_linear(torch.cat([conv_embedding, transf_embedding], dim=1))
        return logits, torch.softmax(logits, dim=1)


class ParallelCNNAttentionLSTM(nn.Module):
    """parallel_cnn_attention_lstm.ipynb: conv branch ‖ BiLSTM with attention pooling → Linear(512, 8).

    Input (B, 1, 128, 563). The LSTM branch max-pools by [2, 4] to (B, 64, 140) and reads it as
    (B, time 140, 64)."""

    input_shape = (1, 128, 563)

    def __init__(self, num_emotions: int = NUM_EMOTIONS):
        super().__init__()
        hidden = 128
        self.conv2Dblock = nn.Sequential(*conv_stack([1, 16, 32, 64, 64], [2, 4, 4, 4], dropout=0.3))
        self.lstm_maxpool = nn.MaxPool2d(kernel_size=[2, 4], stride=[2, 4])
        self.lstm = nn.LSTM(input_size=64, hidden_size=hidden, bidirectional=True, batch_first=True)
        self.dropout_lstm = nn.Dropout(p=0.1)
        self.attention_linear = nn.Linear(2 * hidden, 1)
        self.out_linear = nn.Linear(2 * hidden + 256, num_emotions)

    def forward(self, x: torch.Tensor):
        conv_embedding = torch.flatten(self.conv2Dblock(x), start_dim=1)      # (B, 256)
        reduced = self.lstm_maxpool(x).squeeze(1).permute(0, 2, 1)            # (B, 140, 64)
        sequence, _ = self.lstm(reduced)                                       # (B, 140, 256)
        pooled, weights = attention_pool(self.attention_linear, self.dropout_lstm(sequence))
        logits = self.out_linear(torch.cat([conv_embedding, pooled], dim=1))
        return logits, torch.softmax(logits, dim=1), weights


class StackedCNNLSTM(nn.Module):
    """stacked_cnn_lstm.ipynb: TimeDistributed conv stack per chunk → LSTM(128, 64) → last step → Linear.

    Input (B, 7, 1, 128, 128): 7 log-mel chunks; each chunk's conv stack ends at 128 × 1 × 1."""

    input_shape = (7, 1, 128, 128)

    def __init__(self, num_emotions: int = NUM_EMOTIONS):
        super().__init__()
        hidden = 64
        layers = conv_stack([1, 16, 32, 64, 128], [2, 4, 4, 4], dropout=0.4)
        self.conv2Dblock = nn.Sequential(*(TimeDistributed(layer) for layer in layers))
        self.lstm = nn.LSTM(input_size=128, hidden_size=hidden, batch_first=True)
        self.dropout_lstm = nn.Dropout(p=0.3)
        self.out_linear = nn.Linear(hidden, num_emotions)

    def forward(self, x: torch.Tensor):
        chunks = torch.flatten(self.conv2Dblock(x), start_dim=2)              # (B, 7, 128)
        sequence, _ = self.lstm(chunks)                                        # (B, 7, 64)
        logits = self.out_linear(self.dropout_lstm(sequence)[:, -1, :])
        return logits, torch.softmax(logits, dim=1)


class StackedCNNAttentionLSTM(nn.Module):
    """stacked_cnn_attention_lstm.ipynb: TimeDistributed 3-block conv stack → BiLSTM(1024, 64) →
    attention pooling → Linear(128, 8).

    Input (B, 7, 1, 128, 128); each chunk's conv stack ends at 64 × 4 × 4 = 1024."""

    input_shape = (7, 1, 128, 128)

    def __init__(self, num_emotions: int = NUM_EMOTIONS):
        super().__init__()
        hidden = 64
        layers = conv_stack([1, 16, 32, 64], [2, 4, 4], dropout=0.3)
        self.conv2Dblock = nn.Sequential(*(TimeDistributed(layer) for layer in layers))
        self.lstm = nn.LSTM(input_size=1024, hidden_size=hidden, bidirectional=True, batch_first=True)
        self.dropout_lstm = nn.Dropout(p=0.4)
        self.attention_linear = nn.Linear(2 * hidden, 1)
        self.out_linear = nn.Linear(2 * hidden, num_emotions)

    def forward(self, x: torch.Tensor):
        chunks = torch.flatten(self.conv2Dblock(x), start_dim=2)              # (B, 7, 1024)
        sequence, _ = self.lstm(chunks)                                        # (B, 7, 128)
        pooled, weights = attention_pool(self.attention_linear, self.dropout_lstm(sequence))
        logits = self.out_linear(pooled)
        return logits, torch.softmax(logits, dim=1), weights


# Name (the notebook's file stem) → (class, trainable-parameter count printed by the notebook).
MODELS: dict[str, tuple[type[nn.Module], int]] = {
    "parallel_cnn_transformer": (ParallelCNNTransformer, 395_176),
    "parallel_cnn_attention_lstm": (ParallelCNNAttentionLSTM, 263_593),
    "stacked_cnn_lstm": (StackedCNNLSTM, 147_816),
    "stacked_cnn_attention_lstm": (StackedCNNAttentionLSTM, 582_761),
}


def trainable_parameter_count(model: nn.Module) -> int:
    """Number of trainable scalars, as the notebooks print it."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
