// Command predict loads a model saved with keras.Model.Save and prints
// its predictions for the samples read from standard input, one sample
// per line: a CSV row of numbers or a JSON array (nested arrays are
// flattened in row-major order, for models whose samples have several
// axes). It prints one line per sample in the same format. It shows the
// model trained in one process and served from another:
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
	path := fs.String("model", "", "model file written by Model.Save")
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
	shape := model.Layers()[0].InputShape()
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
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 32)
		if err != nil {
			return nil, fmt.Errorf("field %d: %q is not a number", i+1, f)
		}
		row[i] = float32(v)
	}
	return row, nil
}

func parseJSON(text string) ([]float32, error) {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, err
	}
	var row []float32
	var walk func(any) error
	walk = func(v any) error {
		switch x := v.(type) {
		case float64:
			row = append(row, float32(x))
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
