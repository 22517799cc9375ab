#!/usr/bin/python3
"""Check a .keras file written by keras.Model.Save against Keras 3's layout.

Reads the zip with zipfile and model.weights.h5 with h5py (no Keras needed),
checks the members, metadata.json, the config schema Keras's loader expects
and the weight groups saving_lib would look for, then runs an independent
NumPy forward pass (Dense, Dropout, Flatten, Activation; Sequential or
Functional chains and Add/Concatenate merges) on the given input and prints
the output as JSON.

    /usr/bin/python3 check_keras3.py MODEL.keras INPUT.json > OUTPUT.json

A .weights.h5 written by SaveWeights is checked with --weights CONFIG.json.
"""
import io
import json
import re
import sys
import zipfile

import h5py
import numpy as np


def snake(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def fail(msg):
    sys.stderr.write("check_keras3: " + msg + "\n")
    sys.exit(1)


def check_object(obj, where):
    for key in ("module", "class_name", "config", "registered_name"):
        if key not in obj:
            fail("%s: no %r (Keras 3 serialization)" % (where, key))


ACTS = {
    None: lambda x: x, "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
}


def act(name, x):
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return ACTS[name](x)


def layer_groups(config):
    """saving_lib's group of each layer: layers/<snake(class)>[_n]."""
    used, out = {}, {}
    for layer in config["config"]["layers"]:
        if config["class_name"] == "Sequential" and layer["class_name"] == "InputLayer":
            continue
        base = snake(layer["class_name"])
        if base in used:
            used[base] += 1
            base = "%s_%d" % (base, used[base])
        else:
            used[base] = 0
        out[layer["config"]["name"]] = "layers/" + base
    return out


def apply(layer, x, weights):
    cls, cfg = layer["class_name"], layer["config"]
    if cls == "Dense":
        y = x @ weights[0]
        if cfg.get("use_bias", True):
            y = y + weights[1]
        return act(cfg.get("activation"), y)
    if cls in ("Dropout", "InputLayer"):
        return x
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1)
    if cls == "Activation":
        return act(cfg["activation"], x)
    raise SystemExit("check_keras3: no NumPy forward pass for " + cls)


def main():
    args = sys.argv[1:]
    if args[0] == "--weights":
        config = json.load(open(args[1]))
        h5 = h5py.File(args[2], "r")
        for name, group in layer_groups(config).items():
            if group + "/vars" not in h5:
                fail("%s: no group %s/vars" % (name, group))
        print(json.dumps({"ok": True}))
        return
    path, inp = args
    z = zipfile.ZipFile(path)
    names = [i.filename for i in z.infolist()]
    if names[:3] != ["metadata.json", "config.json", "model.weights.h5"]:
        fail("members %s, want metadata.json, config.json, model.weights.h5 first" % names)
    for i in z.infolist():
        if i.compress_type != zipfile.ZIP_STORED:
            fail("%s is compressed; Keras stores its members" % i.filename)
    meta = json.loads(z.read("metadata.json"))
    if not meta.get("keras_version", "").startswith("3.") or "date_saved" not in meta:
        fail("metadata.json %s" % meta)
    config = json.loads(z.read("config.json"))
    check_object(config, "config.json")
    if config["class_name"] not in ("Sequential", "Functional"):
        fail("class_name %s" % config["class_name"])
    layers = config["config"]["layers"]
    for i, layer in enumerate(layers):
        check_object(layer, "layers[%d]" % i)
        cfg = layer["config"]
        for bad in ("batch_input_shape", "input_shape", "input_dim"):
            if bad in cfg:
                fail("layers[%d] config has %s, which Keras 3 layers refuse" % (i, bad))
        if layer["class_name"] == "InputLayer":
            if "batch_shape" not in cfg:
                fail("InputLayer without batch_shape")
        elif not isinstance(cfg.get("dtype"), dict) or cfg["dtype"].get("class_name") != "DTypePolicy":
            fail("layers[%d] dtype %r is not a DTypePolicy object" % (i, cfg.get("dtype")))
        if config["class_name"] == "Functional" and "inbound_nodes" not in layer:
            fail("layers[%d] has no inbound_nodes" % i)
    if "compile_config" in config:
        cc = config["compile_config"]
        check_object(cc["optimizer"], "compile_config.optimizer")
    h5 = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    if "vars" not in h5:
        fail("no model-level vars group")
    groups = layer_groups(config)
    weights = {}
    for name, group in groups.items():
        if group + "/vars" not in h5:
            fail("%s: no group %s/vars" % (name, group))
        g = h5[group + "/vars"]
        weights[name] = [np.asarray(g[str(k)], dtype=np.float64) for k in range(len(g))]
    if "compile_config" in config and "optimizer/vars/0" in h5:
        it = h5["optimizer/vars/0"]
        if it.shape != () or it.dtype != np.int64:
            fail("optimizer/vars/0 is %s %s, want an int64 scalar" % (it.shape, it.dtype))

    x = np.asarray(json.load(open(inp)), dtype=np.float64)
    if config["class_name"] == "Sequential":
        for layer in layers:
            x = apply(layer, x, weights.get(layer["config"]["name"], []))
        out = x
    else:
        values = {}
        pending = list(layers)
        while pending:
            progress = False
            for layer in list(pending):
                name = layer["config"]["name"]
                if layer["class_name"] == "InputLayer":
                    values[(name, 0)] = x
                    pending.remove(layer)
                    progress = True
                    continue
                node = layer["inbound_nodes"][0]
                args = node["args"][0] if isinstance(node["args"][0], list) else node["args"]
                hist = [a["config"]["keras_history"] for a in args]
                if not all((h[0], h[1]) in values for h in hist):
                    continue
                ins = [values[(h[0], h[1])] for h in hist]
                if layer["class_name"] == "Add":
                    y = sum(ins)
                elif layer["class_name"] == "Concatenate":
                    y = np.concatenate(ins, axis=-1)
                else:
                    y = apply(layer, ins[0], weights.get(name, []))
                values[(name, 0)] = y
                pending.remove(layer)
                progress = True
            if not progress:
                fail("functional graph does not resolve")
        o = config["config"]["output_layers"][0]
        out = values[(o[0], o[1])]
    print(json.dumps(out.tolist()))


main()
