#!/usr/bin/python3
"""Independent logits oracle for the C# engine.

Writes tiny random-weight Llama-family models (config.json + model.safetensors) and, for a fixed prompt, the logits at
every position and a 32-token greedy continuation, computed here in float64 with PyTorch from the same stored weights.
The decoder below is written from the architecture descriptions (Llama 3 / Qwen2 / Mistral: RMSNorm, rotate-half RoPE
with llama3 frequency scaling, grouped-query attention, SwiGLU, q/k/v biases, tied embeddings), not from the C# code.
The C# tests (OracleTests.cs) read the committed output, so the test run needs no Python.

Run: tests/Nlps.Inference.Tests/oracle/install-deps.sh && /usr/bin/python3 tests/Nlps.Inference.Tests/oracle/make_oracle.py
"""
import json
import math
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
GREEDY_TOKENS = 32

MODELS = {
    # Llama 3.x-like: GQA ratio 4, llama3 rope scaling (theta and original context scaled down so it bites), untied, f32.
    "llama3-gqa4": dict(model_type="llama", hidden=64, heads=8, kv_heads=2, intermediate=96, layers=2, vocab=300,
                        dtype="F32", tied=False, bias=False, theta=10000.0, eps=1e-5,
                        rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                          original_max_position_embeddings=64), seed=11),
    # Qwen2-like: q/k/v biases, tied embeddings, bf16 weights, theta 1e6, GQA ratio 4.
    "qwen2-bias-tied": dict(model_type="qwen2", hidden=64, heads=8, kv_heads=2, intermediate=96, layers=2, vocab=300,
                            dtype="BF16", tied=True, bias=True, theta=1000000.0, eps=1e-6, rope_scaling=None, seed=12,
                            # Small embeddings so the layers, not the token's own (tied) embedding, decide the next token.
                            embed_scale=0.05),
    # Mistral-like: f16 weights, GQA ratio 4, three layers.
    "mistral-f16": dict(model_type="mistral", hidden=64, heads=4, kv_heads=1, intermediate=128, layers=3, vocab=300,
                        dtype="F16", tied=False, bias=False, theta=10000.0, eps=1e-5, rope_scaling=None, seed=13),
}

TORCH_DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def random_weights(spec):
    g = torch.Generator().manual_seed(spec["seed"])
    hidden, heads, kv, inter = spec["hidden"], spec["heads"], spec["kv_heads"], spec["intermediate"]
    head_dim = hidden // heads

    def uniform(shape, center, scale):
        return center + scale * (2 * torch.rand(shape, generator=g, dtype=torch.float64) - 1)

    w = {"model.embed_tokens.weight": uniform((spec["vocab"], hidden), 0, spec.get("embed_scale", 1.0))}
    for i in range(spec["layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = uniform((hidden,), 1, 0.2)
        w[p + "self_attn.q_proj.weight"] = uniform((heads * head_dim, hidden), 0, 0.25)
        w[p + "self_attn.k_proj.weight"] = uniform((kv * head_dim, hidden), 0, 0.25)
        w[p + "self_attn.v_proj.weight"] = uniform((kv * head_dim, hidden), 0, 0.25)
        if spec["bias"]:
            w[p + "self_attn.q_proj.bias"] = uniform((heads * head_dim,), 0, 0.3)
            w[p + "self_attn.k_proj.bias"] = uniform((kv * head_dim,), 0, 0.3)
            w[p + "self_attn.v_proj.bias"] = uniform((kv * head_dim,), 0, 0.3)
        w[p + "self_attn.o_proj.weight"] = uniform((hidden, heads * head_dim), 0, 0.2)
        w[p + "post_attention_layernorm.weight"] = uniform((hidden,), 1, 0.2)
        w[p + "mlp.gate_proj.weight"] = uniform((inter, hidden), 0, 0.25)
        w[p + "mlp.up_proj.weight"] = uniform((inter, hidden), 0, 0.25)
        w[p + "mlp.down_proj.weight"] = uniform((hidden, inter), 0, 0.2)
    w["model.norm.weight"] = uniform((hidden,), 1, 0.2)
    if not spec["tied"]:
        w["lm_head.weight"] = uniform((spec["vocab"], hidden), 0, 0.3)
    # Round to the stored dtype once; the reference then computes in float64 from exactly the stored values.
    return {name: t.to(TORCH_DTYPES[spec["dtype"]]) for name, t in w.items()}


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        if t.dtype == torch.bfloat16:
            raw = t.contiguous().view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            raw = t.contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        dtype = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}[t.dtype]
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def inverse_frequencies(spec):
    head_dim = spec["hidden"] // spec["heads"]
    inv = 1.0 / (spec["theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    s = spec["rope_scaling"]
    if s is None:
        return inv
    low_wavelen = s["original_max_position_embeddings"] / s["low_freq_factor"]
    high_wavelen = s["original_max_position_embeddings"] / s["high_freq_factor"]
    out = []
    for f in inv.tolist():
        wavelen = 2 * math.pi / f
        if wavelen < high_wavelen:
            out.append(f)
        elif wavelen > low_wavelen:
            out.append(f / s["factor"])
        else:
            smooth = (s["original_max_position_embeddings"] / wavelen - s["low_freq_factor"]) / (s["high_freq_factor"] - s["low_freq_factor"])
            out.append((1 - smooth) * f / s["factor"] + smooth * f)
    return torch.tensor(out, dtype=torch.float64)


def rms_norm(x, weight, eps):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps) * weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def forward(spec, w, tokens):
    """Logits [len(tokens), vocab] in float64 for the whole sequence (causal), no cache."""
    d = {k: v.to(torch.float64) for k, v in w.items()}
    n, hidden, heads, kv = len(tokens), spec["hidden"], spec["heads"], spec["kv_heads"]
    head_dim = hidden // heads
    angles = torch.arange(n, dtype=torch.float64)[:, None] * inverse_frequencies(spec)[None, :]
    cos = torch.cat((angles.cos(), angles.cos()), -1)
    sin = torch.cat((angles.sin(), angles.sin()), -1)
    mask = torch.full((n, n), float("-inf"), dtype=torch.float64).triu(1)
    x = d["model.embed_tokens.weight"][torch.tensor(tokens)]
    for i in range(spec["layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, d[p + "input_layernorm.weight"], spec["eps"])
        q = h @ d[p + "self_attn.q_proj.weight"].T
        k = h @ d[p + "self_attn.k_proj.weight"].T
        v = h @ d[p + "self_attn.v_proj.weight"].T
        if spec["bias"]:
            q, k, v = q + d[p + "self_attn.q_proj.bias"], k + d[p + "self_attn.k_proj.bias"], v + d[p + "self_attn.v_proj.bias"]
        q = q.view(n, heads, head_dim).transpose(0, 1)
        k = k.view(n, kv, head_dim).transpose(0, 1)
        v = v.view(n, kv, head_dim).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # Grouped-query attention: query head j reads kv head j // (heads / kv).
        k = k.repeat_interleave(heads // kv, dim=0)
        v = v.repeat_interleave(heads // kv, dim=0)
        scores = q @ k.transpose(1, 2) / math.sqrt(head_dim) + mask
        attended = torch.softmax(scores, dim=-1) @ v
        x = x + attended.transpose(0, 1).reshape(n, heads * head_dim) @ d[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, d[p + "post_attention_layernorm.weight"], spec["eps"])
        gate = h @ d[p + "mlp.gate_proj.weight"].T
        up = h @ d[p + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * up) @ d[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, d["model.norm.weight"], spec["eps"])
    head = d["model.embed_tokens.weight"] if spec["tied"] else d["lm_head.weight"]
    return x @ head.T


def config_json(spec):
    config = {
        "architectures": [{"llama": "LlamaForCausalLM", "qwen2": "Qwen2ForCausalLM", "mistral": "MistralForCausalLM"}[spec["model_type"]]],
        "model_type": spec["model_type"],
        "hidden_size": spec["hidden"],
        "intermediate_size": spec["intermediate"],
        "num_hidden_layers": spec["layers"],
        "num_attention_heads": spec["heads"],
        "num_key_value_heads": spec["kv_heads"],
        "vocab_size": spec["vocab"],
        "max_position_embeddings": 256,
        "rms_norm_eps": spec["eps"],
        "rope_theta": spec["theta"],
        "hidden_act": "silu",
        "tie_word_embeddings": spec["tied"],
        "torch_dtype": {"F32": "float32", "BF16": "bfloat16", "F16": "float16"}[spec["dtype"]],
        "eos_token_id": spec["vocab"] - 1,
    }
    if spec["rope_scaling"] is not None:
        config["rope_scaling"] = spec["rope_scaling"]
    return config


def main():
    torch.set_num_threads(1)
    for name, spec in MODELS.items():
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        weights = random_weights(spec)
        write_safetensors(os.path.join(folder, "model.safetensors"), weights)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config_json(spec), f, indent=2)
        rng = np.random.default_rng(spec["seed"])
        prompt = [int(t) for t in rng.integers(0, spec["vocab"], size=20)]
        logits = forward(spec, weights, prompt)
        greedy, sequence = [], list(prompt)
        for _ in range(GREEDY_TOKENS):
            nxt = int(torch.argmax(forward(spec, weights, sequence)[-1]))
            greedy.append(nxt)
            sequence.append(nxt)
        expected = {
            "generator": "make_oracle.py (PyTorch %s, float64)" % torch.__version__,
            "prompt": prompt,
            "logits": [[float("%.10g" % v) for v in row] for row in logits.tolist()],
            "greedy": greedy,
        }
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f, separators=(",", ":"))
        print(f"{name}: {len(prompt)} positions, greedy {greedy[:8]}...")


if __name__ == "__main__":
    main()
