#!/usr/bin/python3
"""Prints an HDF5 file's groups, datasets (with values) and attributes with
h5py, one line each, in the format of dump() in walk_test.go, so the Go
reader's view can be compared with h5py's (libhdf5's):

    /usr/bin/python3 h5dump.py FILE.h5 > FILE.h5.txt
"""
import json
import sys

import h5py
import numpy as np


def dtype_name(dt):
    if h5py.check_string_dtype(dt) is not None and h5py.check_string_dtype(dt).length is None:
        return "str"
    if dt.kind == "S":
        return "S%d" % dt.itemsize
    if dt.kind == "b":  # h5py's bool is an HDF5 enum over int8
        return "int8"
    if dt.kind == "V":
        return "V%d" % dt.itemsize
    return dt.newbyteorder("=").name


def shape(s):
    return "(" + ",".join(str(v) for v in s) + ")"


def text(x):
    if isinstance(x, bytes):
        x = x.decode("utf8")
    return json.dumps(x, ensure_ascii=False)


def values(arr, dt):
    flat = np.asarray(arr).reshape(-1)
    if dtype_name(dt) == "str" or dt.kind == "S":
        return "[" + " ".join(text(x) for x in flat) + "]"
    if dt.kind == "V":
        return "[" + " ".join(x.tobytes().hex() for x in flat) + "]"
    return "[" + " ".join("%.9g" % float(x) for x in flat) + "]"


def attrs(name, obj, out):
    for k in sorted(obj.attrs.keys()):
        a = obj.attrs.get_id(k)
        v = obj.attrs[k]
        out.append("attr %s %s %s %s %s" % (name, k, dtype_name(a.dtype), shape(a.shape), values(v, a.dtype)))


def main(path):
    out = []
    with h5py.File(path, "r") as f:
        attrs("/", f, out)

        def visit(name, obj):
            full = "/" + name
            if isinstance(obj, h5py.Group):
                out.append("group " + full)
            else:
                out.append("dataset %s %s %s %s" % (full, dtype_name(obj.dtype), shape(obj.shape), values(obj[()], obj.dtype)))
            attrs(full, obj, out)

        f.visititems(visit)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
