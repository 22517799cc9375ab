// Command predict loads a model file and prints its predictions for the
// samples read from standard input, one sample per line: a CSV row of
// numbers or a JSON array (nested arrays are flattened in row-major
// order, for models whose samples have several axes). It prints one line
// per sample in the same format. The file is any that keras.LoadModel
// reads: a .keras file saved by keras.Model.Save or by Python Keras 3, a
// legacy Keras 2 / tf.keras .h5 model, or this library's earlier format.
// It shows the model trained in one process (or in Python) and served
// from another:
//
//	go run ./cmd/predict -model model.keras < samples.csv
//	echo '[0.1, 0.2, 0.3]' | go run ./cmd/predict -model model.keras -format json
//
// Flags: -model (the file, required), -format (csv or json; default:
// json when the first sample starts with '[', else csv), -batch (the
// batch size, 32), -onnx (export the model to this ONNX file instead of
// predicting).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/gokeras/keras/keras"
	"gorgonia.org/tensor"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "predict:", err)
		os.Exit(1)
	}
}

// run is the command, with its arguments and streams.
func run(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("predict", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	path := fs.String("model", "", "model file: .keras (Model.Save or Python Keras 3) or a legacy Keras .h5")
	format := fs.String("format", "", "input and output format: csv or json (default: guessed from the first sample)")
	batch := fs.Int("batch", 32, "batch size")
	onnxPath := fs.String("onnx", "", "export the model to this ONNX file instead of predicting")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w (usage: predict -model model.keras [-format csv|json] [-batch 32] [-onnx out.onnx] < samples)", err)
	}
	if *path == "" {
		return errors.New("-model is required (usage: predict -model model.keras < samples)")
	}
	model, err := keras.LoadModel(*path)
	if err != nil {
		return err
	}
	if *onnxPath != "" {
		return model.ExportONNX(*onnxPath)
	}
	rows, f, err := readSamples(stdin, *format)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	shape := model.InputShape()
	width := len(rows[0])
	if shape != nil {
		width = 1
		for _, d := range shape {
			width *= d
		}
	} else {
		shape = []int{width}
	}
	flat := make([]float32, 0, len(rows)*width)
	for i, r := range rows {
		if len(r) != width {
			return fmt.Errorf("sample %d has %d values, the model expects %d (shape %v)", i+1, len(r), width, shape)
		}
		flat = append(flat, r...)
	}
	x := tensor.New(tensor.WithShape(append([]int{len(rows)}, shape...)...), tensor.WithBacking(flat))
	y, err := model.Predict(x, keras.BatchSize(*batch))
	if err != nil {
		return err
	}
	return writePredictions(stdout, y, len(rows), f)
}

// checkValue refuses a sample value that a float32 model cannot take:
// NaN, ±Inf, or a finite number beyond float32's range.
func checkValue(v float64, text string) (float32, error) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Errorf("%q is not a finite number", text)
	case math.Abs(v) > math.MaxFloat32:
		return 0, fmt.Errorf("%q is out of range (beyond float32's ±%g)", text, math.MaxFloat32)
	}
	return float32(v), nil
}

// readSamples reads one sample per non-empty line.
func readSamples(r io.Reader, format string) ([][]float32, string, error) {
	var rows [][]float32
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if format == "" {
			format = "csv"
			if strings.HasPrefix(text, "[") {
				format = "json"
			}
		}
		var row []float32
		var err error
		switch format {
		case "csv":
			row, err = parseCSV(text)
		case "json":
			row, err = parseJSON(text)
		default:
			return nil, "", fmt.Errorf("unknown -format %q (csv or json)", format)
		}
		if err != nil {
			return nil, "", fmt.Errorf("line %d: %w", line, err)
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, "", err
	}
	return rows, format, nil
}

func parseCSV(text string) ([]float32, error) {
	fields := strings.Split(text, ",")
	row := make([]float32, len(fields))
	for i, f := range fields {
		f = strings.TrimSpace(f)
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return nil, fmt.Errorf("field %d: %q is out of range", i+1, f)
			}
			return nil, fmt.Errorf("field %d: %q is not a number", i+1, f)
		}
		if row[i], err = checkValue(v, f); err != nil {
			return nil, fmt.Errorf("field %d: %w", i+1, err)
		}
	}
	return row, nil
}

func parseJSON(text string) ([]float32, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value on the line")
	}
	var row []float32
	var walk func(any) error
	walk = func(v any) error {
		switch x := v.(type) {
		case json.Number:
			f, err := strconv.ParseFloat(x.String(), 64)
			if err != nil {
				if errors.Is(err, strconv.ErrRange) {
					return fmt.Errorf("value %d: %q is out of range", len(row)+1, x.String())
				}
				return fmt.Errorf("value %d: %q is not a number", len(row)+1, x.String())
			}
			v, err := checkValue(f, x.String())
			if err != nil {
				return fmt.Errorf("value %d: %w", len(row)+1, err)
			}
			row = append(row, v)
		case []any:
			for _, e := range x {
				if err := walk(e); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("expected numbers or arrays of numbers, got %T", v)
		}
		return nil
	}
	if err := walk(v); err != nil {
		return nil, err
	}
	return row, nil
}

// writePredictions prints one line per sample.
func writePredictions(w io.Writer, y *tensor.Dense, n int, format string) error {
	var vals []float64
	switch d := y.Data().(type) {
	case []float32:
		for _, v := range d {
			vals = append(vals, float64(v))
		}
	case []float64:
		vals = d
	}
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("the model's output %d (sample %d) is %v: the model's weights or the input make it non-finite", i%max(1, len(vals)/n), i/max(1, len(vals)/n)+1, v)
		}
	}
	width := len(vals) / n
	bw := bufio.NewWriter(w)
	for i := range n {
		row := vals[i*width : (i+1)*width]
		parts := make([]string, len(row))
		for j, v := range row {
			parts[j] = strconv.FormatFloat(v, 'g', -1, 32)
		}
		if format == "json" {
			fmt.Fprintf(bw, "[%s]\n", strings.Join(parts, ", "))
		} else {
			fmt.Fprintln(bw, strings.Join(parts, ","))
		}
	}
	return bw.Flush()
}
