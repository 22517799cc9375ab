// Command convnettable times one epoch of Keras's "Simple MNIST convnet"
// (60,000 images, batch 128) through package keras and through PyTorch on
// CPU, each in its own process with the same thread count, from the same
// starting weights, and prints the two side by side with their ratio.
// scripts/bench.sh -convnet is the way to run it.
//
//	go run ./bench/cmd/convnettable [-threads 2] [-epochs 1] [-python /usr/bin/python3]
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
	"sort"
	"syscall"
	"time"

	"github.com/gokeras/keras/bench"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// result is what one peer reports.
type result struct {
	Seconds  float64 `json:"seconds"`
	Acc      float64 `json:"acc"`
	MaxRSSKB int64   `json:"maxrss_kb"`
	BLAS     string  `json:"blas,omitempty"`
	Err      string  `json:"error,omitempty"`
}

func main() {
	child := flag.Bool("child", false, "internal: run the keras peer on -data")
	dataDir := flag.String("data", "", "internal: data directory of -child")
	threads := flag.Int("threads", 2, "threads for every peer (GOMAXPROCS, torch.set_num_threads, OMP)")
	epochs := flag.Int("epochs", 1, "epochs per peer (the median epoch time is reported)")
	python := flag.String("python", "/usr/bin/python3", "Python with numpy and torch")
	flag.Parse()
	if *child {
		json.NewEncoder(os.Stdout).Encode(runChild(*dataDir, *epochs))
		return
	}
	if err := run(*threads, *epochs, *python); err != nil {
		fmt.Fprintln(os.Stderr, "convnettable:", err)
		os.Exit(1)
	}
}

func run(threads, epochs int, python string) error {
	dir, err := os.MkdirTemp("", "keras-convnet-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	train, test, real := bench.MNIST()
	m, err := bench.ConvnetModel(1)
	if err != nil {
		return err
	}
	files := map[string][]float32{"mnist_xtrain.f32": train.X, "mnist_ytrain.f32": train.Y, "mnist_xtest.f32": test.X, "mnist_ytest.f32": test.Y}
	for i, w := range m.GetWeights() {
		kind := "w"
		if i%2 == 1 {
			kind = "b"
		}
		files[fmt.Sprintf("convnet_%s%d.f32", kind, i/2+1)] = w.Data().([]float32)
	}
	for name, v := range files {
		var buf bytes.Buffer
		binary.Write(&buf, binary.LittleEndian, v)
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	env := append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", threads), fmt.Sprintf("OMP_NUM_THREADS=%d", threads),
		fmt.Sprintf("OPENBLAS_NUM_THREADS=%d", threads), fmt.Sprintf("MKL_NUM_THREADS=%d", threads))
	peers := []struct {
		name string
		cmd  *exec.Cmd
	}{
		{"keras", exec.Command(self, "-child", "-data", dir, "-epochs", fmt.Sprint(epochs))},
		{"torch", exec.Command(python, filepath.Join("bench", "peers", "convnet.py"), "--data", dir, "--threads", fmt.Sprint(threads), "--epochs", fmt.Sprint(epochs))},
	}
	res := map[string]result{}
	for _, p := range peers {
		if p.name == "torch" {
			if err := exec.Command(python, "-c", "import numpy, torch").Run(); err != nil {
				fmt.Fprintf(os.Stderr, "skipping the torch peer: %s cannot import torch (apt-get install python3-torch python3-numpy)\n", python)
				continue
			}
		}
		p.cmd.Env = env
		p.cmd.Stderr = os.Stderr
		fmt.Fprintf(os.Stderr, "running convnet %-6s ...", p.name)
		t0 := time.Now()
		out, err := p.cmd.Output()
		var r result
		if err != nil {
			r.Err = err.Error()
		} else if err := json.Unmarshal(lastLine(out), &r); err != nil {
			r.Err = fmt.Sprintf("bad output %q: %v", out, err)
		}
		fmt.Fprintf(os.Stderr, " %.1fs %s\n", time.Since(t0).Seconds(), r.Err)
		res[p.name] = r
	}
	data := "real MNIST"
	if !real {
		data = "synthetic data of MNIST's size (MNIST files not found)"
	}
	fmt.Printf("Keras's Simple MNIST convnet, one epoch of 60,000 images, batch 128, %d thread(s), %s; median of %d epoch(s)\n\n", threads, data, epochs)
	fmt.Printf("| peer | s/epoch | test accuracy | max RSS MB | vs torch |\n|---|---|---|---|---|\n")
	names := make([]string, 0, len(res))
	for n := range res {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := res[n]
		if r.Err != "" {
			fmt.Printf("| %s | error: %s | | | |\n", n, r.Err)
			continue
		}
		ratio := ""
		if t, ok := res["torch"]; ok && t.Err == "" && t.Seconds > 0 {
			ratio = fmt.Sprintf("%.2fx", r.Seconds/t.Seconds)
		}
		fmt.Printf("| %s | %.2f | %.4f | %.0f | %s |\n", n, r.Seconds, r.Acc, float64(r.MaxRSSKB)/1024, ratio)
	}
	return nil
}

func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

func runChild(dir string, epochs int) (r result) {
	defer func() {
		if e := recover(); e != nil {
			r.Err = fmt.Sprint(e)
		}
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		r.MaxRSSKB = ru.Maxrss
		r.BLAS = fmt.Sprintf("%T", G.WhichBLAS())
	}()
	read := func(name string, in int) bench.Data {
		x, y := readF32(dir, "mnist_x"+name+".f32"), readF32(dir, "mnist_y"+name+".f32")
		return bench.Data{X: x, Y: y, N: len(x) / in, In: in, Out: 10}
	}
	train, test := read("train", 784), read("test", 784)
	m, err := bench.ConvnetModel(1)
	must(err)
	shapes := [][]int{{3, 3, 1, 32}, {32}, {3, 3, 32, 64}, {64}, {1600, 10}, {10}}
	var ws []*tensor.Dense
	for i, s := range shapes {
		kind := "w"
		if i%2 == 1 {
			kind = "b"
		}
		ws = append(ws, tensor.New(tensor.WithShape(s...), tensor.WithBacking(readF32(dir, fmt.Sprintf("convnet_%s%d.f32", kind, i/2+1)))))
	}
	must(m.SetWeights(ws))
	// Build the training graph outside the timer (PyTorch has none to
	// build) with one step on the first batch, then restore the starting
	// weights; Adam's moments keep that one step.
	_, err = bench.ConvnetFit(m, train.Rows(0, bench.ConvnetBatch), 1)
	must(err)
	must(m.SetWeights(ws))
	var times []float64
	for e := 0; e < epochs; e++ {
		t0 := time.Now()
		_, err := bench.ConvnetFit(m, train, 1)
		must(err)
		times = append(times, time.Since(t0).Seconds())
	}
	sort.Float64s(times)
	r.Seconds = times[len(times)/2]
	r.Acc, err = bench.ConvnetAccuracy(m, test)
	must(err)
	return r
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

func must(err error) {
	if err != nil {
		panic(err)
	}
}
