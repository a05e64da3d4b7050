#!/usr/bin/python3
"""Independent LoRA oracle for the C# engine.

Writes a tiny random-weight Llama model (oracle/llama3-lora: config.json + model.safetensors) and two random PEFT LoRA
adapters beside it (adapters/<name>/adapter_config.json + adapter_model.safetensors, tensors named as PEFT saves them:
base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight, A = [r, in], B = [out, r]), then, for a fixed prompt,
the logits at every position and a 32-token greedy continuation of the base model and of the base with each adapter,
in float64. The LoRA arithmetic is written here from the LoRA / rsLoRA papers, not from the C# code or PEFT:
y = x W^T + s (x A^T) B^T with s = alpha / r (rsLoRA: alpha / sqrt(r)); it is checked against the merged form
W' = W + s B A on random inputs, and the reference logits come from the merged float64 weights.

Run: tests/Nlps.Inference.Tests/oracle/install-deps.sh && /usr/bin/python3 tests/Nlps.Inference.Tests/oracle/make_lora_oracle.py
"""
import json
import math
import os

import numpy as np
import torch

import make_oracle as base_oracle

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "llama3-lora"
SPEC = dict(model_type="llama", hidden=64, heads=8, kv_heads=2, intermediate=96, layers=2, vocab=300,
            dtype="F32", tied=False, bias=False, theta=10000.0, eps=1e-5, rope_scaling=None, seed=31)
ATTENTION = ["q_proj", "k_proj", "v_proj", "o_proj"]
MLP = ["gate_proj", "up_proj", "down_proj"]
ADAPTERS = {
    # Classic LoRA on every projection, f32 matrices: scale = alpha / r = 2.
    "all-linear-r4": dict(r=4, alpha=8.0, rslora=False, targets=ATTENTION + MLP, dtype=torch.float32, seed=41),
    # rsLoRA on q, v and down, bf16 matrices as PEFT saves a bf16 run: scale = alpha / sqrt(r) = 4 / sqrt(8).
    "rslora-r8": dict(r=8, alpha=4.0, rslora=True, targets=["q_proj", "v_proj", "down_proj"], dtype=torch.bfloat16, seed=42),
}


def module_path(layer, module):
    return f"model.layers.{layer}.{'self_attn' if module in ATTENTION else 'mlp'}.{module}"


def random_adapter(spec, adapter, weights):
    g = torch.Generator().manual_seed(adapter["seed"])
    tensors = {}
    for layer in range(spec["layers"]):
        for module in adapter["targets"]:
            out_dim, in_dim = weights[module_path(layer, module) + ".weight"].shape
            a = 0.3 * (2 * torch.rand((adapter["r"], in_dim), generator=g, dtype=torch.float64) - 1)
            b = 0.3 * (2 * torch.rand((out_dim, adapter["r"]), generator=g, dtype=torch.float64) - 1)
            prefix = "base_model.model." + module_path(layer, module)
            tensors[prefix + ".lora_A.weight"] = a.to(adapter["dtype"])
            tensors[prefix + ".lora_B.weight"] = b.to(adapter["dtype"])
    return tensors


def scale(adapter):
    return adapter["alpha"] / (math.sqrt(adapter["r"]) if adapter["rslora"] else adapter["r"])


def merged_weights(spec, adapter, weights, tensors):
    """float64 W + s B A for each adapted projection, after checking it against the unmerged form on random inputs."""
    s = scale(adapter)
    merged = {k: v.to(torch.float64) for k, v in weights.items()}
    x = torch.randn((5, spec["intermediate"]), generator=torch.Generator().manual_seed(7), dtype=torch.float64)
    for layer in range(spec["layers"]):
        for module in adapter["targets"]:
            name = module_path(layer, module)
            a = tensors["base_model.model." + name + ".lora_A.weight"].to(torch.float64)
            b = tensors["base_model.model." + name + ".lora_B.weight"].to(torch.float64)
            w = merged[name + ".weight"]
            xi = x[:, : w.shape[1]]
            unmerged = xi @ w.T + s * (xi @ a.T) @ b.T
            merged[name + ".weight"] = w + s * (b @ a)
            assert torch.allclose(unmerged, xi @ merged[name + ".weight"].T, rtol=0, atol=1e-12), name
    return merged


def run(spec, weights, prompt):
    logits = base_oracle.forward(spec, weights, prompt)
    greedy, sequence = [], list(prompt)
    for _ in range(base_oracle.GREEDY_TOKENS):
        nxt = int(torch.argmax(base_oracle.forward(spec, weights, sequence)[-1]))
        greedy.append(nxt)
        sequence.append(nxt)
    return {"logits": [[float("%.10g" % v) for v in row] for row in logits.tolist()], "greedy": greedy}


def main():
    torch.set_num_threads(1)
    folder = os.path.join(HERE, NAME)
    os.makedirs(folder, exist_ok=True)
    weights = base_oracle.random_weights(SPEC)
    base_oracle.write_safetensors(os.path.join(folder, "model.safetensors"), weights)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(base_oracle.config_json(SPEC), f, indent=2)
    prompt = [int(t) for t in np.random.default_rng(SPEC["seed"]).integers(0, SPEC["vocab"], size=20)]
    expected = {"generator": "make_lora_oracle.py (PyTorch %s, float64)" % torch.__version__, "prompt": prompt,
                "base": run(SPEC, weights, prompt), "adapters": {}}
    for name, adapter in ADAPTERS.items():
        target = os.path.join(folder, "adapters", name)
        os.makedirs(target, exist_ok=True)
        tensors = random_adapter(SPEC, adapter, weights)
        base_oracle.write_safetensors(os.path.join(target, "adapter_model.safetensors"), tensors)
        with open(os.path.join(target, "adapter_config.json"), "w") as f:
            json.dump({"peft_type": "LORA", "base_model_name_or_path": NAME, "r": adapter["r"], "lora_alpha": adapter["alpha"],
                       "use_rslora": adapter["rslora"], "target_modules": adapter["targets"], "lora_dropout": 0.0,
                       "bias": "none", "fan_in_fan_out": False, "task_type": "CAUSAL_LM"}, f, indent=2)
        expected["adapters"][name] = dict(scale=scale(adapter), **run(SPEC, merged_weights(SPEC, adapter, weights, tensors), prompt))
        print(f"{name}: greedy {expected['adapters'][name]['greedy'][:8]}... (base {expected['base']['greedy'][:8]}...)")
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
