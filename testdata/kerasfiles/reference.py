#!/usr/bin/python3
"""Reference outputs for the Keras files of this corpus.

For each file, read the weights with h5py and run a forward pass of the
architecture written in plain NumPy (float64 arithmetic on the float32
weights and inputs), independent of Keras and of this project's Go code.
Writes <file>.expected.json beside each file:

    {"file": ..., "keras_version": ..., "input_shape": [...],
     "input": [...], "output": [...],        # batch of 3, seed below
     "weight_groups": [...]}                 # Keras 3 zips: every HDF5 group
                                             # ending in /vars, in sorted order

Run (Debian: apt-get install python3-h5py python3-numpy):

    /usr/bin/python3 testdata/kerasfiles/reference.py DIR

where DIR holds the corpus files listed in SOURCES.md (and the
<file>.model_config.json sidecars of the weights-only .h5 files).

Semantics followed (checked against Keras's source, keras/src/layers/...):
  * Dense: x @ kernel + bias, then the activation.
  * Conv1D/Conv2D: channels_last, kernel (k..., in, out); "valid", or
    "same" padded as TensorFlow: total = max((ceil(n/s)-1)*s + k - n, 0),
    total//2 before, the rest after.
  * BatchNormalization (inference): (x - moving_mean) / sqrt(moving_variance
    + epsilon) * gamma + beta over the last axis.
  * LSTM: kernel columns are the gates i, f, c, o (units each);
    c' = f*c + i*act(x W_c + h U_c + b_c), h' = o*act(c'), i/f/o through
    recurrent_activation.
  * GRU: kernel columns are z, r, h. reset_after=True (tf.keras 2.x and
    Keras 3 default): bias has two rows (input, recurrent);
    hh = act(x W_h + b_h + r * (h U_h + b_rh)). reset_after=False (Keras 2
    default, or missing from the config): one bias row;
    hh = act(x W_h + b_h + (r*h) U_h). h' = z*h + (1-z)*hh.
  * SimpleRNN: h' = act(x W + h U + b).
  * hard_sigmoid: Keras 2 (keras_version < 3, tf.keras) clip(0.2x+0.5, 0, 1);
    Keras 3 clip(x/6+0.5, 0, 1).
  * Dropout is the identity at inference; Flatten is row-major.
"""
import io
import json
import math
import os
import sys
import zipfile

import h5py
import numpy as np

SEED = 20240601
BATCH = 3


def act(name, x, era):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if name == "hard_sigmoid":
        if era < 3:
            return np.clip(0.2 * x + 0.5, 0, 1)
        return np.clip(x / 6 + 0.5, 0, 1)
    if name == "elu":
        return np.where(x > 0, x, np.exp(x) - 1)
    if name == "selu":
        a, s = 1.6732632423543772, 1.0507009873554805
        return s * np.where(x > 0, x, a * (np.exp(x) - 1))
    if name == "softplus":
        return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)
    if name == "softsign":
        return x / (1 + np.abs(x))
    raise NotImplementedError("activation " + str(name))


def tf_same_pad(n, k, s, d=1):
    k = (k - 1) * d + 1
    out = math.ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def conv(x, kernel, bias, strides, padding, dilation):
    """x (B, *spatial, Cin), kernel (*k, Cin, Cout)."""
    nd = kernel.ndim - 2
    if padding == "same":
        pads = [tf_same_pad(x.shape[1 + i], kernel.shape[i], strides[i], dilation[i]) for i in range(nd)]
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    elif padding != "valid":
        raise NotImplementedError("padding " + padding)
    ks = [(kernel.shape[i] - 1) * dilation[i] + 1 for i in range(nd)]
    outs = [(x.shape[1 + i] - ks[i]) // strides[i] + 1 for i in range(nd)]
    y = np.zeros([x.shape[0]] + outs + [kernel.shape[-1]])
    for idx in np.ndindex(*outs):
        sl = [slice(None)]
        for i in range(nd):
            start = idx[i] * strides[i]
            sl.append(slice(start, start + ks[i], dilation[i]))
        patch = x[tuple(sl)]  # (B, *k, Cin)
        y[(slice(None),) + idx] = np.tensordot(patch, kernel, axes=(list(range(1, nd + 2)), list(range(nd + 1))))
    if bias is not None:
        y = y + bias
    return y


def pool(x, size, strides, padding, kind):
    nd = x.ndim - 2
    if padding == "same":
        pads = [tf_same_pad(x.shape[1 + i], size[i], strides[i]) for i in range(nd)]
        fill = -np.inf if kind == "max" else np.nan
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=fill)
    outs = [(x.shape[1 + i] - size[i]) // strides[i] + 1 for i in range(nd)]
    y = np.zeros([x.shape[0]] + outs + [x.shape[-1]])
    for idx in np.ndindex(*outs):
        sl = [slice(None)] + [slice(idx[i] * strides[i], idx[i] * strides[i] + size[i]) for i in range(nd)]
        patch = x[tuple(sl)].reshape(x.shape[0], -1, x.shape[-1])
        y[(slice(None),) + idx] = patch.max(axis=1) if kind == "max" else np.nanmean(patch, axis=1)
    return y


def rnn(cls, cfg, w, x, era):
    units = cfg["units"]
    a = cfg.get("activation", "tanh")
    ra = cfg.get("recurrent_activation", "sigmoid" if era >= 3 else "hard_sigmoid")
    kernel, rec = w[0], w[1]
    bias = w[2] if len(w) > 2 else None
    B, T, _ = x.shape
    h = np.zeros((B, units))
    c = np.zeros((B, units))
    steps = range(T - 1, -1, -1) if cfg.get("go_backwards") else range(T)
    seq = []
    for t in steps:
        xt = x[:, t, :]
        if cls == "LSTM":
            z = xt @ kernel + h @ rec + (bias if bias is not None else 0)
            i, f, cc, o = (z[:, k * units:(k + 1) * units] for k in range(4))
            c = act(ra, f, era) * c + act(ra, i, era) * act(a, cc, era)
            h = act(ra, o, era) * act(a, c, era)
        elif cls == "GRU":
            reset_after = cfg.get("reset_after", False)
            if bias is None:
                bx, bh = 0, 0
            elif reset_after:
                bx, bh = bias[0], bias[1]
            else:
                bx, bh = bias, 0
            xz = xt @ kernel + bx
            if reset_after:
                hz = h @ rec + bh
                z = act(ra, xz[:, :units] + hz[:, :units], era)
                r = act(ra, xz[:, units:2 * units] + hz[:, units:2 * units], era)
                hh = act(a, xz[:, 2 * units:] + r * hz[:, 2 * units:], era)
            else:
                z = act(ra, xz[:, :units] + h @ rec[:, :units], era)
                r = act(ra, xz[:, units:2 * units] + h @ rec[:, units:2 * units], era)
                hh = act(a, xz[:, 2 * units:] + (r * h) @ rec[:, 2 * units:], era)
            h = z * h + (1 - z) * hh
        elif cls == "SimpleRNN":
            h = act(a, xt @ kernel + h @ rec + (bias if bias is not None else 0), era)
        seq.append(h)
    if cfg.get("return_sequences"):
        return np.stack(seq, axis=1)
    return h


def apply_layer(cls, cfg, w, xs, era):
    x = xs[0]
    if cls in ("InputLayer", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout"):
        return x
    if cls == "Dense":
        y = x @ w[0] + (w[1] if len(w) > 1 else 0)
        return act(cfg.get("activation"), y, era)
    if cls == "Activation":
        return act(cfg["activation"], x, era)
    if cls == "ReLU":
        return np.maximum(x, 0)
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1)
    if cls in ("Conv1D", "Conv2D"):
        nd = 1 if cls == "Conv1D" else 2
        st = cfg.get("strides", [1] * nd)
        dl = cfg.get("dilation_rate", [1] * nd)
        st = st if isinstance(st, list) else [st] * nd
        dl = dl if isinstance(dl, list) else [dl] * nd
        y = conv(x, w[0], w[1] if len(w) > 1 else None, st, cfg.get("padding", "valid"), dl)
        return act(cfg.get("activation"), y, era)
    if cls in ("MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D"):
        nd = 1 if cls.endswith("1D") else 2
        size = cfg.get("pool_size", [2] * nd)
        size = size if isinstance(size, list) else [size] * nd
        st = cfg.get("strides") or size
        st = st if isinstance(st, list) else [st] * nd
        return pool(x, size, st, cfg.get("padding", "valid"), "max" if cls.startswith("Max") else "avg")
    if cls == "BatchNormalization":
        i = 0
        gamma = beta = None
        if cfg.get("scale", True):
            gamma = w[i]; i += 1
        if cfg.get("center", True):
            beta = w[i]; i += 1
        mean, var = w[i], w[i + 1]
        y = (x - mean) / np.sqrt(var + cfg.get("epsilon", 1e-3))
        if gamma is not None:
            y = y * gamma
        if beta is not None:
            y = y + beta
        return y
    if cls == "Embedding":
        return w[0][x.astype(np.int64)]
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        return rnn(cls, cfg, w, x, era)
    if cls == "Concatenate":
        return np.concatenate(xs, axis=cfg.get("axis", -1))
    if cls == "Add":
        return sum(xs)
    if cls == "Reshape":
        return x.reshape((x.shape[0],) + tuple(cfg["target_shape"]))
    raise NotImplementedError("layer " + cls)


def legacy_weights(f):
    """name -> list of arrays, by layer_names / weight_names."""
    g = f["model_weights"] if "model_weights" in f else f
    def s(v):
        return v.decode() if isinstance(v, bytes) else str(v)
    out = {}
    for ln in g.attrs["layer_names"]:
        ln = s(ln)
        lg = g[ln]
        out[ln] = [np.asarray(lg[s(wn)], dtype=np.float64) for wn in lg.attrs["weight_names"]]
    return out


def snake(name):
    import re
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras3_weights(f, model_cfg):
    """Follows saving_lib: layers/<snake(class)>[_n], cells under /cell."""
    out = {}
    used = {}
    seq = model_cfg["class_name"] == "Sequential"
    for l in model_cfg["config"]["layers"]:
        if seq and l["class_name"] == "InputLayer":
            continue
        base = snake(l["class_name"])
        if base in used:
            used[base] += 1
            base = "%s_%d" % (base, used[base])
        else:
            used[base] = 0
        grp = f["layers/" + base]
        if l["class_name"] in ("LSTM", "GRU", "SimpleRNN"):
            grp = grp["cell"]
        v = grp["vars"]
        out[l["config"]["name"]] = [np.asarray(v[str(i)], dtype=np.float64) for i in range(len(v))]
    return out


def forward(model_cfg, weights, x, era):
    cls = model_cfg["class_name"]
    c = model_cfg["config"]
    layers = c["layers"] if isinstance(c, dict) else c
    if cls == "Sequential":
        for l in layers:
            x = apply_layer(l["class_name"], l["config"], weights.get(l["config"]["name"], []), [x], era)
        return x
    # Functional / Model: evaluate in list order (Keras lists layers
    # topologically); one node per layer in this corpus.
    vals = {}
    for l in layers:
        name = l.get("name") or l["config"]["name"]
        if l["class_name"] == "InputLayer":
            vals[name] = x
            continue
        node = l["inbound_nodes"][0]
        if isinstance(node, dict):
            args = node["args"]
            if len(args) == 1 and isinstance(args[0], list):
                args = args[0]
            ins = [vals[a["config"]["keras_history"][0]] for a in args]
        else:
            ins = [vals[e[0]] for e in node]
        vals[name] = apply_layer(l["class_name"], l["config"], weights.get(name, []), ins, era)
    outs = c["output_layers"]
    if isinstance(outs[0], str):
        outs = [outs]
    return vals[outs[0][0]]


def input_shape(model_cfg):
    c = model_cfg["config"]
    layers = c["layers"] if isinstance(c, dict) else c
    first = layers[0]["config"]
    s = first.get("batch_shape") or first.get("batch_input_shape")
    return [BATCH] + list(s[1:])


def main(d):
    files = sorted(f for f in os.listdir(d) if f.endswith((".keras", ".h5")))
    for name in files:
        p = os.path.join(d, name)
        res = {"file": name}
        if zipfile.is_zipfile(p):
            z = zipfile.ZipFile(p)
            model_cfg = json.loads(z.read("config.json"))
            res["keras_version"] = json.loads(z.read("metadata.json"))["keras_version"]
            f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
            groups = []
            f.visit(lambda n: groups.append(n) if n == "vars" or n.endswith("/vars") else None)
            res["weight_groups"] = sorted(groups)
            if model_cfg["class_name"] not in ("Sequential", "Functional"):
                res["note"] = "subclassed model: no forward pass (its call is Python code)"
                write(p, res)
                continue
            weights = keras3_weights(f, model_cfg)
        else:
            f = h5py.File(p, "r")
            kv = f.attrs.get("keras_version")
            if kv is None and "model_weights" in f:
                kv = f["model_weights"].attrs.get("keras_version")
            res["keras_version"] = kv.decode() if isinstance(kv, bytes) else str(kv)
            mc = f.attrs.get("model_config")
            if mc is None:
                mc = open(p + ".model_config.json").read()
            model_cfg = json.loads(mc.decode() if isinstance(mc, bytes) else mc)
            weights = legacy_weights(f)
        era = int(res["keras_version"].split(".")[0])
        shape = input_shape(model_cfg)
        rng = np.random.default_rng(SEED)
        x = rng.standard_normal(shape).astype(np.float32)
        y = forward(model_cfg, weights, x.astype(np.float64), era)
        res["input_shape"] = shape
        res["input"] = x.tolist()
        res["output"] = y.tolist()
        write(p, res)


def write(p, res):
    with open(p + ".expected.json", "w") as out:
        json.dump(res, out)
    print(os.path.basename(p), res.get("keras_version"), np.shape(res.get("output")) if "output" in res else res.get("note"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
