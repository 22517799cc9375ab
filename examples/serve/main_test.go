package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"gorgonia.org/tensor"
)

// modelPath is the example's model file, made once by TestMain as run
// makes it.
var modelPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "serve-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	modelPath = filepath.Join(dir, "classifier.keras")
	if err := makeModel(modelPath); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testModel loads the example's model file, as run does, into a model
// of the caller's own.
func testModel(t testing.TB) *keras.Model {
	t.Helper()
	m, err := keras.LoadModel(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// rows returns n seeded rows of the synthetic features, and the JSON
// request that holds them, each number written as the shortest decimal
// of its float32.
func rows(n int, seed uint64) ([]float32, []byte) {
	x, _ := synthetic(n, seed)
	vals := x.Data().([]float32)
	var b bytes.Buffer
	b.WriteString(`{"instances": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('[')
		for j, v := range vals[i*features : (i+1)*features] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32))
		}
		b.WriteByte(']')
	}
	b.WriteString("]}")
	return vals, b.Bytes()
}

// direct is model.Predict on vals, n rows of the model's input, as
// [][]float32: what /predict must answer for them.
func direct(t testing.TB, model *keras.Model, vals []float32, n int) [][]float32 {
	t.Helper()
	in := append([]int{n}, model.InputShape()...)
	y, err := model.Predict(tensor.New(tensor.WithShape(in...), tensor.WithBacking(slices.Clone(vals))))
	if err != nil {
		t.Fatal(err)
	}
	out := y.Data().([]float32)
	w := len(out) / n
	want := make([][]float32, n)
	for i := range want {
		want[i] = out[i*w : (i+1)*w]
	}
	return want
}

// call sends one request to h and returns its answer.
func call(h http.Handler, method, target string, body []byte) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, bytes.NewReader(body)))
	return rec
}

// errorOf is the "error" of a JSON error answer, or a note that there is
// none.
func errorOf(body []byte) string {
	var e errorResponse
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		return fmt.Sprintf("(not a JSON error: %q)", body)
	}
	return e.Error
}

// A good request is answered with model.Predict's values for its
// instances, bit for bit (float32s go through JSON as their shortest
// decimals, which read back exactly); each bad one with its status and a
// message that says what was expected and what was given.
func TestPredictHandler(t *testing.T) {
	model := testModel(t)
	lim := limits{maxBody: 1 << 10, maxInstances: 4, maxInflight: 2}
	s, err := newServer(model, lim)
	if err != nil {
		t.Fatal(err)
	}
	h := s.handler()

	for _, n := range []int{1, 3, 4} {
		vals, body := rows(n, uint64(n))
		rec := call(h, "POST", "/predict", body)
		code, resp := rec.Code, rec.Body.Bytes()
		if code != http.StatusOK {
			t.Fatalf("%d instances: status %d: %s", n, code, resp)
		}
		var got struct{ Predictions [][]float32 }
		if err := json.Unmarshal(resp, &got); err != nil {
			t.Fatalf("%d instances: %v: %s", n, err, resp)
		}
		if want := direct(t, model, vals, n); !slices.EqualFunc(got.Predictions, want, slices.Equal) {
			t.Errorf("%d instances: predictions %v, want model.Predict's %v", n, got.Predictions, want)
		}
	}

	row := `[0.5, -1, 0.3, 2, 0, -0.7, 1.2, 0.1]`
	with := func(bad string) string { return `{"instances": [` + row + `, ` + bad + `]}` }
	tests := []struct {
		name, method, target, body string
		status                     int
		msg                        string // a part of the error
	}{
		{"signature", "POST", "/predict", `{"signature_name": "serving_default", "instances": [` + row + `]}`, 200, ""},
		{"empty body", "POST", "/predict", ``, 400, "the body is empty"},
		{"bad JSON", "POST", "/predict", `{"instances": [[1, 2,]]}`, 400, "not valid JSON: invalid character ']'"},
		{"cut JSON", "POST", "/predict", `{"instances": [` + row, 400, "not valid JSON: it ends inside a value"},
		{"not an object", "POST", "/predict", `[` + row + `]`, 400, `must be a JSON object {"instances": [...]}, got array`},
		{"two values", "POST", "/predict", `{"instances": [` + row + `]} {}`, 400, "more than one JSON value"},
		{"no instances", "POST", "/predict", `{}`, 400, `no "instances"`},
		{"null instances", "POST", "/predict", `{"instances": null}`, 400, `no "instances"`},
		{"instances not an array", "POST", "/predict", `{"instances": "a"}`, 400, `"instances" must be an array of instances, got string`},
		{"empty instances", "POST", "/predict", `{"instances": []}`, 400, `"instances" is empty: send at least one instance of shape (8,)`},
		{"columnar format", "POST", "/predict", `{"inputs": [` + row + `]}`, 400, `unknown field "inputs"`},
		{"other signature", "POST", "/predict", `{"signature_name": "train", "instances": [` + row + `]}`, 400, `unknown signature_name "train"`},
		{"short row", "POST", "/predict", with(`[1, 2, 3, 4, 5, 6, 7]`), 400, "instances[1]: expected 8 numbers, got 7 (the model's input shape is (8,))"},
		{"long row", "POST", "/predict", with(`[1, 2, 3, 4, 5, 6, 7, 8, 9]`), 400, "instances[1]: expected 8 numbers, got 9"},
		{"number for a row", "POST", "/predict", with(`7`), 400, "instances[1]: expected an array of 8 numbers, got a number"},
		{"nested row", "POST", "/predict", `{"instances": [[` + row + `]]}`, 400, "instances[0]: expected 8 numbers, got 1"},
		{"array for a number", "POST", "/predict", with(`[1, 2, [3], 4, 5, 6, 7, 8]`), 400, "instances[1][2]: expected a number, got an array of 1"},
		{"string", "POST", "/predict", with(`[1, 2, "3", 4, 5, 6, 7, 8]`), 400, "instances[1][2]: expected a number, got a string"},
		{"null", "POST", "/predict", with(`[1, 2, 3, null, 5, 6, 7, 8]`), 400, "instances[1][3]: expected a number, got null"},
		{"boolean", "POST", "/predict", with(`[true, 2, 3, 4, 5, 6, 7, 8]`), 400, "instances[1][0]: expected a number, got a boolean"},
		{"NaN", "POST", "/predict", with(`[NaN, 2, 3, 4, 5, 6, 7, 8]`), 400, "not valid JSON: invalid character 'N'"},
		{"overflows float64", "POST", "/predict", with(`[1, 2, 3, 4, 5, 6, 7, -1e999]`), 400, "instances[1][7]: -1e999 is not a finite float32"},
		{"overflows float32", "POST", "/predict", with(`[1, 2, 3, 4, 5, 6, 7, 1e39]`), 400, "instances[1][7]: 1e39 is not a finite float32 (the model's float type)"},
		{"too many instances", "POST", "/predict", `{"instances": [` + strings.Repeat(row+",", 4) + row + `]}`, 400, "too many instances: at most 4 in one request, got 5"},
		{"too large", "POST", "/predict", `{"instances": [` + row + strings.Repeat(" ", 1<<10) + `]}`, 413, "larger than the limit of 1024 bytes"},
		{"GET predict", "GET", "/predict", ``, 405, "GET /predict: use POST"},
		{"POST healthz", "POST", "/healthz", `{}`, 405, "POST /healthz: use GET"},
		{"unknown path", "GET", "/v1/models/classifier", ``, 404, "no endpoint /v1/models/classifier"},
		{"healthz", "GET", "/healthz", ``, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := call(h, tt.method, tt.target, []byte(tt.body))
			resp := rec.Body.Bytes()
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, resp)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if allow := rec.Header().Get("Allow"); tt.status == http.StatusMethodNotAllowed && allow != map[string]string{"/predict": "POST", "/healthz": "GET"}[tt.target] {
				t.Errorf("Allow %q", allow)
			}
			if tt.msg != "" && !strings.Contains(errorOf(resp), tt.msg) {
				t.Errorf("error %q, want it to contain %q", errorOf(resp), tt.msg)
			}
		})
	}
}

// An input shape ending in 1 takes instances with or without that axis,
// as Keras's predict; an input of more than one axis takes instances
// nested as it, and an error names the index that is wrong.
func TestInstanceShapes(t *testing.T) {
	tests := []struct {
		name   string
		model  *keras.Model
		bodies []string // requests with the same answer
		bad    string
		msg    string
	}{
		{
			name:   "(1,)",
			model:  keras.Sequential(layers.Dense(2, layers.InputShape(1))),
			bodies: []string{`{"instances": [[1.5], [-2]]}`, `{"instances": [1.5, -2]}`},
			bad:    `{"instances": [[1.5, 2]]}`,
			msg:    "instances[0]: expected 1 number, got 2 (the model's input shape is (1,))",
		},
		{
			name:  "(2, 3, 1)",
			model: keras.Sequential(keras.Input(2, 3, 1), layers.Flatten(), layers.Dense(2)),
			bodies: []string{
				`{"instances": [[[[1], [2], [3]], [[4], [5], [6]]]]}`,
				`{"instances": [[[1, 2, 3], [4, 5, 6]]]}`,
			},
			bad: `{"instances": [[[1, 2, 3], [4, 5]]]}`,
			msg: "instances[0][1]: expected 3 numbers, got 2 (the model's input shape is (2, 3, 1))",
		},
		{
			name:   "(2, 3)",
			model:  keras.Sequential(keras.Input(2, 3), layers.Flatten(), layers.Dense(2)),
			bodies: []string{`{"instances": [[[1, 2, 3], [4, 5, 6]], [[0, 0, 0], [1, 1, 1]]]}`},
			bad:    `{"instances": [[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], 4]]}`,
			msg:    "instances[1][1]: expected an array of 3 numbers, got a number (the model's input shape is (2, 3))",
		},
		{
			name:   "(2, 3) flat",
			model:  keras.Sequential(keras.Input(2, 3), layers.Flatten(), layers.Dense(2)),
			bodies: []string{`{"instances": [[[1, 2, 3], [4, 5, 6]]]}`},
			bad:    `{"instances": [[1, 2, 3, 4, 5, 6]]}`,
			msg:    "instances[0]: expected 2 arrays of 3, got 6 (the model's input shape is (2, 3))",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := newServer(tt.model, defaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			h := s.handler()
			var first string
			for _, body := range tt.bodies {
				rec := call(h, "POST", "/predict", []byte(body))
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: status %d: %s", body, rec.Code, rec.Body)
				}
				if first == "" {
					first = rec.Body.String()
				} else if rec.Body.String() != first {
					t.Errorf("%s: answer %s, want %s", body, rec.Body, first)
				}
			}
			rec := call(h, "POST", "/predict", []byte(tt.bad))
			if rec.Code != http.StatusBadRequest || !strings.Contains(errorOf(rec.Body.Bytes()), tt.msg) {
				t.Errorf("%s: status %d, error %q; want 400 and %q", tt.bad, rec.Code, errorOf(rec.Body.Bytes()), tt.msg)
			}
		})
	}
}

// GET /v1/model describes the served model with Keras's shapes.
func TestDescribe(t *testing.T) {
	s, err := newServer(testModel(t), defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	rec := call(s.handler(), "GET", "/v1/model", nil)
	want := `{"name":"classifier","class_name":"Sequential","input_shape":[null,8],"output_shape":[null,3],` +
		`"dtype":"float32","params":387,"max_instances":1024,"max_body_bytes":4194304}` + "\n"
	// params: Dense 32 on 8 features (8*32+32) and Dense 3 on 32 (32*3+3).
	if rec.Code != http.StatusOK || rec.Body.String() != want {
		t.Errorf("status %d, body %s, want %s", rec.Code, rec.Body, want)
	}
}

// newServer refuses limits that are not positive and a model whose input
// shape is unknown.
func TestNewServerErrors(t *testing.T) {
	lim := func(f func(*limits)) limits { l := defaultLimits(); f(&l); return l }
	tests := []struct {
		name  string
		model *keras.Model
		lim   limits
		msg   string
	}{
		{"max-body", testModel(t), lim(func(l *limits) { l.maxBody = 0 }), "limits must be positive, got max-body 0"},
		{"max-instances", testModel(t), lim(func(l *limits) { l.maxInstances = -1 }), "max-instances -1"},
		{"max-inflight", testModel(t), lim(func(l *limits) { l.maxInflight = 0 }), "max-inflight 0"},
		{"unbuilt", keras.Sequential(layers.Dense(2)), defaultLimits(), "input shape is not recorded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newServer(tt.model, tt.lim)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %v, want one containing %q", err, tt.msg)
			}
		})
	}
}

// While Fit runs on the served model, /predict answers 503 with
// Retry-After (keras.ErrBusy), and predicts again once Fit returns.
func TestPredictWhileTraining(t *testing.T) {
	model := testModel(t) // compiled: the file keeps its compile config
	s, err := newServer(model, defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	h := s.handler()
	_, body := rows(2, 3)
	var during *httptest.ResponseRecorder
	cb := callbacks.LambdaCallback(callbacks.Lambda{
		OnTrainBatchEnd: func(batch int, logs callbacks.Logs) error {
			if during == nil {
				during = call(h, "POST", "/predict", body)
			}
			return nil
		},
	})
	x, y := synthetic(16, 5)
	if _, err := model.Fit(x, y, keras.Epochs(1), keras.BatchSize(8), keras.Verbose(0), keras.Callbacks(cb)); err != nil {
		t.Fatal(err)
	}
	if during == nil {
		t.Fatal("the callback did not run")
	}
	if during.Code != http.StatusServiceUnavailable || during.Header().Get("Retry-After") != "1" ||
		!strings.Contains(errorOf(during.Body.Bytes()), "the model is training") {
		t.Errorf("during Fit: status %d, Retry-After %q, body %s", during.Code, during.Header().Get("Retry-After"), during.Body)
	}
	if after := call(h, "POST", "/predict", body); after.Code != http.StatusOK {
		t.Errorf("after Fit: status %d: %s", after.Code, after.Body)
	}
}

// loadRequests is the number of requests of the load test.
func loadRequests() int {
	if testing.Short() {
		return 400
	}
	return 2000
}

// The load test: a server on a loopback port answers a bounded number of
// requests (2,000, 400 with -short) from 8 goroutines through a real
// http.Client, predicting concurrently on the one model; every answer
// must equal model.Predict's on the same instances, run serially before
// (the same instances: a sample's float32 outputs may differ in the last
// bit with the size of the batch it is predicted in).
// It logs the latency percentiles and the throughput, and the server
// then shuts down gracefully.
func TestServeLoad(t *testing.T) {
	const workers, distinct = 8, 64
	model := testModel(t)
	// As many predictions at once as clients, so that Predict runs
	// concurrently on the one model as much as the clients make it.
	lim := defaultLimits()
	lim.maxInflight = workers
	s, err := newServer(model, lim)
	if err != nil {
		t.Fatal(err)
	}
	// Requests of 1 to 8 instances, and their answers predicted serially.
	bodies := make([][]byte, distinct)
	want := make([][][]float32, distinct)
	for i := range distinct {
		n := 1 + i%8
		var vals []float32
		vals, bodies[i] = rows(n, uint64(100+i))
		want[i] = direct(t, model, vals, n)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/predict"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, s.handler(), log.New(io.Discard, "", 0)) }()

	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers, DisableCompression: true},
	}
	defer client.CloseIdleConnections()
	total := loadRequests()
	lat := make([]time.Duration, total)
	var next, failures atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= total || failures.Load() > 10 {
					return
				}
				k := i % distinct
				t0 := time.Now()
				got, err := post(client, url, bodies[k])
				lat[i] = time.Since(t0)
				if err == nil && !slices.EqualFunc(got, want[k], slices.Equal) {
					err = fmt.Errorf("predictions %v, want the serial %v", got, want[k])
				}
				if err != nil {
					failures.Add(1)
					t.Errorf("request %d: %v", i, err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failures.Load() > 0 {
		t.FailNow()
	}

	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	t.Logf("%d requests of 1-8 instances from %d goroutines in %v: %.0f requests/s; latency p50 %v, p90 %v, p99 %v, max %v",
		total, workers, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(),
		q(0.50).Round(time.Microsecond), q(0.90).Round(time.Microsecond), q(0.99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond))

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not return after its context was canceled")
	}
	if _, err := post(client, url, bodies[0]); err == nil {
		t.Error("the server still answers after shutting down")
	}
}

// post sends a predict request and returns its predictions.
func post(client *http.Client, url string, body []byte) ([][]float32, error) {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, data)
	}
	var out struct{ Predictions [][]float32 }
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return out.Predictions, nil
}

// run, as main calls it, serves the model it makes (no -model) or the
// file it is given on the listener it is given, and returns nil once its
// context is canceled.
func TestRun(t *testing.T) {
	for name, path := range map[string]string{"made": "", "-model": modelPath} {
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var logs syncBuffer
			done := make(chan error, 1)
			go func() { done <- run(ctx, path, ln, defaultLimits(), log.New(&logs, "", 0)) }()

			client := &http.Client{Timeout: 30 * time.Second}
			defer client.CloseIdleConnections()
			// The port is bound before the model is made: the request
			// waits in the listener's queue until the server answers.
			got, err := post(client, "http://"+ln.Addr().String()+"/predict", []byte(`{"instances": [[0.5, -1, 0.3, 2, 0, -0.7, 1.2, 0.1]]}`))
			if err != nil {
				t.Fatal(err)
			}
			sum := 0.0
			for _, p := range got[0] {
				sum += float64(p)
			}
			if len(got) != 1 || len(got[0]) != classes || sum < 0.999 || sum > 1.001 {
				t.Errorf("predictions %v, want 1 row of %d probabilities summing to 1", got, classes)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
			s := logs.String()
			if !strings.Contains(s, "serving classifier (input (8,), output (3,))") || !strings.Contains(s, "shutting down") ||
				strings.Contains(s, "trained a classifier") != (path == "") {
				t.Errorf("log:\n%s", s)
			}
		})
	}
}

// A missing model file is run's error, and run closes the listener.
func TestRunMissingFile(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), filepath.Join(t.TempDir(), "none.keras"), ln, defaultLimits(), log.New(io.Discard, "", 0))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want one wrapping os.ErrNotExist", err)
	}
	// A deadline, so that a listener left open fails the test rather
	// than blocking it (on a closed one SetDeadline fails, harmlessly).
	if tl, ok := ln.(*net.TCPListener); ok {
		tl.SetDeadline(time.Now().Add(time.Second))
	}
	if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("the listener is not closed: Accept gives %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// BenchmarkPredictHandler is the handler's cost for one request of 4
// instances (JSON in, Predict, JSON out), from GOMAXPROCS goroutines,
// without the network.
func BenchmarkPredictHandler(b *testing.B) {
	s, err := newServer(testModel(b), defaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	h := s.handler()
	_, body := rows(4, 1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rec := call(h, "POST", "/predict", body); rec.Code != http.StatusOK {
				b.Errorf("status %d: %s", rec.Code, rec.Body)
				return
			}
		}
	})
}

// BenchmarkServeLoopback is a request of 4 instances through a real
// client and server on a loopback port, from GOMAXPROCS goroutines.
func BenchmarkServeLoopback(b *testing.B) {
	s, err := newServer(testModel(b), defaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	_, body := rows(4, 1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := post(client, srv.URL+"/predict", body); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
