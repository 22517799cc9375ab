package callbacks

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The reader below is written for the tests from the format's
// description (TFRecord framing, protobuf wire format, TensorFlow's
// event.proto and summary.proto field numbers), sharing no code with the
// writer: its own bitwise CRC-32C and its own protobuf decoder.

// refCRC32C is CRC-32C computed bit by bit (reflected polynomial
// 0x82f63b78), the textbook definition.
func refCRC32C(b []byte) uint32 {
	crc := ^uint32(0)
	for _, c := range b {
		crc ^= uint32(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0x82f63b78
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

// refMask is TFRecord's masking: ((crc >> 15) | (crc << 17)) + 0xa282ead8.
func refMask(crc uint32) uint32 { return ((crc >> 15) | (crc << 17)) + 0xa282ead8 }

// readRecords splits a TFRecord file into its records, checking both
// checksums of every record and that nothing trails the last one.
func readRecords(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(data) > 0 {
		if len(data) < 12 {
			t.Fatalf("record %d: %d bytes left, want a 12-byte header", len(out), len(data))
		}
		n := binary.LittleEndian.Uint64(data[:8])
		if got, want := binary.LittleEndian.Uint32(data[8:12]), refMask(refCRC32C(data[:8])); got != want {
			t.Fatalf("record %d: length checksum %#x, want %#x", len(out), got, want)
		}
		if uint64(len(data)-12) < n+4 {
			t.Fatalf("record %d: length %d but %d bytes left", len(out), n, len(data)-12)
		}
		rec := data[12 : 12+n]
		if got, want := binary.LittleEndian.Uint32(data[12+n:16+n]), refMask(refCRC32C(rec)); got != want {
			t.Fatalf("record %d: data checksum %#x, want %#x", len(out), got, want)
		}
		out = append(out, rec)
		data = data[16+n:]
	}
	return out
}

// pbField is one field of a protobuf message as found on the wire.
type pbField struct {
	num   int
	wire  int
	u     uint64 // varint or fixed value
	bytes []byte // length-delimited value
}

// pbParse decodes a message's fields (varint, fixed64, bytes, fixed32).
func pbParse(t *testing.T, b []byte) []pbField {
	t.Helper()
	varint := func() uint64 {
		var v uint64
		for shift := 0; ; shift += 7 {
			if len(b) == 0 || shift > 63 {
				t.Fatalf("truncated varint")
			}
			c := b[0]
			b = b[1:]
			v |= uint64(c&0x7f) << shift
			if c < 0x80 {
				return v
			}
		}
	}
	var out []pbField
	for len(b) > 0 {
		key := varint()
		f := pbField{num: int(key >> 3), wire: int(key & 7)}
		switch f.wire {
		case 0:
			f.u = varint()
		case 1:
			if len(b) < 8 {
				t.Fatalf("truncated fixed64")
			}
			f.u, b = binary.LittleEndian.Uint64(b), b[8:]
		case 2:
			n := varint()
			if uint64(len(b)) < n {
				t.Fatalf("field %d: length %d, %d bytes left", f.num, n, len(b))
			}
			f.bytes, b = b[:n], b[n:]
		case 5:
			if len(b) < 4 {
				t.Fatalf("truncated fixed32")
			}
			f.u, b = uint64(binary.LittleEndian.Uint32(b)), b[4:]
		default:
			t.Fatalf("unknown wire type %d", f.wire)
		}
		out = append(out, f)
	}
	return out
}

// tbValue is a Summary.Value: tag, plugin name and tensor.
type tbValue struct {
	tag, plugin string
	dtype       uint64
	shape       []int64
	content     []byte
}

// tbEvent is an Event as TensorBoard sees it.
type tbEvent struct {
	wallTime    float64
	step        int64
	fileVersion string
	values      []tbValue
}

func decodeEvent(t *testing.T, b []byte) tbEvent {
	t.Helper()
	var e tbEvent
	for _, f := range pbParse(t, b) {
		switch f.num {
		case 1:
			e.wallTime = math.Float64frombits(f.u)
		case 2:
			e.step = int64(f.u)
		case 3:
			e.fileVersion = string(f.bytes)
		case 5:
			for _, sv := range pbParse(t, f.bytes) {
				if sv.num == 1 {
					e.values = append(e.values, decodeValue(t, sv.bytes))
				}
			}
		}
	}
	return e
}

func decodeValue(t *testing.T, b []byte) tbValue {
	var v tbValue
	for _, f := range pbParse(t, b) {
		switch f.num {
		case 1:
			v.tag = string(f.bytes)
		case 8: // TensorProto
			for _, tf := range pbParse(t, f.bytes) {
				switch tf.num {
				case 1:
					v.dtype = tf.u
				case 2:
					v.shape = []int64{}
					for _, d := range pbParse(t, tf.bytes) {
						if d.num == 2 {
							for _, s := range pbParse(t, d.bytes) {
								if s.num == 1 {
									v.shape = append(v.shape, int64(s.u))
								}
							}
						}
					}
				case 4:
					v.content = tf.bytes
				}
			}
		case 9: // SummaryMetadata
			for _, mf := range pbParse(t, f.bytes) {
				if mf.num == 1 {
					for _, pf := range pbParse(t, mf.bytes) {
						if pf.num == 1 {
							v.plugin = string(pf.bytes)
						}
					}
				}
			}
		}
	}
	return v
}

// scalar returns a scalars-plugin value's number, failing on anything
// tf.summary.scalar would not write.
func (v tbValue) scalar(t *testing.T) float32 {
	t.Helper()
	if v.plugin != "scalars" || v.dtype != 1 || v.shape == nil || len(v.shape) != 0 || len(v.content) != 4 {
		t.Fatalf("%s: plugin %q dtype %d shape %v content %d bytes, want a DT_FLOAT scalar for \"scalars\"", v.tag, v.plugin, v.dtype, v.shape, len(v.content))
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(v.content))
}

// readEventFile reads one directory's single event file, checking its
// name and its first event, and returns the other events.
func readEventFile(t *testing.T, dir string) (string, []tbEvent) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "events.out.tfevents.*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("%s: event files %v (%v), want one", dir, files, err)
	}
	host, _ := os.Hostname()
	pattern := fmt.Sprintf(`^events\.out\.tfevents\.\d{10}\.%s\.%d\.\d+\.v2$`, regexp.QuoteMeta(host), os.Getpid())
	if name := filepath.Base(files[0]); !regexp.MustCompile(pattern).MatchString(name) {
		t.Errorf("file name %s does not match %s", name, pattern)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, data)
	if len(recs) == 0 {
		t.Fatalf("%s: no records", files[0])
	}
	first := decodeEvent(t, recs[0])
	if first.fileVersion != "brain.Event:2" || first.step != 0 || len(first.values) != 0 {
		t.Errorf("first event %+v, want file_version brain.Event:2 alone", first)
	}
	var evs []tbEvent
	for _, r := range recs[1:] {
		evs = append(evs, decodeEvent(t, r))
	}
	return files[0], evs
}

// scalarsByTag gathers step -> value for every scalar tag.
func scalarsByTag(t *testing.T, evs []tbEvent) map[string]map[int64]float32 {
	out := map[string]map[int64]float32{}
	for _, e := range evs {
		for _, v := range e.values {
			if v.plugin != "scalars" {
				continue
			}
			if out[v.tag] == nil {
				out[v.tag] = map[int64]float32{}
			}
			if _, dup := out[v.tag][e.step]; dup {
				t.Errorf("%s written twice at step %d", v.tag, e.step)
			}
			out[v.tag][e.step] = v.scalar(t)
		}
	}
	return out
}

func TestMaskedCRC(t *testing.T) {
	// The test's own CRC first, on RFC 3720 section B.4's vectors (as in
	// TensorFlow's crc32c_test.cc) and the usual "123456789" check value.
	seq, rev := make([]byte, 32), make([]byte, 32)
	for i := range seq {
		seq[i], rev[i] = byte(i), byte(31-i)
	}
	vectors := []struct {
		data []byte
		crc  uint32
	}{
		{make([]byte, 32), 0x8a9136aa},
		{bytes.Repeat([]byte{0xff}, 32), 0x62a8ab43},
		{seq, 0x46dd794e},
		{rev, 0x113fdb5c},
		{[]byte("123456789"), 0xe3069283},
	}
	for _, v := range vectors {
		if got := refCRC32C(v.data); got != v.crc {
			t.Errorf("reference CRC-32C of % x = %#x, want %#x", v.data[:4], got, v.crc)
		}
		if got, want := maskedCRC(v.data), refMask(v.crc); got != want {
			t.Errorf("maskedCRC(% x...) = %#x, want %#x", v.data[:4], got, want)
		}
	}
	// An authoritative masked value from TensorBoard's own reader tests
	// (tensorboard/data/server/masked_crc.rs: a real file_version event).
	if got := maskedCRC([]byte("\x1a\x11CRC test, one two")); got != 0x5794d08a {
		t.Errorf("maskedCRC = %#x, want 0x5794d08a", got)
	}
}

// TestEventBytesMatchTensorFlow compares the writer's output with the
// bytes of an event file written by TensorFlow 2 for
// tf.summary.scalar("accuracy", 0.99, step=77), as dumped with xxd in
// TensorBoard's tensorboard/data/server/tf_record.rs tests.
func TestEventBytesMatchTensorFlow(t *testing.T) {
	version := []byte("\x09\x00\x00\x80\x38\x99\xd6\xd7\x41\x1a\x0dbrain.Event:2")
	versionRecord := slices.Concat([]byte("\x18\x00\x00\x00\x00\x00\x00\x00\xa3\x7f\x4b\x22"), version, []byte("\x12\x4b\x36\xab"))
	scalar := []byte("\x09\xc4\x05\xb7\x3d\x99\xd6\xd7\x41" +
		"\x10\x4d\x2a\x25" +
		"\x0a\x23\x0a\x08accuracy" +
		"\x42\x0a\x08\x01\x12\x00\x22\x04\xa4\x70\x7d\x3f\x4a" +
		"\x0b\x0a\x09\x0a\x07scalars")
	scalarRecord := slices.Concat([]byte("\x32\x00\x00\x00\x00\x00\x00\x00\x24\x19\x56\xec"), scalar, []byte("\xa5\x5b\x64\x33"))

	wt1 := math.Float64frombits(binary.LittleEndian.Uint64(version[1:9]))
	wt2 := math.Float64frombits(binary.LittleEndian.Uint64(scalar[1:9]))
	if wt1 != math.Trunc(wt1) {
		t.Fatalf("TensorFlow's file_version wall time %v is not whole seconds", wt1)
	}
	if got := versionEvent(wt1); !bytes.Equal(got, version) {
		t.Errorf("file_version event\n got % x\nwant % x", got, version)
	}
	if got := scalarEvent(wt2, 77, "accuracy", 0.99); !bytes.Equal(got, scalar) {
		t.Errorf("scalar event\n got % x\nwant % x", got, scalar)
	}
	if got := appendRecord(nil, version); !bytes.Equal(got, versionRecord) {
		t.Errorf("file_version record\n got % x\nwant % x", got, versionRecord)
	}
	if got := appendRecord(nil, scalar); !bytes.Equal(got, scalarRecord) {
		t.Errorf("scalar record\n got % x\nwant % x", got, scalarRecord)
	}
	// And the test's reader agrees with TensorFlow's file.
	recs := readRecords(t, slices.Concat(versionRecord, scalarRecord))
	e := decodeEvent(t, recs[1])
	if e.step != 77 || len(e.values) != 1 || e.values[0].tag != "accuracy" || e.values[0].scalar(t) != float32(0.99) {
		t.Errorf("decoded %+v", e)
	}
}

// refBuckets is TensorBoard's numpy histogram_pb written out plainly:
// edges from linspace, a value in bucket i when left_i <= v < right_i,
// the maximum in the last bucket.
func refBuckets(data []float64, k int) [][3]float64 {
	out := make([][3]float64, k)
	if len(data) == 0 {
		return out
	}
	lo, hi := slices.Min(data), slices.Max(data)
	if lo == hi {
		for i := range out {
			out[i] = [3]float64{lo, lo, 0}
		}
		out[k-1][2] = float64(len(data))
		return out
	}
	for i := range out {
		out[i][0] = lo + (hi-lo)*float64(i)/float64(k)
		out[i][1] = lo + (hi-lo)*float64(i+1)/float64(k)
	}
	for _, v := range data {
		for i := range out {
			if v >= out[i][0] && (v < out[i][1] || i == k-1) {
				out[i][2]++
				break
			}
		}
	}
	return out
}

func closeBuckets(a, b [][3]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		for j := range 3 {
			if math.Abs(a[i][j]-b[i][j]) > 1e-12*math.Max(1, math.Abs(b[i][j])) {
				return false
			}
		}
	}
	return true
}

func TestHistogramBuckets(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		name string
		data []float64
		k    int
		want [][3]float64 // nil: refBuckets of the finite values
	}{
		// Hand-worked: range 3 in 3 buckets of width 1.
		{"hand", []float64{0, 0.5, 1, 2.5, 3}, 3, [][3]float64{{0, 1, 2}, {1, 2, 1}, {2, 3, 2}}},
		// TensorBoard: one distinct value puts every count in the last
		// bucket, every edge equal to the value.
		{"single value", []float64{2, 2, 2}, 4, [][3]float64{{2, 2, 0}, {2, 2, 0}, {2, 2, 0}, {2, 2, 3}}},
		{"empty", nil, 2, [][3]float64{{0, 0, 0}, {0, 0, 0}}},
		{"only non-finite", []float64{nan, inf}, 2, [][3]float64{{0, 0, 0}, {0, 0, 0}}},
		{"non-finite left out", []float64{nan, 0, -inf, 3, 0.5, 1, 2.5}, 3, [][3]float64{{0, 1, 2}, {1, 2, 1}, {2, 3, 2}}},
		{"weights", []float64{1.1, 1.2, 1.3, 1.7, 1.0 / 3, -1.0 / 7, 0.05, -0.9}, 30, nil},
		{"tenths", []float64{0.1, 0.2, 0.3, 0.7, 0.45, 0.61}, 7, nil},
	}
	for _, tc := range tests {
		want := tc.want
		if want == nil {
			want = refBuckets(tc.data, tc.k)
		}
		got := histogramBuckets(tc.data, tc.k)
		if !closeBuckets(got, want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, want)
		}
		var n float64
		for _, b := range got {
			n += b[2]
		}
		finiteCount := 0
		for _, v := range tc.data {
			if finite(v) {
				finiteCount++
			}
		}
		if n != float64(finiteCount) {
			t.Errorf("%s: counts add to %v, want %d", tc.name, n, finiteCount)
		}
		// TensorBoard sets the last edge to the maximum exactly, whatever
		// linspace's rounding gives.
		hi := math.Inf(-1)
		for _, v := range tc.data {
			if finite(v) {
				hi = max(hi, v)
			}
		}
		if finiteCount > 0 && got[tc.k-1][1] != hi {
			t.Errorf("%s: last edge %v, want the maximum %v exactly", tc.name, got[tc.k-1][1], hi)
		}
	}
}

// namedModel is a fakeModel that names its weights and counts its
// optimizer's iterations, as keras.Model does.
type namedModel struct {
	fakeModel
	iterations int64
}

func (m *namedModel) WeightNames() []string {
	return []string{"sequential/dense/kernel", "sequential/dense/bias"}
}

func (m *namedModel) Iterations() int64 { return m.iterations }

// drive runs the callback through a scripted Fit: epochs of steps
// batches with a loss and accuracy per batch, validation through the
// test events when val is set, and the epoch logs Fit gives.
func drive(t *testing.T, c Callback, m *namedModel, epochs, steps int, val bool) {
	t.Helper()
	c.SetModel(m)
	if err := c.OnTrainBegin(Logs{}); err != nil {
		t.Fatal(err)
	}
	for e := range epochs {
		m.weights = weightsFor(e)
		if err := c.OnEpochBegin(e, Logs{}); err != nil {
			t.Fatal(err)
		}
		for b := range steps {
			c.OnTrainBatchBegin(b, Logs{})
			m.iterations++
			if err := c.OnTrainBatchEnd(b, batchLogs(e, b)); err != nil {
				t.Fatal(err)
			}
		}
		logs := epochLogs(e)
		if val {
			c.OnTestBegin(Logs{})
			vl := Logs{"loss": logs["val_loss"], "accuracy": logs["val_accuracy"]}
			if err := c.OnTestEnd(vl); err != nil {
				t.Fatal(err)
			}
		} else {
			delete(logs, "val_loss")
			delete(logs, "val_accuracy")
		}
		if err := c.OnEpochEnd(e, logs); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.OnTrainEnd(Logs{}); err != nil {
		t.Fatal(err)
	}
}

func batchLogs(e, b int) Logs {
	return Logs{"loss": 1 / float64(10*e+b+1), "accuracy": float64(b) / 10}
}

func epochLogs(e int) Logs {
	return Logs{"loss": 1 / float64(e+2), "accuracy": 0.5 + float64(e)/10,
		"val_loss": 1.5 / float64(e+2), "val_accuracy": 0.4 + float64(e)/10, "learning_rate": 0.01}
}

func TestTensorBoard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs", "fit")
	m := &namedModel{fakeModel: fakeModel{lr: 0.001}}
	c := TensorBoard(dir, UpdateFreq("batch"), HistogramFreq(2))
	clock := time.Date(2025, 3, 1, 12, 0, 0, 250_000_000, time.UTC)
	c.(*tensorBoard).now = func() time.Time { return clock }
	const epochs, steps = 3, 4
	drive(t, c, m, epochs, steps, true)

	for _, sub := range []string{"", "train", "validation"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || st.Mode().Perm()&^0o755 != 0 {
			t.Errorf("directory %q: %v, mode %v, want 0755 at most", sub, err, st.Mode())
		}
	}
	trainFile, train := readEventFile(t, filepath.Join(dir, "train"))
	if !strings.Contains(filepath.Base(trainFile), fmt.Sprintf(".%010d.", clock.Unix())) {
		t.Errorf("train file %s does not carry the time %d", trainFile, clock.Unix())
	}
	for _, e := range train {
		if e.wallTime != 1740830400.25 {
			t.Errorf("wall time %v, want the clock's 1740830400.25", e.wallTime)
		}
	}
	got := scalarsByTag(t, train)

	want := map[string]map[int64]float32{}
	put := func(tag string, step int64, v float64) {
		if want[tag] == nil {
			want[tag] = map[int64]float32{}
		}
		want[tag][step] = float32(v)
	}
	for e := range epochs {
		for b := range steps {
			step := int64(e*steps + b + 1) // Keras's global batch: 1-based
			for k, v := range batchLogs(e, b) {
				put("batch_"+k, step, v)
			}
		}
		l := epochLogs(e)
		put("epoch_loss", int64(e), l["loss"])
		put("epoch_accuracy", int64(e), l["accuracy"])
		// Keras logs the optimizer's rate, not the logs' entry.
		put("epoch_learning_rate", int64(e), 0.001)
	}
	if !equalScalars(got, want) {
		t.Errorf("train scalars\n got %v\nwant %v", got, want)
	}

	// Histograms at epochs 0 and 2, of that epoch's weights.
	hist := map[string][]int64{}
	for _, e := range train {
		for _, v := range e.values {
			if v.plugin != "histograms" {
				continue
			}
			hist[v.tag] = append(hist[v.tag], e.step)
			if v.dtype != 2 || !slices.Equal(v.shape, []int64{30, 3}) || len(v.content) != 30*3*8 {
				t.Fatalf("%s: dtype %d shape %v, want DT_DOUBLE (30, 3)", v.tag, v.dtype, v.shape)
			}
			gotB := make([][3]float64, 30)
			for i := range 90 {
				gotB[i/3][i%3] = math.Float64frombits(binary.LittleEndian.Uint64(v.content[8*i:]))
			}
			w := weightsFor(int(e.step))[map[string]int{"sequential/dense/kernel/histogram": 0, "sequential/dense/bias/histogram": 1}[v.tag]]
			var data []float64
			for _, x := range w.Data().([]float32) {
				data = append(data, float64(x))
			}
			if wantB := refBuckets(data, 30); !closeBuckets(gotB, wantB) {
				t.Errorf("%s at epoch %d: buckets %v, want %v", v.tag, e.step, gotB, wantB)
			}
		}
	}
	wantHist := map[string][]int64{"sequential/dense/kernel/histogram": {0, 2}, "sequential/dense/bias/histogram": {0, 2}}
	if fmt.Sprint(hist) != fmt.Sprint(wantHist) {
		t.Errorf("histograms at %v, want %v", hist, wantHist)
	}

	_, val := readEventFile(t, filepath.Join(dir, "validation"))
	gotVal := scalarsByTag(t, val)
	wantVal := map[string]map[int64]float32{}
	for e := range epochs {
		l := epochLogs(e)
		it := int64((e + 1) * steps)
		for tag, v := range map[string]float64{"epoch_loss": l["val_loss"], "epoch_accuracy": l["val_accuracy"]} {
			if wantVal[tag] == nil {
				wantVal[tag] = map[int64]float32{}
			}
			wantVal[tag][int64(e)] = float32(v)
		}
		for tag, v := range map[string]float64{"evaluation_loss_vs_iterations": l["val_loss"], "evaluation_accuracy_vs_iterations": l["val_accuracy"]} {
			if wantVal[tag] == nil {
				wantVal[tag] = map[int64]float32{}
			}
			wantVal[tag][it] = float32(v)
		}
	}
	if !equalScalars(gotVal, wantVal) {
		t.Errorf("validation scalars\n got %v\nwant %v", gotVal, wantVal)
	}
}

func equalScalars(a, b map[string]map[int64]float32) bool {
	if len(a) != len(b) {
		return false
	}
	for tag, sa := range a {
		sb, ok := b[tag]
		if !ok || len(sa) != len(sb) {
			return false
		}
		for step, v := range sa {
			if w, ok := sb[step]; !ok || w != v {
				return false
			}
		}
	}
	return true
}

func TestTensorBoardUpdateFreq(t *testing.T) {
	tests := []struct {
		name  string
		opts  []Option
		steps []int64 // steps of batch_loss
	}{
		{"epoch (default)", nil, nil},
		{"epoch", []Option{UpdateFreq("epoch")}, nil},
		{"batch", []Option{UpdateFreq("batch")}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"every 3", []Option{UpdateFreqBatches(3)}, []int64{3, 6, 9}},
		{"every 1", []Option{UpdateFreqBatches(1)}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
	}
	for _, tc := range tests {
		dir := t.TempDir()
		m := &namedModel{}
		drive(t, TensorBoard(dir, tc.opts...), m, 2, 5, false)
		_, train := readEventFile(t, filepath.Join(dir, "train"))
		got := scalarsByTag(t, train)
		var steps []int64
		for s := range got["batch_loss"] {
			steps = append(steps, s)
		}
		slices.Sort(steps)
		if !slices.Equal(steps, tc.steps) {
			t.Errorf("%s: batch_loss at steps %v, want %v", tc.name, steps, tc.steps)
		}
		if len(got["epoch_loss"]) != 2 {
			t.Errorf("%s: epoch_loss %v, want 2 epochs", tc.name, got["epoch_loss"])
		}
		// No validation data: no validation file, as Keras's lazy writer.
		if _, err := os.Stat(filepath.Join(dir, "validation")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: validation directory made without validation data (%v)", tc.name, err)
		}
	}
}

func TestTensorBoardBadOptions(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	tests := []struct {
		name    string
		c       Callback
		invalid bool
	}{
		{"update freq", TensorBoard(dir, UpdateFreq("sometimes")), true},
		{"zero batches", TensorBoard(dir, UpdateFreqBatches(0)), true},
		{"negative histogram freq", TensorBoard(dir, HistogramFreq(-1)), true},
		{"no directory", TensorBoard(""), true},
		{"log dir is a file", TensorBoard(blocker), false},
	}
	for _, tc := range tests {
		tc.c.SetModel(&namedModel{})
		err := tc.c.OnTrainBegin(Logs{})
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if errors.Is(err, ErrInvalidOption) != tc.invalid {
			t.Errorf("%s: %v, ErrInvalidOption %v", tc.name, err, tc.invalid)
		}
	}
}

func TestTensorBoardSameSecond(t *testing.T) {
	// Two runs in one second into one folder get two files, as
	// TensorFlow's per-process counter gives.
	dir := t.TempDir()
	clock := time.Unix(1700000000, 0)
	for range 2 {
		c := TensorBoard(dir)
		c.(*tensorBoard).now = func() time.Time { return clock }
		drive(t, c, &namedModel{}, 1, 1, false)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "train", "events.out.tfevents.1700000000.*"))
	if len(files) != 2 {
		t.Fatalf("files %v, want two", files)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if recs := readRecords(t, data); len(recs) != 4 { // version, accuracy, learning rate, loss
			t.Errorf("%s: %d records, want 4", f, len(recs))
		}
	}
}

func TestTensorBoardEvaluateAlone(t *testing.T) {
	// Evaluate with the callback and no Fit: Keras writes the
	// evaluation scalars at the optimizer's iterations.
	dir := t.TempDir()
	c := TensorBoard(dir)
	c.SetModel(&namedModel{iterations: 42})
	c.OnTestBegin(Logs{})
	if err := c.OnTestEnd(Logs{"loss": 0.25}); err != nil {
		t.Fatal(err)
	}
	_, val := readEventFile(t, filepath.Join(dir, "validation"))
	got := scalarsByTag(t, val)
	if want := map[string]map[int64]float32{"evaluation_loss_vs_iterations": {42: 0.25}}; !equalScalars(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if c.(*tensorBoard).val != nil {
		t.Error("the validation file was left open after Evaluate")
	}
}

func TestTensorBoardUnnamedWeights(t *testing.T) {
	// A model without WeightNames still gets histograms, tagged by index,
	// with one warning.
	dir := t.TempDir()
	var out bytes.Buffer
	c := TensorBoard(dir, HistogramFreq(1), Output(&out))
	m := &fakeModel{}
	c.SetModel(m)
	c.OnTrainBegin(Logs{})
	for e := range 2 {
		m.weights = weightsFor(e)
		if err := c.OnEpochEnd(e, Logs{"loss": 1}); err != nil {
			t.Fatal(err)
		}
	}
	c.OnTrainEnd(Logs{})
	_, train := readEventFile(t, filepath.Join(dir, "train"))
	var tags []string
	for _, e := range train {
		for _, v := range e.values {
			if v.plugin == "histograms" {
				tags = append(tags, fmt.Sprint(v.tag, "@", e.step))
			}
		}
	}
	if want := []string{"weight_0/histogram@0", "weight_1/histogram@0", "weight_0/histogram@1", "weight_1/histogram@1"}; !slices.Equal(tags, want) {
		t.Errorf("histograms %v, want %v", tags, want)
	}
	if n := strings.Count(out.String(), "does not name its weights"); n != 1 {
		t.Errorf("warned %d times: %q", n, out.String())
	}
}

// halfFile writes half of what it is given, then fails, as a full disk.
type halfFile struct{ *os.File }

func (f halfFile) Write(b []byte) (int, error) {
	n, _ := f.File.Write(b[:len(b)/2])
	return n, errors.New("no space left on device")
}

func TestEventWriterCutsBrokenRecord(t *testing.T) {
	// A write that fails halfway must not leave half a record for the
	// next one to follow: the file is cut back to its whole records.
	dir := t.TempDir()
	w, err := newEventWriter(dir, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	real := w.f.(*os.File)
	w.f = halfFile{real}
	w.add(scalarEvent(1, 1, "lost", 1))
	if err := w.flush(false); err == nil || !strings.Contains(err.Error(), "no space") {
		t.Fatalf("flush: %v, want the write's error", err)
	}
	w.f = real
	w.add(scalarEvent(1, 2, "kept", 2))
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(w.path)
	recs := readRecords(t, data) // fails on a broken record
	if len(recs) != 2 {
		t.Fatalf("%d records, want the version and the kept one", len(recs))
	}
	if e := decodeEvent(t, recs[1]); e.step != 2 || e.values[0].tag != "kept" {
		t.Errorf("second record %+v", e)
	}
}
