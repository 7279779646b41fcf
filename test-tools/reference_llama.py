#!/usr/bin/env python3
"""Independent, deliberately simple PyTorch reference for a LLaMA-family decoder.

Used by the Java workbench's tests (logits of tiny random models) and by its benchmark
(`./longrope bench forward`) as a baseline. It shares no code and no design with the Java side:
the math is written the way Hugging Face `modeling_llama.py` / `modeling_rope_utils.py` write it.

Subcommands:
  make      write DIR/config.json + DIR/model.safetensors (random model, HF tensor names)
  logits    float32 CPU forward pass, raw little-endian float32 logits [T, vocab] to a file
  bench     forward-pass throughput of the bundled-preset model, JSON on stdout
  selftest  hand-checked RoPE numbers, safetensors round trips, causality, determinism

Needs only Debian's python3-torch and python3-numpy (no transformers, no safetensors package).
Errors: a message on stderr and exit status 2.
"""

import argparse
import json
import math
import os
import struct
import sys
import tempfile
import time

import numpy as np
import torch


class RefError(Exception):
    """Bad input: printed as 'reference_llama: error: ...', exit status 2."""


# --------------------------------------------------------------------------------------------
# safetensors, by hand: 8-byte little-endian header length N, N bytes of JSON, then the data.
# --------------------------------------------------------------------------------------------

DTYPE_NAMES = {"f32": "F32", "f16": "F16", "bf16": "BF16"}
TORCH_DTYPE_NAMES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16"}


def peak_rss_mb():
    """This process's own peak RSS (VmHWM). Not getrusage's ru_maxrss: a child started by the JVM
    (vfork + exec) inherits the JVM's high-water mark there, so the bench would report the Java
    side's peak as PyTorch's whenever the JVM is larger."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

def float32_to_bf16_bits(a):
    """float32 array -> uint16 bf16 bits (round to nearest even; bf16 = upper 16 bits of fp32)."""
    bits = np.ascontiguousarray(a, dtype="<f4").view("<u4").astype(np.uint64)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    return ((bits + rounding) >> 16).astype("<u2")


def bf16_bits_to_float32(u16):
    return (u16.astype("<u4") << 16).view("<f4")


def write_safetensors(path, tensors, dtype):
    """tensors: dict name -> numpy float32 array (insertion order is the file order)."""
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        array = np.asarray(array, dtype=np.float32)
        if dtype == "f32":
            blob = array.astype("<f4").tobytes()
        elif dtype == "f16":
            blob = array.astype("<f2").tobytes()
        elif dtype == "bf16":
            blob = float32_to_bf16_bits(array).tobytes()
        else:
            raise RefError(f"unknown dtype {dtype!r} (f32|f16|bf16)")
        header[name] = {
            "dtype": DTYPE_NAMES[dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        blobs.append(blob)
        offset += len(blob)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * ((8 - len(header_bytes) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    """Returns dict name -> torch float32 tensor (F32, F16 and BF16 are widened to float32)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise RefError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise RefError(f"{path}: header length {n} runs past the end of the file")
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin : base + end]
        shape = info["shape"]
        if info["dtype"] == "F32":
            array = np.frombuffer(raw, dtype="<f4")
        elif info["dtype"] == "F16":
            array = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif info["dtype"] == "BF16":
            array = bf16_bits_to_float32(np.frombuffer(raw, dtype="<u2"))
        else:
            raise RefError(f"{path}: tensor {name}: dtype {info['dtype']} not supported")
        if array.size != int(np.prod(shape)):
            raise RefError(f"{path}: tensor {name}: {array.size} values for shape {shape}")
        out[name] = torch.from_numpy(array.reshape(shape).astype(np.float32))
    return out


# --------------------------------------------------------------------------------------------
# make: random models with HF names and configs
# --------------------------------------------------------------------------------------------

FAMILIES = ("llama", "mistral", "phi3", "qwen2")
ARCHITECTURES = {
    "llama": "LlamaForCausalLM",
    "mistral": "MistralForCausalLM",
    "phi3": "Phi3ForCausalLM",
    "qwen2": "Qwen2ForCausalLM",
}


def make_config(family, preset, dtype, gen, sliding_window=None):
    if preset == "tiny":
        config = {
            "hidden_size": 64,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "num_hidden_layers": 2,
            "intermediate_size": 96,
            "vocab_size": 101,
            "max_position_embeddings": 64,
        }
    elif preset == "bundled":
        if family != "llama":
            raise RefError("--preset bundled is a llama model (use --family llama)")
        config = {
            "hidden_size": 256,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "num_hidden_layers": 6,
            "intermediate_size": 688,
            "vocab_size": 32000,
            "max_position_embeddings": 256,
        }
    else:
        raise RefError(f"unknown preset {preset!r} (tiny|bundled)")
    config = {
        "architectures": [ARCHITECTURES[family]],
        "model_type": family,
        **config,
        "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0,
        "rope_scaling": None,
        "hidden_act": "silu",
        "bos_token_id": 1,
        "eos_token_id": 2,
        "tie_word_embeddings": family == "llama",
        "torch_dtype": TORCH_DTYPE_NAMES[dtype],
    }
    if sliding_window is not None and family != "mistral":
        raise RefError("--sliding-window is only for --family mistral")
    if family == "llama":
        config["attention_bias"] = False
        config["mlp_bias"] = False
    if family == "mistral":
        config["sliding_window"] = sliding_window
    if family == "qwen2":
        config["use_sliding_window"] = False
        config["sliding_window"] = None
    if family == "phi3":
        head_dim = config["hidden_size"] // config["num_attention_heads"]
        rotary_dim = int(head_dim * 0.5)
        half = rotary_dim // 2
        short = sorted((1.0 + torch.rand(half, generator=gen, dtype=torch.float64)).tolist())
        long = sorted((1.0 + 7.0 * torch.rand(half, generator=gen, dtype=torch.float64)).tolist())
        config["partial_rotary_factor"] = 0.5
        config["original_max_position_embeddings"] = 32
        config["max_position_embeddings"] = 128
        config["sliding_window"] = None
        config["rope_scaling"] = {"type": "longrope", "short_factor": short, "long_factor": long}
    return config


def make_weights(config, family, gen):
    """Random weights (numpy float32) in HF layout: matrices are (out_features, in_features)."""
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config["num_key_value_heads"]
    head_dim = hidden // heads
    inter = config["intermediate_size"]
    vocab = config["vocab_size"]

    def matrix(rows, cols):
        return (torch.randn(rows, cols, generator=gen) * 0.02).numpy()

    def vector(n):
        return (torch.randn(n, generator=gen) * 0.02).numpy()

    def norm(n):
        return (1.0 + 0.1 * torch.randn(n, generator=gen)).numpy()

    w = {"model.embed_tokens.weight": matrix(vocab, hidden)}
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm(hidden)
        q = matrix(heads * head_dim, hidden)
        k = matrix(kv_heads * head_dim, hidden)
        v = matrix(kv_heads * head_dim, hidden)
        if family == "phi3":
            w[p + "self_attn.qkv_proj.weight"] = np.concatenate([q, k, v], axis=0)
        else:
            w[p + "self_attn.q_proj.weight"] = q
            w[p + "self_attn.k_proj.weight"] = k
            w[p + "self_attn.v_proj.weight"] = v
        if family == "qwen2":
            w[p + "self_attn.q_proj.bias"] = vector(heads * head_dim)
            w[p + "self_attn.k_proj.bias"] = vector(kv_heads * head_dim)
            w[p + "self_attn.v_proj.bias"] = vector(kv_heads * head_dim)
        w[p + "self_attn.o_proj.weight"] = matrix(hidden, heads * head_dim)
        w[p + "post_attention_layernorm.weight"] = norm(hidden)
        gate = matrix(inter, hidden)
        up = matrix(inter, hidden)
        if family == "phi3":
            w[p + "mlp.gate_up_proj.weight"] = np.concatenate([gate, up], axis=0)
        else:
            w[p + "mlp.gate_proj.weight"] = gate
            w[p + "mlp.up_proj.weight"] = up
        w[p + "mlp.down_proj.weight"] = matrix(hidden, inter)
    w["model.norm.weight"] = norm(hidden)
    if not config["tie_word_embeddings"]:
        w["lm_head.weight"] = matrix(vocab, hidden)
    return w


def make_model(family, preset, seed, dtype, sliding_window=None):
    gen = torch.Generator().manual_seed(seed)
    config = make_config(family, preset, dtype, gen, sliding_window)
    return config, make_weights(config, family, gen)


def cmd_make(args):
    config, weights = make_model(
        args.family, args.preset, args.seed, args.dtype, args.sliding_window
    )
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(args.out, "model.safetensors"), weights, args.dtype)
    print(f"wrote {args.out}/config.json and model.safetensors ({len(weights)} tensors)",
          file=sys.stderr)


# --------------------------------------------------------------------------------------------
# loading: fused Phi-3 tensors are split here, so the forward pass sees one layout
# --------------------------------------------------------------------------------------------

def load_model(model_dir):
    config_path = os.path.join(model_dir, "config.json")
    weights_path = os.path.join(model_dir, "model.safetensors")
    if not os.path.isfile(config_path):
        raise RefError(f"{config_path}: not found")
    if not os.path.isfile(weights_path):
        raise RefError(f"{weights_path}: not found")
    with open(config_path) as f:
        config = json.load(f)
    return config, prepare_weights(config, read_safetensors(weights_path))


def head_dim_of(config):
    return config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]


def prepare_weights(config, raw):
    """raw: dict name -> float32 tensor. Returns the same with qkv_proj / gate_up_proj split."""
    w = dict(raw)
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = head_dim_of(config)
    inter = config["intermediate_size"]
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        if p + "self_attn.qkv_proj.weight" in w:
            qkv = w.pop(p + "self_attn.qkv_proj.weight")
            nq, nk = heads * head_dim, kv_heads * head_dim
            w[p + "self_attn.q_proj.weight"] = qkv[:nq]
            w[p + "self_attn.k_proj.weight"] = qkv[nq : nq + nk]
            w[p + "self_attn.v_proj.weight"] = qkv[nq + nk :]
        if p + "mlp.gate_up_proj.weight" in w:
            gate_up = w.pop(p + "mlp.gate_up_proj.weight")
            w[p + "mlp.gate_proj.weight"] = gate_up[:inter]
            w[p + "mlp.up_proj.weight"] = gate_up[inter:]
    if "lm_head.weight" not in w:
        if not config.get("tie_word_embeddings", True):
            raise RefError("lm_head.weight missing and tie_word_embeddings is false")
        w["lm_head.weight"] = w["model.embed_tokens.weight"]
    return w


# --------------------------------------------------------------------------------------------
# RoPE: inverse frequencies and attention scale per variant, then cos/sin tables
# --------------------------------------------------------------------------------------------

# Where each RoPE key is read: the precedence of transformers v5 (the workbench's HfRopeRules
# follows the same table, docs/method.md "HF config.json keys"). rs is the RoPE object in use
# (the config's, or a --rope-scaling override); its keys come before the top level's.

def rotary_dim_of(config, rs=None):
    """int(head_dim * partial_rotary_factor): inside the RoPE object, else top level, else 1."""
    if rs and rs.get("partial_rotary_factor") is not None:
        partial = float(rs["partial_rotary_factor"])
    else:
        partial = float(config.get("partial_rotary_factor", 1.0))
    return int(head_dim_of(config) * partial)


def rope_theta_of(config, rs=None):
    """rope_theta: inside the RoPE object, else top level, else 10000."""
    if rs and rs.get("rope_theta") is not None:
        return float(rs["rope_theta"])
    if "rope_theta" in config:
        return float(config["rope_theta"])
    return 10000.0


def rope_scaling_of(config):
    """The RoPE object: rope_scaling unless null or empty, else rope_parameters; None for none."""
    rs = config.get("rope_scaling")
    if rs:
        return rs
    params = config.get("rope_parameters")
    return params if params is not None else rs


PHI3_DEFAULT_ORIGINAL = 4096  # Phi3Config's class default for the top-level key


def original_length(config, rs, kind):
    """The pre-training length L a scaling refers to, as transformers v5 reads it.

    dynamic: max_position_embeddings, always (the inner or top-level original is ignored);
    yarn, llama3, longrope: the top-level original_max_position_embeddings (phi3: 4096 when
    absent), else the one inside the RoPE object, else max_position_embeddings.
    """
    top = config.get("original_max_position_embeddings")
    inner = rs.get("original_max_position_embeddings")
    max_pos = config.get("max_position_embeddings")
    if kind == "dynamic":
        order = (max_pos, inner, top)
    else:
        if top is None and config.get("model_type") == "phi3":
            top = PHI3_DEFAULT_ORIGINAL
        order = (top, inner, max_pos)
    for value in order:
        if value is not None:
            return int(value)
    raise RefError("original_max_position_embeddings is required (in rope_scaling or config)")


def required(rs, key):
    if rs.get(key) is None:
        raise RefError(f"rope_scaling: {key!r} is required for type {rope_type_of(rs)!r}")
    return rs[key]


def rope_type_of(rs):
    if rs is None:
        return "default"
    t = rs.get("rope_type", rs.get("type", "default"))
    return "longrope" if t == "su" else t


def yarn_get_mscale(factor, mscale=1.0):
    if factor <= 1:
        return 1.0
    return 0.1 * mscale * math.log(factor) + 1.0


def rope_frequencies(config, rs, seq_len, layer):
    """Returns (inv_freq float64 [d/2], attention_scale, start_tokens).

    seq_len is the length of this forward pass (dynamic NTK and the longrope short/long switch
    depend on it); layer picks the row of per-layer longrope factors.
    """
    d = rotary_dim_of(config, rs)
    base = rope_theta_of(config, rs)
    i = torch.arange(d // 2, dtype=torch.float64)
    theta = base ** (-2.0 * i / d)  # θ_i = base^(-2i/d), float64
    kind = rope_type_of(rs)

    if kind == "default":
        return theta, 1.0, 0

    if kind == "linear":
        return theta / float(required(rs, "factor")), 1.0, 0

    if kind == "ntk":  # workbench type: static NTK-aware, λ_i = s^(2i/(d-2))
        s = float(required(rs, "factor"))
        return theta / s ** (2.0 * i / (d - 2)), 1.0, 0

    if kind == "dynamic":
        s = float(required(rs, "factor"))
        L = original_length(config, rs, kind)
        n = max(seq_len, L)
        new_base = base * (s * n / L - (s - 1)) ** (d / (d - 2))
        return new_base ** (-2.0 * i / d), 1.0, 0

    if kind == "yarn":
        s = float(required(rs, "factor"))
        L = original_length(config, rs, kind)
        beta_fast = float(rs.get("beta_fast") or 32)
        beta_slow = float(rs.get("beta_slow") or 1)

        def correction_dim(rotations):
            return d * math.log(L / (rotations * 2 * math.pi)) / (2 * math.log(base))

        low = correction_dim(beta_fast)
        high = correction_dim(beta_slow)
        if rs.get("truncate", True):
            low = math.floor(low)
            high = math.ceil(high)
        low = max(low, 0)
        high = min(high, d - 1)
        if low == high:
            high += 0.001
        ramp = torch.clamp((i - low) / (high - low), 0, 1)
        inv = theta * (1 - ramp + ramp / s)
        if rs.get("attention_factor") is not None:
            scale = float(rs["attention_factor"])
        elif rs.get("mscale") and rs.get("mscale_all_dim"):  # DeepSeek spelling, as HF
            scale = yarn_get_mscale(s, rs["mscale"]) / yarn_get_mscale(s, rs["mscale_all_dim"])
        else:
            scale = yarn_get_mscale(s)
        return inv, scale, 0

    if kind == "llama3":
        s = float(required(rs, "factor"))
        low_ff = float(required(rs, "low_freq_factor"))
        high_ff = float(required(rs, "high_freq_factor"))
        L = original_length(config, rs, kind)
        low_freq_wavelen = L / low_ff
        high_freq_wavelen = L / high_ff
        inv = []
        for t in theta.tolist():
            wavelen = 2 * math.pi / t
            if wavelen < high_freq_wavelen:
                inv.append(t)
            elif wavelen > low_freq_wavelen:
                inv.append(t / s)
            else:
                smooth = (L / wavelen - low_ff) / (high_ff - low_ff)
                inv.append((1 - smooth) * t / s + smooth * t)
        return torch.tensor(inv, dtype=torch.float64), 1.0, 0

    if kind == "longrope":
        if rs.get("dynamic"):
            raise RefError("rope_scaling: longrope 'dynamic' is not implemented in the reference")
        L = original_length(config, rs, kind)
        if rs.get("factor") is not None:
            s = float(rs["factor"])
        else:
            s = config["max_position_embeddings"] / L
        long_regime = seq_len > L
        long_factor = required(rs, "long_factor")
        short_factor = rs.get("short_factor") or long_factor
        factors = long_factor if long_regime else short_factor
        if len(factors) > 0 and isinstance(factors[0], list):  # per-layer rows
            factors = factors[layer]
        if len(factors) != d // 2:
            raise RefError(f"rope_scaling: {len(factors)} factors, expected d/2 = {d // 2}")
        inv = theta / torch.tensor(factors, dtype=torch.float64)

        def policy_scale(policy):
            if isinstance(policy, (int, float)):
                return float(policy)
            if s <= 1:
                return 1.0
            if policy == "yarn":
                return 0.1 * math.log(s) + 1.0
            if policy == "su":
                return math.sqrt(1 + math.log(s) / math.log(L))
            raise RefError(f"rope_scaling: unknown magnitude policy {policy!r} (su|yarn)")

        if rs.get("attention_factor") is not None:
            scale = float(rs["attention_factor"])
        else:
            scale = policy_scale(rs.get("magnitude_policy") or "su")
        if long_regime and rs.get("long_mscale") is not None:
            scale = float(rs["long_mscale"])
        if not long_regime:
            if rs.get("short_mscale") is not None:
                scale = float(rs["short_mscale"])
            elif rs.get("short_magnitude_policy") is not None:
                scale = policy_scale(rs["short_magnitude_policy"])
        return inv, scale, int(rs.get("start_tokens") or 0)

    raise RefError(f"rope_scaling: unknown type {kind!r}")


def rope_cos_sin(config, rs, seq_len, layer):
    """cos/sin tables [seq_len, d] in float32, attention scale folded in.

    The angle p·inv_freq is computed in float64 and cos/sin are rounded to float32 once (HF
    computes the product in float32 instead; that differs by ~1e-3 rad at p = 100k).
    Start tokens: positions p < n̂ use the original θ with scale 1; p >= n̂ use the rescaled
    inv_freq at their true position p.
    """
    inv, scale, start_tokens = rope_frequencies(config, rs, seq_len, layer)
    d = rotary_dim_of(config, rs)
    base = rope_theta_of(config, rs)
    theta = base ** (-2.0 * torch.arange(d // 2, dtype=torch.float64) / d)
    positions = torch.arange(seq_len, dtype=torch.float64)
    angles = positions[:, None] * inv[None, :]
    scales = torch.full((seq_len, 1), scale, dtype=torch.float64)
    if start_tokens > 0:
        n = min(start_tokens, seq_len)
        angles[:n] = positions[:n, None] * theta[None, :]
        scales[:n] = 1.0
    emb = torch.cat([angles, angles], dim=-1)  # HF rotate-half layout: pair i = (i, i + d/2)
    cos = (torch.cos(emb) * scales).to(torch.float32)
    sin = (torch.sin(emb) * scales).to(torch.float32)
    return cos, sin


def rope_tables(config, rs, seq_len):
    """One (cos, sin) per layer; the same table unless longrope factors are per layer."""
    layers = config["num_hidden_layers"]
    per_layer = (
        rope_type_of(rs) == "longrope"
        and any(
            isinstance(rs.get(k), list) and len(rs[k]) > 0 and isinstance(rs[k][0], list)
            for k in ("long_factor", "short_factor")
        )
    )
    if not per_layer:
        table = rope_cos_sin(config, rs, seq_len, 0)
        return [table] * layers
    return [rope_cos_sin(config, rs, seq_len, layer) for layer in range(layers)]


# --------------------------------------------------------------------------------------------
# forward pass (float32, CPU)
# --------------------------------------------------------------------------------------------

def rms_norm(x, weight, eps):
    variance = x.pow(2).mean(-1, keepdim=True)
    return x * torch.rsqrt(variance + eps) * weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def apply_rope(x, cos, sin, rotary_dim):
    """x: [heads, T, head_dim]; only the first rotary_dim dims of each head rotate."""
    x_rot = x[..., :rotary_dim]
    x_pass = x[..., rotary_dim:]
    x_rot = x_rot * cos + rotate_half(x_rot) * sin
    return torch.cat([x_rot, x_pass], dim=-1)


def causal_mask(q_positions, k_positions, window):
    """True where key j is visible to query i: 0 <= i - j (< window when a window is set)."""
    diff = q_positions[:, None] - k_positions[None, :]
    visible = diff >= 0
    if window is not None:
        visible = visible & (diff < window)
    return visible


def attention_plain(q, k, v, window):
    """q: [H, T, hd]; k, v: [H, T, hd] (K/V heads already repeated)."""
    T = q.shape[1]
    scores = torch.matmul(q, k.transpose(1, 2)) / math.sqrt(q.shape[-1])
    positions = torch.arange(T)
    scores = scores.masked_fill(~causal_mask(positions, positions, window), float("-inf"))
    probs = torch.softmax(scores, dim=-1, dtype=torch.float32)
    return torch.matmul(probs, v)


def attention_chunked(q, k, v, window, chunk):
    """Same math as attention_plain, one block of `chunk` queries at a time (bench only);
    keys after the block's last query are all masked, so they are left out."""
    T = q.shape[1]
    out = torch.empty_like(q)
    positions = torch.arange(T)
    for start in range(0, T, chunk):
        end = min(start + chunk, T)
        scores = torch.matmul(q[:, start:end], k[:, :end].transpose(1, 2)) / math.sqrt(q.shape[-1])
        visible = causal_mask(positions[start:end], positions[:end], window)
        scores = scores.masked_fill(~visible, float("-inf"))
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32)
        out[:, start:end] = torch.matmul(probs, v[:, :end])
    return out


def sliding_window_of(config):
    if config.get("model_type") == "qwen2" and config.get("use_sliding_window"):
        raise RefError("qwen2 use_sliding_window=true (max_window_layers) is not implemented")
    if config.get("model_type") == "qwen2":
        return None
    return config.get("sliding_window")


def linear(x, weights, name):
    y = torch.matmul(x, weights[name + ".weight"].t())
    if name + ".bias" in weights:
        y = y + weights[name + ".bias"]
    return y


def decoder_layer(config, weights, layer, x, cos, sin, attn_chunk=None):
    """One pre-norm block: x [T, hidden] -> x [T, hidden]."""
    T = x.shape[0]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = head_dim_of(config)
    rotary_dim = cos.shape[-1]  # the RoPE object may set partial_rotary_factor
    eps = config["rms_norm_eps"]
    window = sliding_window_of(config)
    p = f"model.layers.{layer}."
    n = rms_norm(x, weights[p + "input_layernorm.weight"], eps)
    q = linear(n, weights, p + "self_attn.q_proj").view(T, heads, head_dim).transpose(0, 1)
    k = linear(n, weights, p + "self_attn.k_proj").view(T, kv_heads, head_dim).transpose(0, 1)
    v = linear(n, weights, p + "self_attn.v_proj").view(T, kv_heads, head_dim).transpose(0, 1)
    q = apply_rope(q, cos, sin, rotary_dim)
    k = apply_rope(k, cos, sin, rotary_dim)
    # GQA: query head h reads K/V head h // (heads / kv_heads)
    k = k.repeat_interleave(heads // kv_heads, dim=0)
    v = v.repeat_interleave(heads // kv_heads, dim=0)
    if attn_chunk is None:
        a = attention_plain(q, k, v, window)
    else:
        a = attention_chunked(q, k, v, window, attn_chunk)
    a = a.transpose(0, 1).reshape(T, heads * head_dim)
    h = x + linear(a, weights, p + "self_attn.o_proj")
    n = rms_norm(h, weights[p + "post_attention_layernorm.weight"], eps)
    gate = linear(n, weights, p + "mlp.gate_proj")
    up = linear(n, weights, p + "mlp.up_proj")
    return h + linear(torch.nn.functional.silu(gate) * up, weights, p + "mlp.down_proj")


def decoder(config, weights, ids, rope_scaling, attn_chunk=None, table_length=None):
    """Token ids -> final RMS-normed hidden states [T, hidden].

    table_length: compute the RoPE tables for this many tokens instead of len(ids) (a table chosen
    once for a declared maximum length) and use their first len(ids) rows.
    """
    T = len(ids)
    tables = rope_tables(config, rope_scaling, table_length or T)
    if table_length:
        tables = [(cos[:T], sin[:T]) for cos, sin in tables]

    x = weights["model.embed_tokens.weight"][torch.tensor(ids, dtype=torch.long)]
    for layer in range(config["num_hidden_layers"]):
        cos, sin = tables[layer]
        x = decoder_layer(config, weights, layer, x, cos, sin, attn_chunk)
    return rms_norm(x, weights["model.norm.weight"], config["rms_norm_eps"])


def forward_logits(config, weights, ids, rope_scaling, table_length=None):
    """The plain, simple path used by `logits` and `generate`: [T, vocab] float32."""
    x = decoder(config, weights, ids, rope_scaling, table_length=table_length)
    return torch.matmul(x, weights["lm_head.weight"].t())


# --------------------------------------------------------------------------------------------
# logits
# --------------------------------------------------------------------------------------------

def parse_ids(args, vocab):
    if args.ids is not None:
        try:
            ids = [int(t) for t in args.ids.split(",") if t.strip() != ""]
        except ValueError:
            raise RefError(f"--ids: not a comma-separated list of integers: {args.ids!r}")
    else:
        with open(args.ids_file) as f:
            ids = json.load(f)
        if not isinstance(ids, list) or not all(isinstance(t, int) for t in ids):
            raise RefError(f"{args.ids_file}: expected a JSON array of integers")
    if not ids:
        raise RefError("no token ids")
    bad = [t for t in ids if t < 0 or t >= vocab]
    if bad:
        raise RefError(f"token id {bad[0]} outside [0, {vocab})")
    return ids


def resolve_rope_scaling(config, override):
    if override is None:
        return rope_scaling_of(config)
    try:
        value = json.loads(override)
    except json.JSONDecodeError as e:
        raise RefError(f"--rope-scaling: not JSON: {e}")
    if value is not None and not isinstance(value, dict):
        raise RefError("--rope-scaling: expected a JSON object or null")
    return value


def cmd_logits(args):
    if args.threads:
        torch.set_num_threads(args.threads)
    config, weights = load_model(args.model)
    ids = parse_ids(args, config["vocab_size"])
    rs = resolve_rope_scaling(config, args.rope_scaling)
    with torch.no_grad():
        logits = forward_logits(config, weights, ids, rs)
    array = logits.numpy().astype("<f4")
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(array.tobytes())
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: float32 [{array.shape[0]}, {array.shape[1]}]", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# generate
# --------------------------------------------------------------------------------------------

def eos_ids(config):
    eos = config.get("eos_token_id")
    if eos is None:
        return set()
    return set(eos) if isinstance(eos, list) else {eos}


def cmd_generate(args):
    """Greedy decoding by full forwards (no cache): each step runs the whole sequence again, so a
    length-dependent RoPE (longrope's short/long switch, dynamic NTK) is recomputed at every length,
    as transformers does. --table-length fixes the table for one length instead."""
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.max_new_tokens < 1:
        raise RefError("--max-new-tokens must be >= 1")
    config, weights = load_model(args.model)
    ids = parse_ids(args, config["vocab_size"])
    rs = resolve_rope_scaling(config, args.rope_scaling)
    eos = eos_ids(config)
    seq = list(ids)
    generated = []
    with torch.no_grad():
        # the prompt's last-position logits under its own table (as `logits` computes them)
        last = forward_logits(config, weights, ids, rs)[-1]
        for _ in range(args.max_new_tokens):
            row = forward_logits(config, weights, seq, rs, args.table_length)[-1]
            nxt = int(torch.argmax(row))
            generated.append(nxt)
            seq.append(nxt)
            if nxt in eos:
                break
    top = torch.topk(last, args.top_k)
    result = {
        "generated": generated,
        "top_k": [[int(i), float(v)] for v, i in zip(top.values, top.indices)],
        "last_logits": [float(v) for v in last],
    }
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {len(generated)} tokens", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# bench
# --------------------------------------------------------------------------------------------

def bench_forward(config, weights, ids, chunk=1024):
    """One forward pass at bench scale: chunked attention, LM head over every position in
    row blocks of `chunk` (the logits are computed, then dropped, to keep memory flat)."""
    x = decoder(config, weights, ids, rope_scaling_of(config), attn_chunk=chunk)
    lm_head = weights["lm_head.weight"].t()
    for start in range(0, x.shape[0], chunk):
        torch.matmul(x[start : start + chunk], lm_head)


def loaded_blas_libraries():
    """Paths of the BLAS libraries mapped into this process (Linux), for the stderr report."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return sorted(paths)
    except OSError:
        return []


def cmd_bench(args):
    torch.set_num_threads(args.threads)
    if args.model:
        config, weights = load_model(args.model)
    else:
        print("building the bundled-preset llama model (seed 0)", file=sys.stderr)
        config, raw = make_model("llama", "bundled", 0, "f32")
        weights = prepare_weights(config, {k: torch.from_numpy(v) for k, v in raw.items()})
    lengths = [int(t) for t in args.lengths.split(",") if t.strip()]
    gen = torch.Generator().manual_seed(1234)
    rows = []
    with torch.no_grad():
        for T in lengths:
            ids = torch.randint(0, config["vocab_size"], (T,), generator=gen).tolist()
            print(f"length {T}: warm-up", file=sys.stderr)
            bench_forward(config, weights, ids)
            best = float("inf")
            for r in range(args.repeats):
                t0 = time.perf_counter()
                bench_forward(config, weights, ids)
                dt = time.perf_counter() - t0
                best = min(best, dt)
                print(f"length {T}: repeat {r + 1}/{args.repeats}: {dt:.3f} s", file=sys.stderr)
            rows.append({"length": T, "tok_s": T / best, "seconds": best})
        a = torch.randn(4096, 256, generator=gen)
        b = torch.randn(256, 688, generator=gen)
        torch.matmul(a, b)
        best = float("inf")
        for _ in range(10):
            t0 = time.perf_counter()
            torch.matmul(a, b)
            best = min(best, time.perf_counter() - t0)
        gflops = 2.0 * 4096 * 256 * 688 / best / 1e9
    print(f"torch {torch.__version__}, BLAS: {', '.join(loaded_blas_libraries()) or 'unknown'}",
          file=sys.stderr)
    if gflops < 20:
        print("warning: matmul below 20 GFLOP/s: torch is probably on Debian's reference BLAS;"
              " apt-get install libopenblas0-pthread switches libblas.so.3 to OpenBLAS",
              file=sys.stderr)
    result = {"threads": args.threads, "rows": rows, "matmul_gflops": gflops}
    if args.json:
        print(json.dumps(result))
    else:
        for row in rows:
            print(f"length {row['length']:>6}: {row['tok_s']:10.1f} tok/s  ({row['seconds']:.3f} s)")
        print(f"matmul [4096x256]@[256x688]: {gflops:.1f} GFLOP/s")


# --------------------------------------------------------------------------------------------
# bench-train
# --------------------------------------------------------------------------------------------

def sequence_loss(config, weights, ids, tables, checkpointing):
    """Mean next-token NLL of one sequence; with checkpointing each layer's activations are
    recomputed in the backward pass (torch.utils.checkpoint), as the Java trainer does."""
    x = weights["model.embed_tokens.weight"][torch.tensor(ids, dtype=torch.long)]
    for layer in range(config["num_hidden_layers"]):
        cos, sin = tables[layer]
        if checkpointing:
            x = torch.utils.checkpoint.checkpoint(
                decoder_layer, config, weights, layer, x, cos, sin, use_reentrant=False)
        else:
            x = decoder_layer(config, weights, layer, x, cos, sin)
    h = rms_norm(x, weights["model.norm.weight"], config["rms_norm_eps"])[:-1]
    logits = torch.matmul(h, weights["lm_head.weight"].t())
    targets = torch.tensor(ids[1:], dtype=torch.long)
    return torch.nn.functional.cross_entropy(logits, targets)


def cmd_bench_train(args):
    """Training steps of the bundled-preset model: per step `batch` sequences of `context`
    random tokens, each forward+backward with gradients accumulated (scaled 1/batch), then
    gradient clipping at 1.0 and one AdamW update — the same work as the Java trainer's step."""
    import resource
    import torch.utils.checkpoint  # noqa: F401
    torch.set_num_threads(args.threads)
    config, raw = make_model("llama", "bundled", 0, "f32")
    weights = prepare_weights(config, {k: torch.from_numpy(v) for k, v in raw.items()})
    params = {id(t): t for t in weights.values()}.values()  # tied lm_head: one leaf
    for t in params:
        t.requires_grad_(True)
    params = list(params)
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    tables = rope_tables(config, rope_scaling_of(config), args.context)
    gen = torch.Generator().manual_seed(args.context)

    def step():
        for _ in range(args.batch):
            ids = torch.randint(3, config["vocab_size"], (args.context,), generator=gen).tolist()
            loss = sequence_loss(config, weights, ids, tables, args.checkpointing)
            (loss / args.batch).backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)

    step()  # warm-up
    t0 = time.perf_counter()
    for s in range(args.steps):
        step()
        print(f"context {args.context}: step {s + 1}/{args.steps}", file=sys.stderr)
    seconds = time.perf_counter() - t0
    tokens = args.steps * args.batch * args.context
    result = {
        "context": args.context,
        "batch": args.batch,
        "steps": args.steps,
        "checkpointing": args.checkpointing,
        "threads": args.threads,
        "tok_s": tokens / seconds,
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(result) if args.json else
          f"context {args.context} checkpointing {args.checkpointing}:"
          f" {result['tok_s']:.1f} tok/s, peak RSS {result['peak_rss_mb']:.0f} MB")


# --------------------------------------------------------------------------------------------
# selftest
# --------------------------------------------------------------------------------------------

def check_close(what, got, want, tol):
    got = [float(g) for g in got]
    want = [float(w) for w in want]
    worst = max(abs(g - w) for g, w in zip(got, want))
    if len(got) != len(want) or worst > tol:
        raise AssertionError(f"{what}: got {got}, want {want} (max diff {worst:.3g} > {tol})")
    print(f"ok  {what} (max diff {worst:.2e})", file=sys.stderr)


def cmd_selftest(args):
    # d = 8 rotary dims, base 10000: θ = [1, 0.1, 0.01, 0.001]
    cfg = {"hidden_size": 8, "num_attention_heads": 1, "num_hidden_layers": 1,
           "rope_theta": 10000.0, "max_position_embeddings": 131072}

    # 1. longrope by hand: λ = [1, 1.5, 3, 4], L = 4096, s = 32, long regime (T = 5001 > 4096)
    rs = {"type": "longrope", "factor": 32, "original_max_position_embeddings": 4096,
          "short_factor": [1, 1, 1, 1], "long_factor": [1, 1.5, 3, 4]}
    inv, scale, _ = rope_frequencies(cfg, rs, 5001, 0)
    check_close("longrope inv_freq", inv, [1.0, 1 / 15, 1 / 300, 1 / 4000], 1e-15)
    check_close("longrope scale sqrt(17/12)", [scale], [1.190238071], 1e-9)
    cos, sin = rope_cos_sin(cfg, rs, 5001, 0)
    want_cos = [0.1840922255, 1.128115285, -0.683888977, 0.3753086805]
    check_close("longrope cos at p=5000 (scaled)", cos[5000, :4], want_cos, 1e-6)
    check_close("cos duplicated for pair i + d/2", cos[5000, 4:], want_cos, 1e-6)
    s = math.sqrt(17 / 12)
    want_sin = [s * math.sin(5000.0), s * math.sin(1000 / 3), s * math.sin(50 / 3),
                s * math.sin(1.25)]
    check_close("longrope sin at p=5000 (scaled)", sin[5000, :4], want_sin, 1e-6)
    # short regime at T = 4096: factors all 1, same su scale
    inv, scale, _ = rope_frequencies(cfg, rs, 4096, 0)
    check_close("longrope short regime at T = L", list(inv) + [scale],
                [1, 0.1, 0.01, 0.001, 1.190238071], 1e-9)
    # start tokens n̂ = 4: p = 3 original, unscaled; p = 5000 unchanged
    cos_st, _ = rope_cos_sin(cfg, dict(rs, start_tokens=4), 5001, 0)
    check_close("start token p=3 original", cos_st[3, :4],
                [math.cos(3.0), math.cos(0.3), math.cos(0.03), math.cos(0.003)], 1e-6)
    check_close("start tokens: p=5000 rescaled", cos_st[5000, :4], want_cos, 1e-6)
    check_close("start tokens: p=4 rescaled", cos_st[4, :1], [s * math.cos(4.0)], 1e-6)
    # factor from max_position_embeddings / L, long_mscale, yarn policy
    _, scale, _ = rope_frequencies(cfg, dict(rs, factor=None), 5001, 0)
    check_close("longrope factor = 131072/4096", [scale], [math.sqrt(1 + 5 / 12)], 1e-12)
    _, scale, _ = rope_frequencies(cfg, dict(rs, magnitude_policy="yarn"), 5001, 0)
    check_close("longrope yarn magnitude", [scale], [0.1 * math.log(32) + 1], 1e-12)
    _, scale, _ = rope_frequencies(cfg, dict(rs, long_mscale=1.5, short_mscale=1.1), 5001, 0)
    check_close("long_mscale", [scale], [1.5], 0)
    _, scale, _ = rope_frequencies(cfg, dict(rs, long_mscale=1.5, short_mscale=1.1), 100, 0)
    check_close("short_mscale", [scale], [1.1], 0)
    per_layer = dict(rs, long_factor=[[1, 1, 1, 1], [1, 2, 4, 8]])
    inv, _, _ = rope_frequencies(cfg, per_layer, 5001, 1)
    check_close("per-layer longrope row 1", inv, [1, 0.05, 0.0025, 0.000125], 1e-15)

    # 2. yarn, s = 16, L = 4096: corr(32) = 1.31 -> 1, corr(1) = 2.81 -> 3, ramp = [0, 0, .5, 1]
    rs = {"rope_type": "yarn", "factor": 16, "original_max_position_embeddings": 4096}
    inv, scale, _ = rope_frequencies(cfg, rs, 10, 0)
    check_close("yarn inv_freq", inv, [1, 0.1, 0.01 * (0.5 + 0.5 / 16), 0.001 / 16], 1e-15)
    check_close("yarn scale", [scale], [1.2772588722239781], 1e-12)
    inv, _, _ = rope_frequencies(cfg, dict(rs, truncate=False), 10, 0)
    lo = 8 * math.log(4096 / (2 * math.pi * 32)) / (2 * math.log(10000))
    hi = 8 * math.log(4096 / (2 * math.pi * 1)) / (2 * math.log(10000))
    r = [min(max((i - lo) / (hi - lo), 0), 1) for i in range(4)]
    want = [t * (1 - ri + ri / 16) for t, ri in zip([1, 0.1, 0.01, 0.001], r)]
    check_close("yarn truncate=false", inv, want, 1e-15)

    # 3. llama3, s = 8, L = 1024, low 1, high 4: wavelens 6.28, 62.8 keep; 628 blends; 6283 / s
    rs = {"rope_type": "llama3", "factor": 8, "low_freq_factor": 1, "high_freq_factor": 4,
          "original_max_position_embeddings": 1024}
    inv, _, _ = rope_frequencies(cfg, rs, 10, 0)
    sm = (1024 / (2 * math.pi / 0.01) - 1) / 3
    check_close("llama3 inv_freq", inv, [1, 0.1, (1 - sm) * 0.01 / 8 + sm * 0.01, 0.001 / 8],
                1e-15)

    # 4. dynamic, s = 2, L = max_position_embeddings = 64, T = 128: base' = 10000 * 3^(8/6);
    #    T = 10 -> plain; an original_max_position_embeddings (inner or top) is ignored
    rs = {"type": "dynamic", "factor": 2, "original_max_position_embeddings": 16}
    cfg64 = dict(cfg, max_position_embeddings=64, original_max_position_embeddings=32)
    inv, _, _ = rope_frequencies(cfg64, rs, 128, 0)
    b2 = 10000 * 3 ** (4 / 3)
    check_close("dynamic inv_freq (L = max_position_embeddings)", inv,
                [b2 ** (-i / 4) for i in range(4)], 1e-15)
    inv, _, _ = rope_frequencies(cfg64, rs, 10, 0)
    check_close("dynamic below L", inv, [1, 0.1, 0.01, 0.001], 1e-15)
    inv, _, _ = rope_frequencies(cfg, {"type": "linear", "factor": 4}, 10, 0)
    check_close("linear", inv, [0.25, 0.025, 0.0025, 0.00025], 1e-15)

    # where L is read (transformers v5): the top level before the RoPE object; dynamic NTK
    # always max_position_embeddings. HF's dynamic example: d = 64, max 16384, original 4096,
    # T = 8192 -> plain RoPE, last inv_freq 10000^(-62/64) = 1.3335e-4
    big = {"head_dim": 64, "rope_theta": 10000.0, "max_position_embeddings": 16384,
           "original_max_position_embeddings": 4096}
    inv, _, _ = rope_frequencies(big, {"rope_type": "dynamic", "factor": 4}, 8192, 0)
    check_close("dynamic ignores original_max_position_embeddings", [inv[-1]],
                [10000 ** (-62 / 64)], 1e-15)
    # longrope, top 256 and inner 512, max 2048, T = 300: L = 256, long regime, s = 8
    top = dict(cfg, max_position_embeddings=2048, original_max_position_embeddings=256)
    rs = {"rope_type": "longrope", "original_max_position_embeddings": 512,
          "short_factor": [1, 1, 1, 1], "long_factor": [1, 2, 4, 8]}
    inv, scale, _ = rope_frequencies(top, rs, 300, 0)
    check_close("longrope top-level L: long regime, attention scale", list(inv) + [scale],
                [1, 0.05, 0.0025, 0.000125, math.sqrt(1 + math.log(8) / math.log(256))], 1e-12)
    for kind in ("yarn", "llama3", "longrope"):
        assert original_length(top, rs, kind) == 256, f"{kind}: top-level L first"
        assert original_length(cfg, rs, kind) == 512, f"{kind}: inner L without a top level"
        assert original_length(dict(cfg, model_type="phi3"), rs, kind) == 4096, "phi3 default"
    assert original_length(top, {}, "longrope") == 256
    assert original_length(dict(cfg, max_position_embeddings=300), {}, "yarn") == 300
    print("ok  original length precedence (top level, phi3 default, inner, max)", file=sys.stderr)
    # rope_theta and partial_rotary_factor inside the RoPE object first (v5's rope_parameters)
    assert rope_theta_of(cfg, {"rope_theta": 500000.0}) == 500000.0
    assert rotary_dim_of(cfg, {"partial_rotary_factor": 0.5}) == 4
    assert rope_scaling_of({"rope_scaling": {}, "rope_parameters": {"rope_type": "yarn"}}) \
        == {"rope_type": "yarn"}, "an empty rope_scaling defers to rope_parameters"
    print("ok  rope_theta / partial_rotary_factor / RoPE object precedence", file=sys.stderr)

    # 5. safetensors round trips
    with tempfile.TemporaryDirectory() as tmp:
        a = np.array([[1.0, -2.5, 3.14159, 1e-3], [65504.0, 0.1, -0.0, 7.0]], dtype=np.float32)
        for dt, tol in (("f32", 0), ("f16", 1e-3), ("bf16", 8e-3)):
            path = os.path.join(tmp, f"t_{dt}.safetensors")
            write_safetensors(path, {"a": a, "b": a[0]}, dt)
            with open(path, "rb") as f:
                n = struct.unpack("<Q", f.read(8))[0]
            assert n % 8 == 0, "header not padded to 8"
            back = read_safetensors(path)
            rel = (back["a"].numpy() - a) / np.maximum(np.abs(a), 1e-30)
            assert np.all(np.abs(rel) <= tol), f"{dt} round trip: {back['a']}"
            assert list(back["b"].shape) == [4]
            print(f"ok  safetensors {dt} round trip", file=sys.stderr)
        assert list(float32_to_bf16_bits(np.array([1.0, 1.00390625, 1.01171875], np.float32))) \
            == [0x3F80, 0x3F80, 0x3F82], "bf16 round to nearest even"

        # 6. every family: make twice (same bytes), logits finite, causal prefix property
        for family in FAMILIES:
            dirs = []
            for k in range(2):
                out = os.path.join(tmp, f"{family}{k}")
                cmd_make(argparse.Namespace(family=family, out=out, seed=0, dtype="f32",
                                            preset="tiny", sliding_window=None))
                dirs.append(out)
            same = all(
                open(os.path.join(dirs[0], f), "rb").read()
                == open(os.path.join(dirs[1], f), "rb").read()
                for f in ("config.json", "model.safetensors")
            )
            assert same, f"{family}: same seed gave different files"
            config, weights = load_model(dirs[0])
            ids = [1] + [(7 * t + 3) % config["vocab_size"] for t in range(19)]
            with torch.no_grad():
                full = forward_logits(config, weights, ids, rope_scaling_of(config))
                prefix = forward_logits(config, weights, ids[:12], rope_scaling_of(config))
                again = forward_logits(config, weights, ids, rope_scaling_of(config))
                chunked = decoder(config, weights, ids, rope_scaling_of(config), attn_chunk=7)
                plain = decoder(config, weights, ids, rope_scaling_of(config))
            assert full.shape == (20, config["vocab_size"]), full.shape
            assert torch.isfinite(full).all(), f"{family}: non-finite logits"
            assert torch.equal(full, again), f"{family}: forward not deterministic"
            assert torch.allclose(full[:12], prefix, atol=1e-5), f"{family}: not causal"
            assert torch.allclose(chunked, plain, atol=1e-5), f"{family}: chunked attention"
            print(f"ok  {family}: shape, finite, deterministic, causal, chunked == plain",
                  file=sys.stderr)

        # 7. phi3 long regime switches at T > original (32) and changes the logits
        config, weights = load_model(os.path.join(tmp, "phi30"))
        ids = [(5 * t + 1) % 101 for t in range(40)]
        with torch.no_grad():
            long_run = forward_logits(config, weights, ids, rope_scaling_of(config))
            short_rs = dict(config["rope_scaling"], long_factor=config["rope_scaling"]["short_factor"])
            short_run = forward_logits(config, weights, ids, short_rs)
        assert not torch.allclose(long_run, short_run), "phi3: long factors had no effect"
        print("ok  phi3 long regime used above original_max_position_embeddings", file=sys.stderr)

        # 8. sliding window: window >= T changes nothing, a small window changes the logits
        cmd_make(argparse.Namespace(family="mistral", out=os.path.join(tmp, "sw"), seed=0,
                                    dtype="f32", preset="tiny", sliding_window=4))
        config, weights = load_model(os.path.join(tmp, "sw"))
        ids = list(range(1, 21))
        with torch.no_grad():
            windowed = forward_logits(config, weights, ids, None)
            config["sliding_window"] = 20
            wide = forward_logits(config, weights, ids, None)
            config["sliding_window"] = None
            none = forward_logits(config, weights, ids, None)
        assert torch.equal(wide, none), "sliding window >= T should change nothing"
        assert torch.allclose(windowed[:4], none[:4], atol=1e-6), "first 4 rows unaffected"
        assert not torch.allclose(windowed[4:], none[4:]), "window 4 had no effect"
        print("ok  sliding window", file=sys.stderr)
    print("selftest passed", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="reference_llama.py",
        description="Independent PyTorch reference for a LLaMA-family decoder.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("make", help="write a random model: DIR/config.json + model.safetensors")
    p.add_argument("--family", required=True, choices=FAMILIES)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", default="f32", choices=("f32", "f16", "bf16"))
    p.add_argument("--preset", default="tiny", choices=("tiny", "bundled"))
    p.add_argument("--sliding-window", type=int, default=None, metavar="N",
                   help="mistral only: set config sliding_window (default null)")
    p.set_defaults(func=cmd_make)

    p = sub.add_parser("logits", help="forward pass; raw little-endian float32 [T, vocab]")
    p.add_argument("--model", required=True, metavar="DIR")
    ids = p.add_mutually_exclusive_group(required=True)
    ids.add_argument("--ids", help='comma-separated token ids, e.g. "1,5,7"')
    ids.add_argument("--ids-file", metavar="FILE", help="JSON array of token ids")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--rope-scaling", metavar="JSON",
                   help="replaces the config's rope_scaling (a JSON object, or null)")
    p.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's)")
    p.set_defaults(func=cmd_logits)

    p = sub.add_parser("generate", help="greedy tokens by full forwards; JSON with the prompt's "
                       "last-position logits")
    p.add_argument("--model", required=True, metavar="DIR")
    ids = p.add_mutually_exclusive_group(required=True)
    ids.add_argument("--ids", help='comma-separated token ids, e.g. "1,5,7"')
    ids.add_argument("--ids-file", metavar="FILE", help="JSON array of token ids")
    p.add_argument("--max-new-tokens", type=int, default=16, metavar="N")
    p.add_argument("--top-k", type=int, default=10, metavar="K")
    p.add_argument("--table-length", type=int, default=None, metavar="N",
                   help="RoPE tables for N tokens at every step (default: the current length)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--rope-scaling", metavar="JSON",
                   help="replaces the config's rope_scaling (a JSON object, or null)")
    p.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("bench", help="forward throughput of the bundled-preset model")
    p.add_argument("--lengths", default="1024,4096,16384")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--model", metavar="DIR", help="load this model instead of building one")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("bench-train", help="training steps/s of the bundled-preset model")
    p.add_argument("--context", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpointing", action="store_true", help="per-layer activation checkpointing")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_bench_train)

    p = sub.add_parser("selftest", help="hand-checked RoPE numbers and model sanity checks")
    p.set_defaults(func=cmd_selftest)

    args = parser.parse_args(argv)
    try:
        args.func(args)
    except RefError as e:
        print(f"reference_llama: error: {e}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError, KeyError) as e:
        print(f"reference_llama: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
