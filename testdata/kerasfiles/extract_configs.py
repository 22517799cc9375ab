# Writes <file>.model_config.json (the model_config attribute, verbatim) beside each HDF5 full-model file,
# and <file>.config.json (the zip's config.json, verbatim) beside each .keras zip.
import h5py, sys, zipfile
for p in sys.argv[1:]:
    if zipfile.is_zipfile(p):
        open(p + ".config.json", "wb").write(zipfile.ZipFile(p).read("config.json"))
        continue
    with h5py.File(p, "r") as f:
        mc = f.attrs.get("model_config")
        if mc is None:
            continue
        if isinstance(mc, bytes):
            mc = mc.decode("utf-8")
        open(p + ".model_config.json", "w").write(mc)
