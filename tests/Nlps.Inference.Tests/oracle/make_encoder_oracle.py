#!/usr/bin/python3
"""Independent embedding oracle for the C# encoders.

Writes tiny random-weight BERT and XLM-RoBERTa encoders (config.json, model.safetensors and the sentence-transformers
files modules.json / 1_Pooling/config.json) and, for a batch of token sequences of mixed lengths, the last hidden
states of every token and the pooled (and, where modules.json says so, L2-normalised) embeddings, computed here in
float64 with PyTorch the way transformers does it: the batch padded to its longest sequence with an additive attention
mask, BERT position ids 0..n-1, XLM-R position ids from padding_idx + 1, token type 0, post-LayerNorm, exact GELU.
Written from the architecture, not from the C# code. The C# tests (EncoderOracleTests.cs) read the committed output.

Run: tests/Nlps.Inference.Tests/oracle/install-deps.sh && /usr/bin/python3 tests/Nlps.Inference.Tests/oracle/make_encoder_oracle.py
"""
import json
import math
import os

import numpy as np
import torch

from make_oracle import TORCH_DTYPES, write_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))

MODELS = {
    # BERT: f32, hidden 64 in 4 heads, an intermediate size that is not a multiple of the GEMM panel, CLS + normalise.
    "bert-cls": dict(model_type="bert", hidden=64, heads=4, intermediate=80, layers=2, vocab=300, max_positions=64,
                     type_vocab=2, eps=1e-12, pad=0, dtype="F32", pooling="cls", normalize=True, prefix="bert.",
                     seed=21),
    # XLM-R: bf16, 8 heads of 8, one token type, positions from padding_idx + 1, mean pooling without normalising.
    "xlmr-mean": dict(model_type="xlm-roberta", hidden=64, heads=8, intermediate=128, layers=3, vocab=250,
                      max_positions=42, type_vocab=1, eps=1e-5, pad=1, dtype="BF16", pooling="mean", normalize=False,
                      prefix="", seed=22),
}
LENGTHS = [7, 40, 1, 19, 32]


def random_weights(spec):
    g = torch.Generator().manual_seed(spec["seed"])
    h, inter = spec["hidden"], spec["intermediate"]

    def uniform(shape, center, scale):
        return center + scale * (2 * torch.rand(shape, generator=g, dtype=torch.float64) - 1)

    e = spec["prefix"] + "embeddings."
    w = {
        e + "word_embeddings.weight": uniform((spec["vocab"], h), 0, 1.0),
        e + "position_embeddings.weight": uniform((spec["max_positions"], h), 0, 0.5),
        e + "token_type_embeddings.weight": uniform((spec["type_vocab"], h), 0, 0.5),
        e + "LayerNorm.weight": uniform((h,), 1, 0.2),
        e + "LayerNorm.bias": uniform((h,), 0, 0.2),
    }
    for i in range(spec["layers"]):
        p = f"{spec['prefix']}encoder.layer.{i}."
        for name in ("query", "key", "value"):
            w[p + f"attention.self.{name}.weight"] = uniform((h, h), 0, 0.3)
            w[p + f"attention.self.{name}.bias"] = uniform((h,), 0, 0.2)
        w[p + "attention.output.dense.weight"] = uniform((h, h), 0, 0.2)
        w[p + "attention.output.dense.bias"] = uniform((h,), 0, 0.2)
        w[p + "attention.output.LayerNorm.weight"] = uniform((h,), 1, 0.2)
        w[p + "attention.output.LayerNorm.bias"] = uniform((h,), 0, 0.2)
        w[p + "intermediate.dense.weight"] = uniform((inter, h), 0, 0.25)
        w[p + "intermediate.dense.bias"] = uniform((inter,), 0, 0.2)
        w[p + "output.dense.weight"] = uniform((h, inter), 0, 0.2)
        w[p + "output.dense.bias"] = uniform((h,), 0, 0.2)
        w[p + "output.LayerNorm.weight"] = uniform((h,), 1, 0.2)
        w[p + "output.LayerNorm.bias"] = uniform((h,), 0, 0.2)
    return {name: t.to(TORCH_DTYPES[spec["dtype"]]) for name, t in w.items()}


def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def forward(spec, w, batch):
    """Last hidden states [batch, longest, hidden] in float64, padded with the pad id and masked as transformers does."""
    d = {k: v.to(torch.float64) for k, v in w.items()}
    h, heads = spec["hidden"], spec["heads"]
    head_dim = h // heads
    longest = max(len(s) for s in batch)
    ids = torch.full((len(batch), longest), spec["pad"], dtype=torch.long)
    mask = torch.zeros((len(batch), longest), dtype=torch.float64)
    for b, seq in enumerate(batch):
        ids[b, : len(seq)] = torch.tensor(seq)
        mask[b, : len(seq)] = 1
    if spec["model_type"] == "xlm-roberta":
        # create_position_ids_from_input_ids: cumulative count of non-pad tokens, offset by padding_idx.
        positions = (torch.cumsum(mask, dim=1) * mask).long() + spec["pad"]
    else:
        positions = torch.arange(longest)[None, :].expand(len(batch), longest)
    e = spec["prefix"] + "embeddings."
    x = d[e + "word_embeddings.weight"][ids] + d[e + "position_embeddings.weight"][positions] + d[e + "token_type_embeddings.weight"][0]
    x = layer_norm(x, d[e + "LayerNorm.weight"], d[e + "LayerNorm.bias"], spec["eps"])
    additive = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float64).min
    for i in range(spec["layers"]):
        p = f"{spec['prefix']}encoder.layer.{i}."

        def linear(t, name):
            return t @ d[p + name + ".weight"].T + d[p + name + ".bias"]

        def split(t):
            return t.view(len(batch), longest, heads, head_dim).transpose(1, 2)

        q, k, v = (split(linear(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(head_dim) + additive
        attended = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(len(batch), longest, h)
        x = layer_norm(linear(attended, "attention.output.dense") + x, d[p + "attention.output.LayerNorm.weight"], d[p + "attention.output.LayerNorm.bias"], spec["eps"])
        inner = linear(x, "intermediate.dense")
        inner = 0.5 * inner * (1 + torch.erf(inner / math.sqrt(2)))
        x = layer_norm(linear(inner, "output.dense") + x, d[p + "output.LayerNorm.weight"], d[p + "output.LayerNorm.bias"], spec["eps"])
    return x, mask


def pool(spec, hidden, mask):
    if spec["pooling"] == "cls":
        pooled = hidden[:, 0]
    else:
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    if spec["normalize"]:
        pooled = pooled / pooled.norm(dim=-1, keepdim=True)
    return pooled


def write_model_files(folder, spec):
    config = {
        "architectures": ["BertModel" if spec["model_type"] == "bert" else "XLMRobertaModel"],
        "model_type": spec["model_type"],
        "hidden_size": spec["hidden"],
        "num_hidden_layers": spec["layers"],
        "num_attention_heads": spec["heads"],
        "intermediate_size": spec["intermediate"],
        "hidden_act": "gelu",
        "vocab_size": spec["vocab"],
        "max_position_embeddings": spec["max_positions"],
        "type_vocab_size": spec["type_vocab"],
        "layer_norm_eps": spec["eps"],
        "pad_token_id": spec["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": {"F32": "float32", "BF16": "bfloat16", "F16": "float16"}[spec["dtype"]],
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]
    if spec["normalize"]:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
    with open(os.path.join(folder, "modules.json"), "w") as f:
        json.dump(modules, f, indent=2)
    os.makedirs(os.path.join(folder, "1_Pooling"), exist_ok=True)
    with open(os.path.join(folder, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": spec["hidden"], "pooling_mode_cls_token": spec["pooling"] == "cls",
                   "pooling_mode_mean_tokens": spec["pooling"] == "mean", "pooling_mode_max_tokens": False,
                   "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=2)


def main():
    torch.set_num_threads(1)
    for name, spec in MODELS.items():
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        weights = random_weights(spec)
        write_safetensors(os.path.join(folder, "model.safetensors"), weights)
        write_model_files(folder, spec)
        rng = np.random.default_rng(spec["seed"])
        allowed = [t for t in range(spec["vocab"]) if t != spec["pad"]]
        batch = [[int(t) for t in rng.choice(allowed, size=n)] for n in LENGTHS]
        hidden, mask = forward(spec, weights, batch)
        pooled = pool(spec, hidden, mask)
        expected = {
            "generator": "make_encoder_oracle.py (PyTorch %s, float64)" % torch.__version__,
            "sequences": batch,
            "hidden": [[float("%.10g" % v) for v in hidden[b, : len(s)].reshape(-1).tolist()] for b, s in enumerate(batch)],
            "embeddings": [[float("%.10g" % v) for v in row] for row in pooled.tolist()],
        }
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f, separators=(",", ":"))
        print(f"{name}: {len(batch)} sequences of {LENGTHS}")


if __name__ == "__main__":
    main()
