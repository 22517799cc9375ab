// Command benchtable runs the workloads of issue 7 with every peer —
// package keras, the hand-written Gorgonia program, PyTorch on CPU and
// NumPy from scratch — each in its own process with the same thread count,
// and prints one table. scripts/bench.sh is the way to run it.
//
//	go run ./bench/cmd/benchtable [-threads 2] [-epochs 3] [-python /usr/bin/python3] [-openblas BIN]
//
// Every peer gets the same data (written once to a temporary directory as
// raw float32) and the same starting weights (the Keras model's, seed 1).
// A Python peer that cannot be imported is skipped with a message.
//
// With -openblas, BIN is this command built with -tags openblas; the Go
// peers (keras and the hand-written Gorgonia programs) run a second time
// as children of BIN, on OpenBLAS, and the table gets an "openblas" row
// beside each time and accuracy row. scripts/bench.sh -openblas builds BIN.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gokeras/keras/bench"
	"github.com/gokeras/keras/keras"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// result is what one peer reports for one workload.
type result struct {
	Seconds     float64   `json:"seconds"`
	Acc         float64   `json:"acc,omitempty"`
	Value       float64   `json:"value,omitempty"`
	MaxRSSKB    int64     `json:"maxrss_kb"`
	AllocsStep  float64   `json:"allocs_per_step,omitempty"`
	HeapByEpoch []float64 `json:"heap_mb_by_epoch,omitempty"`
	BLAS        string    `json:"blas,omitempty"` // Gorgonia's BLAS in the child: gemm.Implementation or keras.openBLAS
	Err         string    `json:"error,omitempty"`
}

// openBLAS is how a child built with -tags openblas names Gorgonia's BLAS
// (OpenBLAS, with the smaller products on internal/gemm: keras/blas_openblas.go).
const openBLAS = "keras.openBLAS"

// goPeers are the peers that run as children of this command (or of its
// -openblas build).
var goPeers = map[string]bool{"keras": true, "gorgonia": true, "gorgonia=": true}

var works = []string{"mnist30", "mnist100", "5x+1", "moons", "predict1", "predict10000", "lstm"}

// peerEnv is env without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE: some
// machines set them for older OpenBLAS builds, and they slow a current
// NumPy or PyTorch down; only the Python peers' commands drop them.
func peerEnv(env []string) []string {
	var out []string
	for _, e := range env {
		if strings.HasPrefix(e, "OPENBLAS_CORETYPE=") || strings.HasPrefix(e, "OPENBLAS_L2_SIZE=") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// peerBLAS says which BLAS the Python peers run on, from threadpoolctl
// (or numpy.show_config when it is missing), in the peers' environment.
func peerBLAS(py string, env []string) string {
	script := `
try:
    import numpy, torch, threadpoolctl
    info = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    print("; ".join("%s %s %s %s, %s threads (threadpoolctl)" % (i.get("internal_api"), i.get("version"), i.get("threading_layer", ""), i.get("architecture", ""), i.get("num_threads")) for i in info) or "no BLAS library loaded (threadpoolctl)")
except ImportError:
    import numpy
    cfg = numpy.__config__
    libs = getattr(cfg, "blas_opt_info", {}).get("libraries") or getattr(cfg, "blas_ilp64_opt_info", {}).get("libraries")
    print("numpy %s links %s (numpy.show_config; install python3-threadpoolctl to see the library loaded)" % (numpy.__version__, libs))
`
	cmd := exec.Command(py, "-c", script)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return strings.TrimSpace(string(out))
}

func main() {
	child := flag.String("child", "", "internal: run one Go peer (keras or gorgonia)")
	work := flag.String("work", "", "internal: the workload of -child")
	dataDir := flag.String("data", "", "internal: data directory of -child")
	threads := flag.Int("threads", 2, "threads for every peer (GOMAXPROCS, torch.set_num_threads, OpenBLAS/OMP)")
	epochs := flag.Int("epochs", 3, "MNIST epochs per peer (median epoch time, accuracy after the last)")
	python := flag.String("python", "", "Python with numpy and torch (default: /usr/bin/python3, else python3 on PATH)")
	only := flag.String("only", "", "comma-separated workloads to run (default all)")
	ob := flag.String("openblas", "", "this command built with -tags openblas: also run the Go peers on OpenBLAS (scripts/bench.sh -openblas)")
	flag.Parse()
	if *child != "" {
		r := runChild(*child, *work, *dataDir, *epochs)
		json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	if err := run(*threads, *epochs, *python, *only, *ob); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(threads, epochs int, python, only, ob string) error {
	dir, err := os.MkdirTemp("", "keras-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	real, err := writeData(dir)
	if err != nil {
		return err
	}
	sel := works
	if only != "" {
		sel = strings.Split(only, ",")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	py, pyPeers := findPython(python)
	env := append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", threads), fmt.Sprintf("OMP_NUM_THREADS=%d", threads),
		fmt.Sprintf("OPENBLAS_NUM_THREADS=%d", threads), fmt.Sprintf("MKL_NUM_THREADS=%d", threads))
	peers := []string{"keras", "gorgonia", "gorgonia=", "torch", "numpy"}
	if ob != "" {
		if ob, err = filepath.Abs(ob); err != nil {
			return err
		}
		peers = append(peers, "keras+ob", "gorgonia+ob", "gorgonia=+ob")
	}
	res := map[string]map[string]result{}
	for _, w := range sel {
		res[w] = map[string]result{}
		for _, p := range peers {
			var cmd *exec.Cmd
			if strings.HasPrefix(p, "gorgonia=") && w != "mnist30" && w != "mnist100" && w != "moons" {
				continue // no cross-entropy in training
			}
			if strings.HasPrefix(p, "gorgonia") && w == "lstm" {
				continue // no hand-written LSTM
			}
			switch gp, onOB := strings.CutSuffix(p, "+ob"); {
			case goPeers[gp]:
				bin := self
				if onOB {
					bin = ob
				}
				cmd = exec.Command(bin, "-child", gp, "-work", w, "-data", dir, "-epochs", fmt.Sprint(epochs))
			default:
				if !pyPeers[p] {
					continue
				}
				if w == "lstm" {
					if p != "torch" {
						continue
					}
					cmd = exec.Command(py, filepath.Join("bench", "peers", "lstm_torch.py"), fmt.Sprint(threads), fmt.Sprint(epochs))
				} else {
					cmd = exec.Command(py, filepath.Join("bench", "peers", "peers.py"), "--peer", p, "--work", w, "--data", dir,
						"--threads", fmt.Sprint(threads), "--epochs", fmt.Sprint(epochs))
				}
			}
			cmd.Env = env
			if !goPeers[strings.TrimSuffix(p, "+ob")] {
				cmd.Env = peerEnv(env)
			}
			cmd.Stderr = os.Stderr
			fmt.Fprintf(os.Stderr, "running %-12s %-8s ...", w, p)
			t0 := time.Now()
			out, err := cmd.Output()
			var r result
			if err != nil {
				r.Err = err.Error()
			} else if err := json.Unmarshal(lastLine(out), &r); err != nil {
				r.Err = fmt.Sprintf("bad output %q: %v", out, err)
			} else if gp, onOB := strings.CutSuffix(p, "+ob"); goPeers[gp] && onOB && r.BLAS != openBLAS {
				r.Err = fmt.Sprintf("%s runs Gorgonia on %s, not OpenBLAS: build it with -tags openblas", cmd.Path, r.BLAS)
			} else if goPeers[gp] && !onOB && r.BLAS == openBLAS {
				r.Err = fmt.Sprintf("%s runs Gorgonia on OpenBLAS: build it without -tags openblas for the default rows", cmd.Path)
			}
			fmt.Fprintf(os.Stderr, " %.1fs %s\n", time.Since(t0).Seconds(), r.Err)
			res[w][p] = r
		}
	}
	blas := ""
	if len(pyPeers) > 0 {
		blas = peerBLAS(py, peerEnv(env))
	}
	printTable(os.Stdout, sel, res, real, threads, epochs, pyPeers, ob != "", blas)
	return nil
}

func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

// findPython returns the interpreter and which of the Python peers it can
// import, saying on stderr why a peer is skipped.
func findPython(py string) (string, map[string]bool) {
	ok := map[string]bool{}
	if py == "" {
		py = "/usr/bin/python3"
		if _, err := os.Stat(py); err != nil {
			py = "python3"
		}
	}
	if _, err := exec.LookPath(py); err != nil {
		fmt.Fprintf(os.Stderr, "skipping the PyTorch and NumPy peers: no %s (install python3-torch python3-numpy)\n", py)
		return py, ok
	}
	for peer, mod := range map[string]string{"numpy": "numpy", "torch": "torch"} {
		if err := exec.Command(py, "-c", "import numpy, "+mod).Run(); err != nil {
			fmt.Fprintf(os.Stderr, "skipping the %s peer: %s cannot import %s (apt-get install python3-%s)\n", peer, py, mod, mod)
			continue
		}
		ok[peer] = true
	}
	return py, ok
}

// writeData writes the datasets and the starting weights of every
// workload (the Keras model's, seed 1) as raw little-endian float32.
func writeData(dir string) (real bool, err error) {
	train, test, real := bench.MNIST()
	moons, err := bench.Moons()
	if err != nil {
		return false, err
	}
	lin := bench.Linear()
	files := map[string][]float32{
		"mnist_xtrain.f32": train.X, "mnist_ytrain.f32": train.Y, "mnist_xtest.f32": test.X, "mnist_ytest.f32": test.Y,
		"moons_xtrain.f32": moons.X, "moons_ytrain.f32": moons.Y, "linear_xtrain.f32": lin.X, "linear_ytrain.f32": lin.Y,
	}
	for _, s := range []bench.Spec{bench.MNIST30, bench.MNIST100, bench.Linear5X1, bench.MoonsSpec} {
		m, err := bench.KerasModel(s, 1)
		if err != nil {
			return false, err
		}
		ws := m.GetWeights()
		for i := 0; i < len(ws); i += 2 {
			files[fmt.Sprintf("%s_w%d.f32", s.Name, i/2+1)] = ws[i].Data().([]float32)
			files[fmt.Sprintf("%s_b%d.f32", s.Name, i/2+1)] = ws[i+1].Data().([]float32)
		}
	}
	for name, v := range files {
		var buf bytes.Buffer
		binary.Write(&buf, binary.LittleEndian, v)
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return false, err
		}
	}
	return real, nil
}

func readData(dir, name string, in, out int, test bool) bench.Data {
	x, y := readF32(dir, name+"_xtrain.f32"), readF32(dir, name+"_ytrain.f32")
	if test {
		x, y = readF32(dir, name+"_xtest.f32"), readF32(dir, name+"_ytest.f32")
	}
	return bench.Data{X: x, Y: y, N: len(x) / in, In: in, Out: out}
}

func readF32(dir, name string) []float32 {
	f, err := os.Open(filepath.Join(dir, name))
	must(err)
	defer f.Close()
	st, err := f.Stat()
	must(err)
	v := make([]float32, st.Size()/4)
	must(binary.Read(bufio.NewReaderSize(f, 1<<20), binary.LittleEndian, v))
	return v
}

func readWeights(dir string, s bench.Spec) []*tensor.Dense {
	var ws []*tensor.Dense
	for i := 1; i < len(s.Sizes); i++ {
		ws = append(ws,
			tensor.New(tensor.WithShape(s.Sizes[i-1], s.Sizes[i]), tensor.WithBacking(readF32(dir, fmt.Sprintf("%s_w%d.f32", s.Name, i)))),
			tensor.New(tensor.WithShape(s.Sizes[i]), tensor.WithBacking(readF32(dir, fmt.Sprintf("%s_b%d.f32", s.Name, i)))))
	}
	return ws
}

func specOf(work string) (bench.Spec, string) {
	switch work {
	case "mnist30", "predict1", "predict10000":
		return bench.MNIST30, "mnist"
	case "mnist100":
		return bench.MNIST100, "mnist"
	case "5x+1":
		return bench.Linear5X1, "linear"
	case "moons":
		return bench.MoonsSpec, "moons"
	}
	panic("unknown workload " + work)
}

func runChild(peer, work, dir string, epochs int) (r result) {
	defer func() {
		if e := recover(); e != nil {
			r.Err = fmt.Sprint(e)
		}
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		r.MaxRSSKB = ru.Maxrss
		r.BLAS = fmt.Sprintf("%T", G.WhichBLAS())
	}()
	if work == "lstm" {
		x, y := bench.LSTMData()
		m, err := bench.LSTMModel(1)
		must(err)
		var times []float64
		for e := 0; e < epochs; e++ {
			t0 := time.Now()
			_, err := bench.LSTMFit(m, x, y)
			must(err)
			times = append(times, time.Since(t0).Seconds())
		}
		r.Seconds = median(times)
		return r
	}
	s, data := specOf(work)
	if peer == "gorgonia=" {
		s = bench.SameLoss(s)
	}
	train := readData(dir, data, s.Sizes[0], s.Sizes[len(s.Sizes)-1], false)
	init := readWeights(dir, s)
	model := func() *keras.Model {
		m, err := bench.KerasModel(s, 1)
		must(err)
		must(m.SetWeights(bench.Clone(init)))
		return m
	}
	switch work {
	case "mnist30", "mnist100":
		test := readData(dir, data, s.Sizes[0], s.Sizes[len(s.Sizes)-1], true)
		steps := float64(train.N / s.Batch)
		var times, allocs []float64
		var ms runtime.MemStats
		if peer == "keras" {
			m := model()
			for e := 0; e < epochs; e++ {
				runtime.ReadMemStats(&ms)
				a0 := ms.Mallocs
				t0 := time.Now()
				_, err := bench.KerasFit(m, s, train, 1)
				must(err)
				times = append(times, time.Since(t0).Seconds())
				runtime.GC()
				runtime.ReadMemStats(&ms)
				allocs = append(allocs, float64(ms.Mallocs-a0)/steps)
				r.HeapByEpoch = append(r.HeapByEpoch, float64(ms.HeapAlloc)/(1<<20))
			}
			acc, err := bench.KerasAccuracy(m, test)
			must(err)
			r.Acc = acc
		} else {
			n, err := bench.NewNet(s, s.Batch, init, true)
			must(err)
			for e := 0; e < epochs; e++ {
				runtime.ReadMemStats(&ms)
				a0 := ms.Mallocs
				t0 := time.Now()
				_, err := n.Epoch(train)
				must(err)
				times = append(times, time.Since(t0).Seconds())
				runtime.GC()
				runtime.ReadMemStats(&ms)
				allocs = append(allocs, float64(ms.Mallocs-a0)/steps)
				r.HeapByEpoch = append(r.HeapByEpoch, float64(ms.HeapAlloc)/(1<<20))
			}
			p, err := bench.NewNet(s, 1000, init, false)
			must(err)
			out := make([]float32, test.N*test.Out)
			must(p.Predict(test, out))
			r.Acc = bench.Accuracy(out, test)
		}
		r.Seconds, r.AllocsStep = median(times), median(allocs)
	case "5x+1", "moons":
		reps := 5
		if work == "moons" {
			reps = 1
		}
		var times []float64
		for i := 0; i < reps; i++ {
			t0 := time.Now()
			if peer == "keras" {
				m := model()
				_, err := bench.KerasFit(m, s, train, s.Epochs)
				must(err)
				times = append(times, time.Since(t0).Seconds())
				if work == "5x+1" {
					out, err := m.Predict(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{10})))
					must(err)
					r.Value = float64(out.Data().([]float32)[0])
				} else {
					acc, err := bench.KerasAccuracy(m, train)
					must(err)
					r.Acc = acc
				}
				continue
			}
			n, err := bench.NewNet(s, train.N, bench.Clone(init), true)
			must(err)
			for e := 0; e < s.Epochs; e++ {
				_, err := n.Epoch(train)
				must(err)
			}
			times = append(times, time.Since(t0).Seconds())
			p, err := bench.NewNet(s, train.N, n.Weights(), false)
			must(err)
			out := make([]float32, train.N*train.Out)
			must(p.Predict(train, out))
			if work == "5x+1" {
				one, err := bench.NewNet(s, 1, n.Weights(), false)
				must(err)
				v := make([]float32, 1)
				must(one.Predict(bench.Data{X: []float32{10}, Y: []float32{0}, N: 1, In: 1, Out: 1}, v))
				r.Value = float64(v[0])
			} else {
				r.Acc = bench.Accuracy(out, train)
			}
		}
		r.Seconds = median(times)
	case "predict1", "predict10000":
		test := readData(dir, data, s.Sizes[0], s.Sizes[len(s.Sizes)-1], true)
		n := 1
		reps := 2000
		if work == "predict10000" {
			n, reps = 10000, 5
		}
		d := test.Rows(0, n)
		var f func()
		if peer == "keras" {
			m := model()
			x, _ := d.Tensors()
			f = func() { _, err := m.Predict(x); must(err) }
		} else {
			full, err := bench.NewNet(s, min(32, n), init, false)
			must(err)
			var tail *bench.Net
			if r := n % 32; n > 32 && r > 0 {
				tail, err = bench.NewNet(s, r, init, false)
				must(err)
			}
			out := make([]float32, n*10)
			f = func() {
				must(full.Predict(d, out))
				if tail != nil {
					at := n - n%32
					must(tail.Predict(d.Rows(at, n), out[at*10:]))
				}
			}
		}
		f()
		t0 := time.Now()
		for i := 0; i < reps; i++ {
			f()
		}
		r.Seconds = time.Since(t0).Seconds() / float64(reps)
	}
	return r
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	return s[len(s)/2]
}

func printTable(w *os.File, sel []string, res map[string]map[string]result, real bool, threads, epochs int, py map[string]bool, ob bool, blas string) {
	data := "real MNIST"
	if !real {
		data = "synthetic MNIST-sized data (MNIST files not found)"
	}
	fmt.Fprintf(w, "\nIssue 7 benchmark: %d threads per peer, %s, %s/%s, %d CPUs, MNIST epochs per peer %d (median epoch time)\n",
		threads, data, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), epochs)
	cmd, obFlag := "scripts/bench.sh", ""
	if ob {
		cmd, obFlag = "scripts/bench.sh -openblas", " -openblas BIN"
	}
	fmt.Fprintf(w, "command: %s (go run ./bench/cmd/benchtable -threads %d -epochs %d%s)\n", cmd, threads, epochs, obFlag)
	if blas != "" {
		fmt.Fprintf(w, "PyTorch and NumPy BLAS: %s\n", blas)
	}
	fmt.Fprintln(w)
	peers := []string{"keras", "gorgonia", "gorgonia=", "torch", "numpy"}
	fmt.Fprintf(w, "| %-32s | %10s | %10s | %10s | %10s | %10s | %8s | %8s | %8s | %8s |\n", "workload", "keras", "gorgonia", "gorgonia=", "pytorch", "numpy", "k/gorg.", "k/gorg=", "k/torch", "k/numpy")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 34), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 10))
	// row prints one figure of every peer; with onOB, the Go peers' cells
	// are their OpenBLAS runs and the Python peers' cells repeat their
	// only run, so that the ratios compare like with like.
	row := func(work, name string, get func(r result) (float64, bool), format string, ratio, onOB bool) {
		cells := make([]string, 0, 9)
		vals := map[string]float64{}
		for _, p := range peers {
			key := p
			if onOB && goPeers[p] {
				key = p + "+ob"
			}
			r, ok := res[work][key]
			if !ok {
				cells = append(cells, "skipped")
				continue
			}
			if r.Err != "" {
				cells = append(cells, "error")
				continue
			}
			v, ok := get(r)
			if !ok {
				cells = append(cells, "-")
				continue
			}
			vals[p] = v
			cells = append(cells, fmt.Sprintf(format, v))
		}
		for _, p := range peers[1:] {
			k, ok1 := vals["keras"]
			o, ok2 := vals[p]
			if !ratio || !ok1 || !ok2 || o == 0 {
				cells = append(cells, "")
				continue
			}
			cells = append(cells, fmt.Sprintf("%.2f", k/o))
		}
		if onOB {
			name += " openblas"
		}
		fmt.Fprintf(w, "| %-32s | %10s | %10s | %10s | %10s | %10s | %8s | %8s | %8s | %8s |\n", name, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8])
	}
	one := func(work, name string, get func(r result) (float64, bool), format string, ratio bool) {
		row(work, name, get, format, ratio, false)
	}
	both := func(work, name string, get func(r result) (float64, bool), format string, ratio bool) {
		row(work, name, get, format, ratio, false)
		if ob {
			row(work, name, get, format, ratio, true)
		}
	}
	sec := func(r result) (float64, bool) { return r.Seconds, true }
	us := func(r result) (float64, bool) { return r.Seconds * 1e6, true }
	ms := func(r result) (float64, bool) { return r.Seconds * 1e3, true }
	acc := func(r result) (float64, bool) { return r.Acc, r.Acc != 0 }
	mb := func(r result) (float64, bool) { return float64(r.MaxRSSKB) / 1024, r.MaxRSSKB != 0 }
	for _, wk := range sel {
		switch wk {
		case "mnist30", "mnist100":
			both(wk, wk+" s/epoch", sec, "%.3f", true)
			both(wk, wk+" val acc", acc, "%.4f", false)
			one(wk, wk+" allocs/step", func(r result) (float64, bool) { return r.AllocsStep, r.AllocsStep != 0 }, "%.0f", true)
			one(wk, wk+" peak RSS MB", mb, "%.0f", true)
			one(wk, wk+" heap MB ep1→last", func(r result) (float64, bool) {
				if len(r.HeapByEpoch) == 0 {
					return 0, false
				}
				return r.HeapByEpoch[len(r.HeapByEpoch)-1] - r.HeapByEpoch[0], true
			}, "%+.1f", false)
		case "5x+1":
			both(wk, "5x+1 total s", sec, "%.4f", true)
			both(wk, "5x+1 predict(10)", func(r result) (float64, bool) { return r.Value, r.Value != 0 }, "%.4f", false)
		case "moons":
			both(wk, "moons total s", sec, "%.3f", true)
			both(wk, "moons train acc", acc, "%.4f", false)
		case "predict1":
			both(wk, "predict 1 sample µs", us, "%.1f", true)
		case "predict10000":
			both(wk, "predict 10000 ms (b=32)", ms, "%.2f", true)
		case "lstm":
			both(wk, "lstm64 s/epoch", sec, "%.3f", true)
		}
	}
	fmt.Fprintln(w, "\ngorgonia: hand-written Gorgonia, stable log-softmax cross-entropy; gorgonia=: the same program computing")
	fmt.Fprint(w, "Keras's cross-entropy on probabilities op for op (the graph keras builds); ratios are keras/peer, < 1 means keras is faster.")
	if ob {
		fmt.Fprint(w, "\nopenblas rows: the Go peers built with -tags openblas (Gorgonia's BLAS is OpenBLAS through cgo, OPENBLAS_NUM_THREADS as above);")
		fmt.Fprint(w, "\nthe other rows run the default build (internal/gemm, pure Go and assembly); the Python peers' cells repeat their one run.")
	}
	for _, p := range []string{"torch", "numpy"} {
		if !py[p] {
			fmt.Fprintf(w, "\n%s peer skipped: not importable (apt-get install python3-%s)", p, p)
		}
	}
	fmt.Fprintln(w)
}
