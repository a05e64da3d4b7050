#!/usr/bin/python3
"""Independent seq2seq oracle for the C# BART.

Writes tiny random-weight BART models (config.json + model.safetensors, as transformers names the tensors) and, for
a few sources of mixed lengths, the encoder's last hidden states, teacher-forced decoder logits, greedy outputs and
beam-search outputs, computed here in float64 with PyTorch from the same stored weights. The model follows the
BartForConditionalGeneration definition: token embeddings shared by encoder, decoder and output head (times
sqrt(d_model) when scale_embedding), learned positions offset by 2, layernorm_embedding, post-LayerNorm blocks with
exact GELU, a padded source batch with an additive attention mask, final_logits_bias. Every decoder step recomputes
the whole decoder input (no cache), so the C# caches are checked, not copied. Generation follows transformers'
generate() (v4.30): decoder_start_token_id first, forced_bos_token_id / forced_eos_token_id as logits processors,
greedy = argmax, beam search = BeamSearchScorer (2*num_beams candidates, eos hypotheses only from the top num_beams,
score / length**length_penalty with the length counting the decoder start token, early_stopping, finalize, eos
appended to a hypothesis shorter than max_length). Written from that description, not from the C# code.
The C# tests (BartOracleTests.cs) read the committed output.

Run: tests/Nlps.Inference.Tests/oracle/install-deps.sh && /usr/bin/python3 tests/Nlps.Inference.Tests/oracle/make_seq2seq_oracle.py
"""
import json
import math
import os

import numpy as np
import torch

from make_oracle import TORCH_DTYPES, write_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))

MODELS = {
    # bart-large-cnn-like: f32, BartForConditionalGeneration names, scaled embeddings, forced bos/eos, eos 2 = start.
    "bart-f32": dict(d=64, enc_heads=4, dec_heads=8, enc_layers=2, dec_layers=2, ffn=96, vocab=120, max_positions=40,
                     dtype="F32", prefix="model.", scale_embedding=True, bos=0, pad=1, eos=2, start=2,
                     forced_bos=0, forced_eos=2, token_scale=0.0375, qk_scale=1.0, residual_scale=0.3,
                     eos_push=0.2, seed=31),
    # KoBART-like: bf16, BartModel names (no prefix, no final_logits_bias), eos 1 = start, pad 3, no forced tokens.
    "kobart-bf16": dict(d=64, enc_heads=4, dec_heads=4, enc_layers=3, dec_layers=2, ffn=128, vocab=150,
                        max_positions=48, dtype="BF16", prefix="", scale_embedding=False, bos=0, pad=3, eos=1, start=1,
                        forced_bos=None, forced_eos=None, token_scale=0.3, qk_scale=0.7, residual_scale=0.3, seed=32),
}
LENGTHS = [5, 17, 1, 11]
MAX_NEW_TOKENS = 12
BEAM_RUNS = [dict(num_beams=4, length_penalty=1.0, early_stopping=False),
             dict(num_beams=3, length_penalty=2.0, early_stopping=True)]


def random_weights(spec):
    g = torch.Generator().manual_seed(spec["seed"])
    d, f, p = spec["d"], spec["ffn"], spec["prefix"]

    def uniform(shape, center, scale):
        return center + scale * (2 * torch.rand(shape, generator=g, dtype=torch.float64) - 1)

    # Token embeddings small beside positions and layer outputs: the shared matrix is also the output head, and a
    # dominant token embedding would make every model repeat its last token.
    w = {p + "shared.weight": uniform((spec["vocab"], d), 0, spec["token_scale"])}
    for side in ("encoder", "decoder"):
        w[f"{p}{side}.embed_positions.weight"] = uniform((spec["max_positions"] + 2, d), 0, 1.0)
        w[f"{p}{side}.layernorm_embedding.weight"] = uniform((d,), 1, 0.2)
        w[f"{p}{side}.layernorm_embedding.bias"] = uniform((d,), 0, 0.2)
        blocks = ["self_attn"] + (["encoder_attn"] if side == "decoder" else [])
        for i in range(spec["enc_layers" if side == "encoder" else "dec_layers"]):
            q = f"{p}{side}.layers.{i}."
            for block in blocks:
                for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
                    w[q + f"{block}.{proj}.weight"] = uniform((d, d), 0, {"q_proj": spec["qk_scale"], "k_proj": spec["qk_scale"], "v_proj": 0.3, "out_proj": spec["residual_scale"]}[proj])
                    w[q + f"{block}.{proj}.bias"] = uniform((d,), 0, 0.2)
                w[q + f"{block}_layer_norm.weight"] = uniform((d,), 1, 0.2)
                w[q + f"{block}_layer_norm.bias"] = uniform((d,), 0, 0.2)
            w[q + "fc1.weight"] = uniform((f, d), 0, 0.25)
            w[q + "fc1.bias"] = uniform((f,), 0, 0.2)
            w[q + "fc2.weight"] = uniform((d, f), 0, spec["residual_scale"])
            w[q + "fc2.bias"] = uniform((d,), 0, 0.2)
            w[q + "final_layer_norm.weight"] = uniform((d,), 1, 0.2)
            w[q + "final_layer_norm.bias"] = uniform((d,), 0, 0.2)
    if p:
        # BartForConditionalGeneration's buffer; eos gets a push so that some outputs end before the length limit.
        # (Sharp attention, qk_scale, keeps the outputs from settling on one repeated token.)
        bias = uniform((1, spec["vocab"]), 0, 0.2)
        bias[0, spec["eos"]] += spec["eos_push"]
        w["final_logits_bias"] = bias
    return {name: t.to(TORCH_DTYPES[spec["dtype"]]) for name, t in w.items()}


def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


class Bart:
    def __init__(self, spec, weights):
        self.spec = spec
        self.w = {k: v.to(torch.float64) for k, v in weights.items()}
        self.p = spec["prefix"]
        self.scale = math.sqrt(spec["d"]) if spec["scale_embedding"] else 1.0
        self.shared = self.w[self.p + "shared.weight"]
        self.logits_bias = self.w["final_logits_bias"][0] if "final_logits_bias" in self.w else torch.zeros(spec["vocab"], dtype=torch.float64)

    def linear(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def attention(self, x, memory, name, heads, additive):
        b, t, d = x.shape
        s = memory.shape[1]
        hd = d // heads
        q = self.linear(x, name + ".q_proj").view(b, t, heads, hd).transpose(1, 2) * hd ** -0.5
        k = self.linear(memory, name + ".k_proj").view(b, s, heads, hd).transpose(1, 2)
        v = self.linear(memory, name + ".v_proj").view(b, s, heads, hd).transpose(1, 2)
        weights = torch.softmax(q @ k.transpose(-1, -2) + additive, dim=-1)
        return self.linear((weights @ v).transpose(1, 2).reshape(b, t, d), name + ".out_proj")

    def block_ffn(self, x, q):
        h = self.linear(x, q + "fc1")
        h = 0.5 * h * (1 + torch.erf(h / math.sqrt(2)))
        return layer_norm(x + self.linear(h, q + "fc2"), self.w[q + "final_layer_norm.weight"], self.w[q + "final_layer_norm.bias"])

    def embed(self, side, ids):
        p = self.p + side + "."
        positions = torch.arange(ids.shape[1]) + 2
        x = self.shared[ids] * self.scale + self.w[p + "embed_positions.weight"][positions][None]
        return layer_norm(x, self.w[p + "layernorm_embedding.weight"], self.w[p + "layernorm_embedding.bias"])

    def encode(self, sources):
        """Hidden states [batch, longest, d] of sources padded with the pad id, and the source mask."""
        longest = max(len(s) for s in sources)
        ids = torch.full((len(sources), longest), self.spec["pad"], dtype=torch.long)
        mask = torch.zeros((len(sources), longest), dtype=torch.float64)
        for i, s in enumerate(sources):
            ids[i, : len(s)] = torch.tensor(s)
            mask[i, : len(s)] = 1
        additive = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float64).min
        x = self.embed("encoder", ids)
        for i in range(self.spec["enc_layers"]):
            q = f"{self.p}encoder.layers.{i}."
            x = layer_norm(x + self.attention(x, x, q + "self_attn", self.spec["enc_heads"], additive),
                           self.w[q + "self_attn_layer_norm.weight"], self.w[q + "self_attn_layer_norm.bias"])
            x = self.block_ffn(x, q)
        return x, additive

    def decode(self, decoder_ids, encoded, source_additive):
        """Logits [batch, len, vocab] of decoder inputs [batch, len] (causal), recomputed from scratch."""
        ids = torch.tensor(decoder_ids)
        t = ids.shape[1]
        causal = torch.full((t, t), float("-inf"), dtype=torch.float64).triu(1)
        x = self.embed("decoder", ids)
        for i in range(self.spec["dec_layers"]):
            q = f"{self.p}decoder.layers.{i}."
            x = layer_norm(x + self.attention(x, x, q + "self_attn", self.spec["dec_heads"], causal),
                           self.w[q + "self_attn_layer_norm.weight"], self.w[q + "self_attn_layer_norm.bias"])
            x = layer_norm(x + self.attention(x, encoded, q + "encoder_attn", self.spec["dec_heads"], source_additive),
                           self.w[q + "encoder_attn_layer_norm.weight"], self.w[q + "encoder_attn_layer_norm.bias"])
            x = self.block_ffn(x, q)
        return x @ self.shared.T + self.logits_bias

    def forced(self, cur_len, max_length):
        if cur_len == 1 and self.spec["forced_bos"] is not None:
            return self.spec["forced_bos"]
        if cur_len == max_length - 1 and self.spec["forced_eos"] is not None:
            return self.spec["forced_eos"]
        return None

    def greedy(self, source, max_new_tokens):
        encoded, additive = self.encode([source])
        max_length = 1 + max_new_tokens
        seq = [self.spec["start"]]
        while len(seq) < max_length:
            logits = self.decode([seq], encoded, additive)[0, -1]
            token = self.forced(len(seq), max_length)
            seq.append(int(torch.argmax(logits)) if token is None else token)
            if seq[-1] == self.spec["eos"]:
                break
        return seq[1:]

    def beam_search(self, source, max_new_tokens, num_beams, length_penalty, early_stopping):
        encoded, additive = self.encode([source])
        encoded = encoded.expand(num_beams, -1, -1)
        additive = additive.expand(num_beams, -1, -1, -1)
        max_length = 1 + max_new_tokens
        eos, vocab = self.spec["eos"], self.spec["vocab"]
        beams = [[self.spec["start"]] for _ in range(num_beams)]
        scores = torch.tensor([0.0] + [-1e9] * (num_beams - 1), dtype=torch.float64)
        hyps, worst, done = [], 1e9, False

        def add(tokens, sum_logprobs):
            nonlocal worst
            score = sum_logprobs / (len(tokens) ** length_penalty)
            if len(hyps) < num_beams or score > worst:
                hyps.append((score, tokens))
                if len(hyps) > num_beams:
                    ranked = sorted((s, i) for i, (s, _) in enumerate(hyps))
                    del hyps[ranked[0][1]]
                    worst = ranked[1][0]
                else:
                    worst = min(score, worst)

        while True:
            cur_len = len(beams[0])
            logprobs = torch.log_softmax(self.decode(beams, encoded, additive)[:, -1], dim=-1)
            token = self.forced(cur_len, max_length)
            if token is not None:
                logprobs = torch.full_like(logprobs, float("-inf"))
                logprobs[:, token] = 0
            flat = (scores[:, None] + logprobs).reshape(-1)
            order = torch.sort(flat, descending=True, stable=True).indices[: 2 * num_beams]
            next_beams, next_scores = [], []
            for rank, index in enumerate(order.tolist()):
                parent, token = divmod(index, vocab)
                if token == eos:
                    if rank < num_beams:
                        add(list(beams[parent]), float(flat[index]))
                else:
                    next_beams.append(beams[parent] + [token])
                    next_scores.append(float(flat[index]))
                if len(next_beams) == num_beams:
                    break
            best = float(flat[order[0]])
            done = done or (len(hyps) >= num_beams and (early_stopping or worst >= best / cur_len ** length_penalty))
            beams, scores = next_beams, torch.tensor(next_scores, dtype=torch.float64)
            if done or len(beams[0]) >= max_length:
                break
        if not done:
            for b in range(num_beams):
                add(list(beams[b]), float(scores[b]))
        best = sorted(hyps, key=lambda h: h[0])[-1][1]
        return best[1:] + ([eos] if len(best) < max_length else [])


def write_config(folder, spec):
    config = {
        "architectures": ["BartForConditionalGeneration" if spec["prefix"] else "BartModel"],
        "model_type": "bart",
        "activation_function": "gelu",
        "d_model": spec["d"],
        "encoder_layers": spec["enc_layers"],
        "decoder_layers": spec["dec_layers"],
        "encoder_attention_heads": spec["enc_heads"],
        "decoder_attention_heads": spec["dec_heads"],
        "encoder_ffn_dim": spec["ffn"],
        "decoder_ffn_dim": spec["ffn"],
        "num_hidden_layers": spec["enc_layers"],
        "vocab_size": spec["vocab"],
        "max_position_embeddings": spec["max_positions"],
        "scale_embedding": spec["scale_embedding"],
        "normalize_before": False,
        "add_final_layer_norm": False,
        "normalize_embedding": True,
        "is_encoder_decoder": True,
        "tie_word_embeddings": True,
        "bos_token_id": spec["bos"],
        "pad_token_id": spec["pad"],
        "eos_token_id": spec["eos"],
        "decoder_start_token_id": spec["start"],
        "forced_bos_token_id": spec["forced_bos"],
        "forced_eos_token_id": spec["forced_eos"],
        "torch_dtype": {"F32": "float32", "BF16": "bfloat16"}[spec["dtype"]],
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def rounded(values):
    return [float("%.10g" % v) for v in values]


def main():
    torch.set_num_threads(1)
    for name, spec in MODELS.items():
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        weights = random_weights(spec)
        write_safetensors(os.path.join(folder, "model.safetensors"), weights)
        write_config(folder, spec)
        model = Bart(spec, weights)
        rng = np.random.default_rng(spec["seed"])
        allowed = [t for t in range(spec["vocab"]) if t not in (spec["pad"], spec["eos"])]
        sources = [[int(t) for t in rng.choice(allowed, size=n)] for n in LENGTHS]
        encoded, _ = model.encode(sources)
        greedy = [model.greedy(s, MAX_NEW_TOKENS) for s in sources]
        decoder_input = [spec["start"]] + greedy[1]
        encoded_one, additive_one = model.encode([sources[1]])
        logits = model.decode([decoder_input], encoded_one, additive_one)[0]
        beams = [dict(run, outputs=[model.beam_search(s, MAX_NEW_TOKENS, **run) for s in sources]) for run in BEAM_RUNS]
        expected = {
            "generator": "make_seq2seq_oracle.py (PyTorch %s, float64)" % torch.__version__,
            "sources": sources,
            "hidden": [rounded(encoded[i, : len(s)].reshape(-1).tolist()) for i, s in enumerate(sources)],
            "decoder_input": decoder_input,
            "decoder_logits": rounded(logits.reshape(-1).tolist()),
            "max_new_tokens": MAX_NEW_TOKENS,
            "greedy": greedy,
            "beam": beams,
        }
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f, separators=(",", ":"))
        print(f"{name}: greedy {greedy}")
        for run in beams:
            print(f"  beams {run['num_beams']}: {run['outputs']}")


if __name__ == "__main__":
    main()
