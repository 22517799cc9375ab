#!/usr/bin/python3
"""Writes the h5py fixtures under testdata/ (run from this folder).

Made with Debian's python3-h5py (h5py 3.7.0 on HDF5 1.10.8):
    cd internal/hdf5/testdata && /usr/bin/python3 make_fixtures.py

Each file imitates one of the layouts Keras writes through h5py (the calls
below are the ones keras/src/saving/saving_lib.py and
keras/src/legacy/saving/legacy_h5_format.py make), plus one file of the
types and storage options the reader supports beyond them. The values are
deterministic (np.arange based), so the Go tests can recompute them.
"""
import json

import h5py
import numpy as np


def vals(shape, dtype, scale=0.25):
    n = int(np.prod(shape)) if len(shape) else 1
    return (np.arange(n, dtype=np.float64) * scale - 1.5).astype(dtype).reshape(shape)


def keras3_weights(path):
    # Keras 3 model.weights.h5: layers/<name>/vars/<i>, optimizer/vars/<i>.
    with h5py.File(path, "w") as f:
        layers = f.create_group("layers")
        d = layers.create_group("dense").create_group("vars")
        d["0"] = vals((4, 3), np.float32)
        d["1"] = vals((3,), np.float32, 0.5)
        layers.create_group("dropout").create_group("vars")
        c = layers.create_group("conv2d").create_group("vars")
        c["0"] = vals((3, 3, 1, 2), np.float32, 0.125)
        c["1"] = vals((2,), np.float32)
        g = layers.create_group("gru").create_group("cell").create_group("vars")
        g["0"] = vals((2, 6), np.float32)
        opt = f.create_group("optimizer").create_group("vars")
        opt["0"] = np.int64(7)
        opt["1"] = vals((4, 3), np.float32, 0.01)
        f.create_group("vars")


def legacy_h5(path, use_bytes):
    # Keras 2 / tf.keras full model. With use_bytes the string attributes are
    # fixed-length (numpy "S" scalars and arrays), as h5py 2.x stored the
    # bytes Keras passes; otherwise they are what h5py 3 stores for the same
    # calls: variable-length strings.
    enc = (lambda s: np.bytes_(s.encode("utf8"))) if use_bytes else (lambda s: s.encode("utf8"))
    arr = (lambda xs: np.array([x.encode("utf8") for x in xs], dtype="S")) if use_bytes else (
        lambda xs: [x.encode("utf8") for x in xs])
    with h5py.File(path, "w") as f:
        cfg = {"class_name": "Sequential", "config": {"name": "sequential_1",
               "layers": [{"class_name": "Dense", "config": {"name": "dense_1", "units": 3}}]}}
        f.attrs["keras_version"] = enc("2.0.9")
        f.attrs["backend"] = enc("tensorflow")
        f.attrs["model_config"] = enc(json.dumps(cfg))
        mw = f.create_group("model_weights")
        names = ["dense_1", "dropout_1", "dense_2"]
        mw.attrs["layer_names"] = arr(names)
        mw.attrs["backend"] = enc("tensorflow")
        mw.attrs["keras_version"] = enc("2.0.9")
        for i, n in enumerate(names):
            g = mw.create_group(n)
            if n.startswith("dropout"):
                g.attrs["weight_names"] = np.asarray([])  # float64, shape (0,)
                continue
            wn = [n + "/kernel:0", n + "/bias:0"]
            g.attrs["weight_names"] = arr(wn)
            sub = g.create_group(n)
            sub.create_dataset("kernel:0", data=vals((4 - i, 3), np.float32, 0.1 * (i + 1)))
            sub.create_dataset("bias:0", data=vals((3,), np.float32, 0.3))
        ow = f.create_group("optimizer_weights")
        ow.attrs["weight_names"] = arr(["Adam/iterations:0"])
        ow.create_group("Adam").create_dataset("iterations:0", data=np.int64(12))


def many_members(path):
    # 300 members: several symbol-table leaves and a B-tree of two levels.
    with h5py.File(path, "w") as f:
        g = f.create_group("layers")
        for i in range(300):
            g.create_group("layer_%03d" % i).attrs["index"] = np.int64(i)
        for i in range(20):
            f["w%02d" % i] = vals((i + 1,), np.float64)


def types(path, **kw):
    with h5py.File(path, "w", **kw) as f:
        for dt in ["<i1", "<i2", "<i4", "<i8", "<u1", "<u2", "<u4", "<u8",
                   "<f2", "<f4", "<f8", ">i4", ">f4", ">f8"]:
            name = dt.replace("<", "le_").replace(">", "be_")
            if dt[1] == "u":
                f[name] = np.arange(6, dtype=dt).reshape(2, 3)
            else:
                f[name] = vals((2, 3), dt, 1.0 if dt[1] == "i" else 0.25)
        for r in range(5):
            f["rank%d" % r] = vals(tuple(range(2, 2 + r)), np.float32)
        f["empty"] = np.zeros((0,), np.float64)
        f["empty2"] = np.zeros((3, 0), np.float32)
        f["bool"] = np.array([True, False, True])
        f.create_dataset("chunked", data=vals((7, 5), np.float32), chunks=(3, 2))
        f.create_dataset("gzip", data=vals((20, 9), np.float64), chunks=(6, 4), compression="gzip", shuffle=True)
        f.create_dataset("gzip_int", data=np.arange(100, dtype=np.int64), compression="gzip", compression_opts=9)
        f.create_dataset("fletcher", data=vals((10,), np.float32), fletcher32=True, chunks=(4,))
        f.create_dataset("unwritten", shape=(4, 4), dtype=np.float32, chunks=(2, 2), fillvalue=2.5)
        f.create_dataset("unwritten_contig", shape=(3,), dtype=np.int32, fillvalue=-7)
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        space = h5py.h5s.create_simple((3, 2))
        h5py.h5d.create(f.id, b"compact", h5py.h5t.NATIVE_DOUBLE, space, dcpl=dcpl).write(
            h5py.h5s.ALL, h5py.h5s.ALL, vals((3, 2), np.float64))
        f["fixed_str"] = np.array([b"ab", b"cde", b""], dtype="S4")
        f["vlen_str"] = np.array(["x", "yz", "\u00e9t\u00e9"], dtype=h5py.string_dtype())
        f["scalar_vlen"] = np.array("hello", dtype=h5py.string_dtype())
        a = f["rank2"].attrs
        a["f64"] = 1.5
        a["i64"] = np.int64(-3)
        a["f32arr"] = np.array([1, 2, 3], np.float32)
        a["str"] = "dense"
        a["bytes"] = b"tensorflow"
        a["strs"] = np.array([b"a", b"bb"], dtype="S")
        a["bytes_list"] = [b"a", b"bb"]
        a["vstrs"] = np.array(["p", "qq", "rrr"], dtype=h5py.string_dtype())
        a["empty"] = np.asarray([])
        a["i2d"] = np.arange(6, dtype=np.int32).reshape(2, 3)
        g = f.create_group("sub/deeper")
        g.attrs["note"] = "nested"
        f["sub"].attrs["n"] = np.uint8(200)


def latest(path):
    # libver="latest": superblock 3, version 2 object headers, link
    # messages (compact groups), attribute messages v3, layout v4.
    with h5py.File(path, "w", libver="latest") as f:
        f.attrs["keras_version"] = "3.5.0"
        g = f.create_group("layers/dense/vars")
        g["0"] = vals((4, 3), np.float32)
        g["1"] = vals((3,), np.float64)
        g.attrs["count"] = np.int64(2)
        f["scalar"] = np.int64(42)
        f["names"] = np.array(["a", "bc"], dtype=h5py.string_dtype())
        f.create_dataset("chunked_v4", data=vals((10, 10), np.float32), chunks=(5, 5))
        dense = f.create_group("dense_links")  # more than 8 links: a fractal heap
        for i in range(10):
            dense.create_group("g%d" % i)


def userblock(path):
    # A 512-byte user block before the superblock: addresses are relative
    # to the superblock's base address.
    with h5py.File(path, "w", userblock_size=512) as f:
        f.attrs["keras_version"] = "2.1.0"
        f.create_group("model_weights/dense_1/dense_1").create_dataset("kernel:0", data=vals((2, 2), np.float32))


def opaque(path):
    # Keras 3 stores bfloat16 variables as h5py does NumPy void types: HDF5
    # opaque data, marked with a dtype="bfloat16" attribute.
    with h5py.File(path, "w") as f:
        g = f.create_group("layers/dense/vars")
        bf16 = np.array([1.0, 2.0, -3.5, 0.15625], np.float32).view(np.uint16)[1::2]
        d = g.create_dataset("0", data=np.frombuffer(bf16.tobytes(), dtype="V2").reshape(2, 2))
        d.attrs["dtype"] = "bfloat16"


if __name__ == "__main__":
    keras3_weights("keras3_layout.weights.h5")
    legacy_h5("keras2_legacy_bytes.h5", True)
    legacy_h5("keras2_legacy_vlen.h5", False)
    many_members("many_members.h5")
    types("types_earliest.h5")
    latest("latest.h5")
    userblock("userblock.h5")
    opaque("opaque.h5")
