// Command serve serves a saved Keras model's predictions over HTTP, as a
// Go service would serve a model trained in Python:
//
//	go run ./examples/serve                                  # makes a .keras file, then serves it
//	go run ./examples/serve -model churn.keras -addr 127.0.0.1:9000
//
// By default the example makes its model itself, so that it runs
// anywhere: it trains a small seeded classifier on synthetic data (8
// features, Dense 32 relu, Dense 3 softmax), saves it to a temporary
// .keras file and loads that back with keras.LoadModel, as a service
// loads the file it is given. With -model it serves any file
// keras.LoadModel reads (a .keras zip saved by Python Keras 3 or by this
// library, or a legacy Keras 2 .h5 model) whose model has one input.
//
// The endpoints, in plain net/http:
//
//	POST /predict    {"instances": [[...], ...]} -> {"predictions": [[...], ...]}
//	GET  /v1/model   the model's name, input and output shapes, dtype and the limits below
//	GET  /healthz    {"status": "ok"}
//
// The request and response are TensorFlow Serving's row format: one
// instance per sample, each nested as the model's input shape (a row of 8
// numbers here; 28 rows of 28 for an MNIST convnet whose input is
// (28, 28, 1), the trailing 1 being optional as in Keras), and one
// prediction per instance, nested as the output shape. For the default
// model (the last digits may differ with the CPU's matrix kernels):
//
//	curl -s http://127.0.0.1:8080/predict \
//	  -d '{"instances": [[0.5, -1, 0.3, 2, 0, -0.7, 1.2, 0.1]]}'
//	{"predictions":[[0.041401308,0.03955359,0.9190451]]}
//
// A request that is not valid JSON, names a field other than instances
// (and signature_name "serving_default"), has no instance or more than
// -max-instances (1024), an instance of the wrong shape or a number that
// is not finite in the model's float type gets 400 and {"error": "..."}
// saying what was expected and what was given; a body over -max-body
// bytes (4 MiB) gets 413. Requests are predicted concurrently on the one
// loaded model (Model.Predict is safe for concurrent use), at most
// -max-inflight at a time (GOMAXPROCS by default; the others wait, as
// more would only hold more graphs); a model that is training answers
// 503. SIGINT or SIGTERM stops the server gracefully: it stops
// accepting, and answers the requests it has before it exits.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// limits bound what one request may ask of the server.
type limits struct {
	// maxBody is the largest request body read, in bytes.
	maxBody int64
	// maxInstances is the most instances one request may hold.
	maxInstances int
	// maxInflight is the most predictions run at once.
	maxInflight int
}

// defaultLimits are the flags' defaults.
func defaultLimits() limits {
	return limits{maxBody: 4 << 20, maxInstances: 1024, maxInflight: runtime.GOMAXPROCS(0)}
}

func main() {
	path := flag.String("model", "", "a .keras or .h5 model file (default: make one)")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	lim := defaultLimits()
	flag.Int64Var(&lim.maxBody, "max-body", lim.maxBody, "largest request body, in bytes")
	flag.IntVar(&lim.maxInstances, "max-instances", lim.maxInstances, "most instances in one request")
	flag.IntVar(&lim.maxInflight, "max-inflight", lim.maxInflight, "most predictions run at once")
	flag.Parse()
	logger := log.New(os.Stderr, "serve: ", log.LstdFlags)
	// The port is taken first, so that a busy address fails before a
	// model is trained or loaded.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, *path, ln, lim, logger)
	stop()
	if err != nil {
		logger.Fatal(err)
	}
}

// run loads the model at path (or, when path is empty, one it makes) and
// serves it on ln until ctx is done.
func run(ctx context.Context, path string, ln net.Listener, lim limits, logger *log.Logger) error {
	if path == "" {
		dir, err := os.MkdirTemp("", "serve")
		if err != nil {
			ln.Close()
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "classifier.keras")
		if err := makeModel(path); err != nil {
			ln.Close()
			return err
		}
		logger.Printf("trained a classifier and saved it to %s", path)
	}
	model, err := keras.LoadModel(path)
	if err != nil {
		ln.Close()
		return err
	}
	s, err := newServer(model, lim)
	if err != nil {
		ln.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	logger.Printf("serving %s (input %s, output %s) on http://%s/predict", model.Name(),
		shapeString(s.inShape), shapeString(s.outShape), ln.Addr())
	return serve(ctx, ln, s.handler(), logger)
}

// serve answers HTTP requests on ln with h until ctx is done, then shuts
// down gracefully: it stops accepting and waits up to 10 s for the
// requests in flight. It closes ln.
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *log.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          logger,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Print("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// server serves one model's predictions.
type server struct {
	model    *keras.Model
	lim      limits
	inShape  []int        // one sample's input shape, as the model's
	outShape []int        // one sample's output shape
	inSize   int          // values in one input sample
	dtype    tensor.Dtype // the model's float type
	sem      chan struct{}
}

// newServer prepares model for serving: it predicts one sample of zeros
// once, which finds the output shape and the model's float type (and
// compiles the graph of the most common request before the first one).
func newServer(model *keras.Model, lim limits) (*server, error) {
	if lim.maxBody < 1 || lim.maxInstances < 1 || lim.maxInflight < 1 {
		return nil, fmt.Errorf("limits must be positive, got max-body %d, max-instances %d, max-inflight %d",
			lim.maxBody, lim.maxInstances, lim.maxInflight)
	}
	in := model.InputShape()
	if in == nil {
		return nil, fmt.Errorf("the model's input shape is not recorded; it cannot be served")
	}
	size := 1
	for _, d := range in {
		size *= d
	}
	probe, err := model.Predict(tensor.New(tensor.WithShape(append([]int{1}, in...)...), tensor.Of(tensor.Float32)))
	if err != nil {
		return nil, fmt.Errorf("a trial prediction failed: %w", err)
	}
	if dt := probe.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("the model predicts %v, not float32 or float64", dt)
	}
	return &server{
		model:    model,
		lim:      lim,
		inShape:  in,
		outShape: []int(probe.Shape()[1:].Clone()),
		inSize:   size,
		dtype:    probe.Dtype(),
		sem:      make(chan struct{}, lim.maxInflight),
	}, nil
}

// handler routes the server's endpoints.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	// The methods are checked here rather than in the patterns, so that
	// a wrong method or path is answered in JSON as every other error.
	mux.HandleFunc("/predict", only(http.MethodPost, s.predict))
	mux.HandleFunc("/v1/model", only(http.MethodGet, s.describe))
	mux.HandleFunc("/healthz", only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorResponse{fmt.Sprintf("no endpoint %s: the endpoints are POST /predict, GET /v1/model and GET /healthz", r.URL.Path)})
	})
	return mux
}

// only answers requests of method (and HEAD for GET) with h, and others
// with 405.
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && (method != http.MethodGet || r.Method != http.MethodHead) {
			w.Header().Set("Allow", method)
			writeJSON(w, http.StatusMethodNotAllowed, errorResponse{fmt.Sprintf("%s %s: use %s", r.Method, r.URL.Path, method)})
			return
		}
		h(w, r)
	}
}

// modelInfo is GET /v1/model's answer. Shapes are Keras's, with null
// for the batch dimension.
type modelInfo struct {
	Name         string `json:"name"`
	Class        string `json:"class_name"`
	InputShape   []*int `json:"input_shape"`
	OutputShape  []*int `json:"output_shape"`
	Dtype        string `json:"dtype"`
	Params       int    `json:"params"`
	MaxInstances int    `json:"max_instances"`
	MaxBodyBytes int64  `json:"max_body_bytes"`
}

func (s *server) describe(w http.ResponseWriter, r *http.Request) {
	batched := func(shape []int) []*int {
		out := []*int{nil}
		for _, d := range shape {
			out = append(out, &d)
		}
		return out
	}
	writeJSON(w, http.StatusOK, modelInfo{
		Name:         s.model.Name(),
		Class:        s.model.ClassName(),
		InputShape:   batched(s.inShape),
		OutputShape:  batched(s.outShape),
		Dtype:        s.dtype.String(),
		Params:       s.model.CountParams(),
		MaxInstances: s.lim.maxInstances,
		MaxBodyBytes: s.lim.maxBody,
	})
}

// predictRequest is the body of POST /predict: TensorFlow Serving's row
// format.
type predictRequest struct {
	SignatureName string            `json:"signature_name"`
	Instances     []json.RawMessage `json:"instances"`
}

// predictResponse is the answer of POST /predict.
type predictResponse struct {
	Predictions any `json:"predictions"`
}

// errorResponse is the answer of a request that failed, as TensorFlow
// Serving's.
type errorResponse struct {
	Error string `json:"error"`
}

// requestError is a request's fault: its status and what was wrong.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

// badRequest is a 400 requestError.
func badRequest(format string, args ...any) *requestError {
	return &requestError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func (s *server) predict(w http.ResponseWriter, r *http.Request) {
	x, n, rerr := s.readInstances(w, r)
	if rerr != nil {
		writeJSON(w, rerr.status, errorResponse{rerr.msg})
		return
	}
	select {
	case s.sem <- struct{}{}:
	case <-r.Context().Done():
		writeJSON(w, http.StatusServiceUnavailable, errorResponse{"the request was canceled while it waited for a prediction slot"})
		return
	}
	y, err := s.model.Predict(x)
	<-s.sem
	switch {
	case errors.Is(err, keras.ErrBusy):
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, errorResponse{"the model is training; retry later"})
		return
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, errorResponse{"prediction failed: " + err.Error()})
		return
	}
	var preds any
	bad := -1
	switch vals := y.Data().(type) {
	case []float32:
		preds, bad = nest(vals, n, s.outShape)
	case []float64:
		preds, bad = nest(vals, n, s.outShape)
	default:
		writeJSON(w, http.StatusInternalServerError, errorResponse{fmt.Sprintf("the model predicted %T", vals)})
		return
	}
	if bad >= 0 {
		// JSON has no NaN or infinity.
		writeJSON(w, http.StatusInternalServerError, errorResponse{fmt.Sprintf("the model's prediction for instances[%d] is not finite", bad)})
		return
	}
	writeJSON(w, http.StatusOK, predictResponse{preds})
}

// readInstances reads and checks a predict request's body and returns its
// instances as a tensor of the model's float type, (n, input shape...).
func (s *server) readInstances(w http.ResponseWriter, r *http.Request) (*tensor.Dense, int, *requestError) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.lim.maxBody))
	dec.DisallowUnknownFields()
	var req predictRequest
	if err := dec.Decode(&req); err != nil {
		return nil, 0, s.decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, 0, badRequest("the body holds more than one JSON value; send one object {\"instances\": [...]}")
		}
		return nil, 0, s.decodeError(err)
	}
	if req.SignatureName != "" && req.SignatureName != "serving_default" {
		return nil, 0, badRequest("unknown signature_name %q: the model has one signature, \"serving_default\"", req.SignatureName)
	}
	n := len(req.Instances)
	switch {
	case req.Instances == nil:
		return nil, 0, badRequest("the request has no \"instances\": send {\"instances\": [...]}, one instance of shape %s per sample", shapeString(s.inShape))
	case n == 0:
		return nil, 0, badRequest("\"instances\" is empty: send at least one instance of shape %s", shapeString(s.inShape))
	case n > s.lim.maxInstances:
		return nil, 0, badRequest("too many instances: at most %d in one request, got %d", s.lim.maxInstances, n)
	}
	vals := make([]float64, 0, n*s.inSize)
	at := make([]int, 1, len(s.inShape)+2)
	for i, raw := range req.Instances {
		at[0] = i
		dims := s.inShape
		// As Keras, an input shape ending in 1 takes instances without
		// that axis: a number for (1), 28 rows of 28 for (28, 28, 1).
		if last := len(dims) - 1; dims[last] == 1 && depth(raw) == last {
			dims = dims[:last]
		}
		var err error
		if vals, at, err = s.appendValues(vals, raw, dims, at); err != nil {
			return nil, 0, badRequest("%v", err)
		}
	}
	shape := append([]int{n}, s.inShape...)
	if s.dtype == tensor.Float64 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(vals)), n, nil
	}
	v32 := make([]float32, len(vals))
	for i, v := range vals {
		v32[i] = float32(v)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v32)), n, nil
}

// decodeError says what was wrong with a body the JSON decoder refused.
func (s *server) decodeError(err error) *requestError {
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than the limit of %d bytes", tooLarge.Limit)}
	case errors.Is(err, io.EOF):
		return badRequest("the body is empty: send {\"instances\": [...]}")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the body is not valid JSON: it ends inside a value")
	case errors.As(err, &syntax):
		return badRequest("the body is not valid JSON: %v (at byte %d)", syntax, syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("the body must be a JSON object {\"instances\": [...]}, got %s", typ.Value)
		}
		return badRequest("%q must be %s, got %s", typ.Field, map[string]string{
			"instances": "an array of instances", "signature_name": "a string",
		}[typ.Field], typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest("%s: the request must be {\"instances\": [...]} (TensorFlow Serving's row format)", strings.TrimPrefix(err.Error(), "json: "))
	}
	return badRequest("the body is not valid JSON: %v", err)
}

// appendValues appends the numbers of raw, a JSON value nested as dims,
// to vals. at holds the indices of raw within the request (instances[at[0]][at[1]]...),
// for the error messages; it is returned with raw's length.
func (s *server) appendValues(vals []float64, raw json.RawMessage, dims []int, at []int) ([]float64, []int, error) {
	raw = bytes.TrimSpace(raw)
	if len(dims) == 0 {
		v, err := s.number(raw)
		if err != nil {
			return vals, at, fmt.Errorf("%s: %w", path(at), err)
		}
		return append(vals, v), at, nil
	}
	var items []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return vals, at, fmt.Errorf("%s: expected an array of %s, got %s (the model's input shape is %s)",
			path(at), what(dims[0], dims[1:]), kind(raw), shapeString(s.inShape))
	}
	if len(items) != dims[0] {
		return vals, at, fmt.Errorf("%s: expected %s, got %d (the model's input shape is %s)",
			path(at), what(dims[0], dims[1:]), len(items), shapeString(s.inShape))
	}
	at = append(at, 0)
	for i, item := range items {
		at[len(at)-1] = i
		var err error
		if vals, at, err = s.appendValues(vals, item, dims[1:], at); err != nil {
			return vals, at, err
		}
	}
	return vals, at[:len(at)-1], nil
}

// number parses raw, a JSON number finite in the model's float type.
func (s *server) number(raw []byte) (float64, error) {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, fmt.Errorf("expected a number, got %s", kind(raw))
	}
	// Parsed at the model's precision: a float32 model gets the float32
	// nearest to the decimal, not a rounding of the nearest float64.
	bits := 64
	if s.dtype == tensor.Float32 {
		bits = 32
	}
	v, err := strconv.ParseFloat(string(raw), bits)
	if err != nil {
		return 0, fmt.Errorf("%s is not a finite %v (the model's float type)", raw, s.dtype)
	}
	return v, nil
}

// nest arranges vals, n samples of shape dims, as nested slices for the
// JSON answer. It returns the first sample that holds a value that is
// not finite, or -1.
func nest[T float32 | float64](vals []T, n int, dims []int) (any, int) {
	size := len(vals) / n
	for i, v := range vals {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, i / size
		}
	}
	return nestShape(vals, append([]int{n}, dims...)), -1
}

// nestShape splits vals as shape: a slice of vals itself for one
// dimension, slices of those for more.
func nestShape[T float32 | float64](vals []T, shape []int) any {
	if len(shape) == 1 {
		return vals
	}
	out := make([]any, shape[0])
	size := len(vals) / shape[0]
	for i := range out {
		out[i] = nestShape(vals[i*size:(i+1)*size:(i+1)*size], shape[1:])
	}
	return out
}

// depth is the number of arrays raw opens before its first number.
func depth(raw []byte) int {
	d := 0
	for _, c := range raw {
		switch c {
		case '[':
			d++
		case ' ', '\t', '\n', '\r':
		default:
			return d
		}
	}
	return d
}

// path writes indices as instances[i][j]....
func path(at []int) string {
	var b strings.Builder
	b.WriteString("instances")
	for _, i := range at {
		fmt.Fprintf(&b, "[%d]", i)
	}
	return b.String()
}

// what names n elements of shape dims: "8 numbers", "1 array of 3".
func what(n int, dims []int) string {
	noun := "number"
	if len(dims) > 0 {
		noun = "array"
	}
	if n != 1 {
		noun += "s"
	}
	if len(dims) > 0 {
		noun += " of " + strconv.Itoa(dims[0])
	}
	return strconv.Itoa(n) + " " + noun
}

// kind names the JSON type of raw, with its length for an array.
func kind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			return fmt.Sprintf("an array of %d", len(items))
		}
		return "an array"
	case '{':
		return "an object"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// shapeString writes a shape as Keras does: (12,) or (28, 28, 1).
func shapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorResponse{"encoding the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// The synthetic data: features inputs, one of classes labels, the label
// being the largest of three fixed linear scores of the features.
const (
	features = 8
	classes  = 3
)

// synthetic returns n seeded samples of the synthetic data: x (n,
// features) and the labels y (n,).
func synthetic(n int, seed uint64) (x, y *tensor.Dense) {
	rng := rand.New(rand.NewPCG(seed, 0))
	xs := make([]float32, n*features)
	ys := make([]float32, n)
	for i := range n {
		var score [classes]float64
		for j := range features {
			v := rng.NormFloat64()
			xs[i*features+j] = float32(v)
			for c := range classes {
				score[c] += v * float64((j+c)%classes-1)
			}
		}
		for c := range classes {
			if score[c] > score[int(ys[i])] {
				ys[i] = float32(c)
			}
		}
	}
	return tensor.New(tensor.WithShape(n, features), tensor.WithBacking(xs)),
		tensor.New(tensor.WithShape(n), tensor.WithBacking(ys))
}

// makeModel trains a small seeded classifier on the synthetic data and
// saves it as Keras 3's .keras at path.
func makeModel(path string) error {
	m := keras.Sequential(
		keras.Input(features),
		layers.Dense(32, layers.Activation("relu")),
		layers.Dense(classes, layers.Activation("softmax")),
	)
	m.SetName("classifier")
	if err := m.Compile(optimizers.Adam(), losses.SparseCategoricalCrossentropy(), keras.Metrics("accuracy"), keras.Seed(1)); err != nil {
		return err
	}
	x, y := synthetic(512, 7)
	if _, err := m.Fit(x, y, keras.Epochs(10), keras.BatchSize(32), keras.Verbose(0)); err != nil {
		return err
	}
	return m.Save(path)
}
