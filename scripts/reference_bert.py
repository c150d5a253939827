#!/usr/bin/python3
"""Independent reference for the encoder: a tiny random BERT-family checkpoint in the Hugging Face
layout, and its outputs computed with PyTorch's own nn.TransformerEncoderLayer (post-LayerNorm, GELU),
which is BERT's layer under another name. Runs with Debian's python3-torch (apt-get install
python3-torch); called by scripts/make-fixtures.mjs, which supplies the token ids.

Writes into --dir: config.json, model.safetensors (float32), model-f16.safetensors,
model-bf16.safetensors, reference.json (hidden states, pooled embeddings, contrastive-loss gradients,
all in float64 arithmetic).
"""
import argparse
import json
import math
import struct

import torch
import torch.nn as nn


def build_weights(cfg, generator):
    h, inter, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]

    def normal(*shape, std=0.2):
        return torch.randn(*shape, generator=generator, dtype=torch.float64) * std

    def ln_weight(n):
        return 1.0 + normal(n, std=0.1)

    w = {
        "embeddings.word_embeddings.weight": normal(v, h, std=0.5),
        "embeddings.position_embeddings.weight": normal(cfg["max_position_embeddings"], h, std=0.5),
        "embeddings.token_type_embeddings.weight": normal(cfg["type_vocab_size"], h, std=0.5),
        "embeddings.LayerNorm.weight": ln_weight(h),
        "embeddings.LayerNorm.bias": normal(h, std=0.1),
    }
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            w[p + f"attention.self.{name}.weight"] = normal(h, h, std=1.0 / math.sqrt(h))
            w[p + f"attention.self.{name}.bias"] = normal(h, std=0.1)
        w[p + "attention.output.dense.weight"] = normal(h, h, std=1.0 / math.sqrt(h))
        w[p + "attention.output.dense.bias"] = normal(h, std=0.1)
        w[p + "attention.output.LayerNorm.weight"] = ln_weight(h)
        w[p + "attention.output.LayerNorm.bias"] = normal(h, std=0.1)
        w[p + "intermediate.dense.weight"] = normal(inter, h, std=1.0 / math.sqrt(h))
        w[p + "intermediate.dense.bias"] = normal(inter, std=0.1)
        w[p + "output.dense.weight"] = normal(h, inter, std=1.0 / math.sqrt(inter))
        w[p + "output.dense.bias"] = normal(h, std=0.1)
        w[p + "output.LayerNorm.weight"] = ln_weight(h)
        w[p + "output.LayerNorm.bias"] = normal(h, std=0.1)
    w["pooler.dense.weight"] = normal(h, h, std=1.0 / math.sqrt(h))
    w["pooler.dense.bias"] = normal(h, std=0.1)
    return w


def torch_layers(cfg, w):
    """nn.TransformerEncoderLayer per BERT layer, parameters tied to the HF-named tensors."""
    h = cfg["hidden_size"]
    layers = []
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        layer = nn.TransformerEncoderLayer(
            d_model=h,
            nhead=cfg["num_attention_heads"],
            dim_feedforward=cfg["intermediate_size"],
            dropout=0.0,
            activation="gelu",
            layer_norm_eps=cfg["layer_norm_eps"],
            batch_first=True,
            norm_first=False,
            dtype=torch.float64,
        )
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]))
            layer.self_attn.out_proj.weight.copy_(w[p + "attention.output.dense.weight"])
            layer.self_attn.out_proj.bias.copy_(w[p + "attention.output.dense.bias"])
            layer.norm1.weight.copy_(w[p + "attention.output.LayerNorm.weight"])
            layer.norm1.bias.copy_(w[p + "attention.output.LayerNorm.bias"])
            layer.linear1.weight.copy_(w[p + "intermediate.dense.weight"])
            layer.linear1.bias.copy_(w[p + "intermediate.dense.bias"])
            layer.linear2.weight.copy_(w[p + "output.dense.weight"])
            layer.linear2.bias.copy_(w[p + "output.dense.bias"])
            layer.norm2.weight.copy_(w[p + "output.LayerNorm.weight"])
            layer.norm2.bias.copy_(w[p + "output.LayerNorm.bias"])
        # Training mode with dropout 0: same arithmetic, and it keeps PyTorch off its inference fast
        # path, which zeroes padded positions.
        layer.train()
        layers.append(layer)
    return layers


def position_ids(cfg, mask):
    if cfg["model_type"] == "xlm-roberta":
        # RoBERTa numbers real tokens from padding_idx + 1 and gives padding the padding index.
        pad = cfg["pad_token_id"]
        return (torch.cumsum(mask, dim=1) * mask + pad).long()
    return torch.arange(mask.shape[1]).unsqueeze(0).expand_as(mask).long()


def forward(cfg, w, layers, ids, mask):
    emb = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][position_ids(cfg, mask)]
        + w["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)]
    )
    x = nn.functional.layer_norm(
        emb, (cfg["hidden_size"],), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], cfg["layer_norm_eps"]
    )
    hidden = [x]
    for layer in layers:
        x = layer(x, src_key_padding_mask=(mask == 0))
        hidden.append(x)
    m = mask.unsqueeze(-1).to(x.dtype)
    pooled = (x * m).sum(1) / m.sum(1)
    return hidden, pooled / pooled.norm(dim=-1, keepdim=True)


def write_safetensors(path, tensors, dtype):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        if dtype == "F32":
            raw = t.to(torch.float32).contiguous().numpy().tobytes()
        elif dtype == "F16":
            raw = t.to(torch.float16).contiguous().numpy().tobytes()
        elif dtype == "BF16":
            raw = t.to(torch.bfloat16).contiguous().view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * ((8 - len(blob) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for c in chunks:
            f.write(c)


def rounded(t, dtype):
    return t.to(dtype).to(torch.float64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--inputs", required=True, help="JSON: {vocab_size, pad_token_id, model_type, input_ids, attention_mask}")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    spec = json.load(open(args.inputs, encoding="utf-8"))
    model_type = spec["model_type"]
    cfg = {
        "architectures": ["XLMRobertaModel" if model_type == "xlm-roberta" else "BertModel"],
        "model_type": model_type,
        "vocab_size": spec["vocab_size"],
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": 40,
        "type_vocab_size": 2 if model_type == "bert" else 1,
        "layer_norm_eps": 1e-12 if model_type == "bert" else 1e-5,
        "pad_token_id": spec["pad_token_id"],
        "initializer_range": 0.02,
    }
    g = torch.Generator().manual_seed(args.seed)
    w = build_weights(cfg, g)
    for name, t in w.items():
        # Weights as float32 can hold them, so the reference and the checkpoint agree exactly.
        w[name] = rounded(t, torch.float32).requires_grad_(True)
    layers = torch_layers(cfg, w)
    ids = torch.tensor(spec["input_ids"], dtype=torch.long)
    mask = torch.tensor(spec["attention_mask"], dtype=torch.long)

    hidden, pooled = forward(cfg, w, layers, ids, mask)

    # Contrastive loss as the trainer computes it: the first half of the batch are queries, the second
    # half their passages; cosine scores over a temperature, cross-entropy on the diagonal.
    n = ids.shape[0] // 2
    temperature = 0.05
    scores = pooled[:n] @ pooled[n : 2 * n].T / temperature
    loss = nn.functional.cross_entropy(scores, torch.arange(n))
    # Gradients flow to the named tensors through the layers' own parameters: gather both.
    params = list(w.values()) + [p for layer in layers for p in layer.parameters()]
    grads = torch.autograd.grad(loss, params, allow_unused=True)
    grad_of = {name: grads[i] for i, name in enumerate(w.keys())}
    layer_grads = grads[len(w):]
    for i in range(cfg["num_hidden_layers"]):
        it = iter(layer_grads[i * 12 : (i + 1) * 12])
        lp = dict(zip([n for n, _ in layers[i].named_parameters()], it))
        p = f"encoder.layer.{i}."
        h = cfg["hidden_size"]
        for k, name in enumerate(("query", "key", "value")):
            grad_of[p + f"attention.self.{name}.weight"] = lp["self_attn.in_proj_weight"][k * h : (k + 1) * h]
            grad_of[p + f"attention.self.{name}.bias"] = lp["self_attn.in_proj_bias"][k * h : (k + 1) * h]
        pairs = {
            "attention.output.dense.weight": "self_attn.out_proj.weight",
            "attention.output.dense.bias": "self_attn.out_proj.bias",
            "attention.output.LayerNorm.weight": "norm1.weight",
            "attention.output.LayerNorm.bias": "norm1.bias",
            "intermediate.dense.weight": "linear1.weight",
            "intermediate.dense.bias": "linear1.bias",
            "output.dense.weight": "linear2.weight",
            "output.dense.bias": "linear2.bias",
            "output.LayerNorm.weight": "norm2.weight",
            "output.LayerNorm.bias": "norm2.bias",
        }
        for hf, pt in pairs.items():
            grad_of[p + hf] = lp[pt]

    checked = [
        "embeddings.word_embeddings.weight",
        "embeddings.LayerNorm.weight",
        "encoder.layer.0.attention.self.query.weight",
        "encoder.layer.0.attention.self.key.bias",
        "encoder.layer.1.intermediate.dense.weight",
        "encoder.layer.1.output.LayerNorm.bias",
    ]

    store = {k: v.detach().to(torch.float32) for k, v in w.items()}
    json.dump(cfg, open(f"{args.dir}/config.json", "w"), indent=2)
    write_safetensors(f"{args.dir}/model.safetensors", store, "F32")
    write_safetensors(f"{args.dir}/model-f16.safetensors", store, "F16")
    write_safetensors(f"{args.dir}/model-bf16.safetensors", store, "BF16")

    def flat(t):
        return [round(float(x), 9) for x in t.detach().reshape(-1).tolist()]

    def exact(t):
        return [float(x) for x in t.detach().reshape(-1).tolist()]

    word = store["embeddings.word_embeddings.weight"]
    ref = {
        "about": "PyTorch float64 reference (scripts/reference_bert.py); nn.TransformerEncoderLayer post-LN GELU",
        "torch_version": torch.__version__,
        "input_ids": spec["input_ids"],
        "attention_mask": spec["attention_mask"],
        "texts": spec.get("texts"),
        "hidden_shape": list(hidden[-1].shape),
        "embedding_output": flat(hidden[0]),
        "last_hidden_state": flat(hidden[-1]),
        "pooled_normalized": flat(pooled),
        "loss": {"temperature": temperature, "queries": n, "value": float(loss), "gradients": {k: flat(grad_of[k]) for k in checked}},
        "decoded": {
            "f16": exact(rounded(word[:2], torch.float16)),
            "bf16": exact(rounded(word[:2], torch.bfloat16)),
        },
    }
    json.dump(ref, open(f"{args.dir}/reference.json", "w"))
    print(f"wrote {args.dir}: loss {float(loss):.6f}")


if __name__ == "__main__":
    main()
