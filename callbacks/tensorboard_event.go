package callbacks

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// The protocol buffers TensorBoard reads, encoded by hand with protowire
// rather than generated: only the few fields TensorFlow 2's summary
// writer sets are written, in field-number order as TensorFlow's C++
// serializer writes them, so that a scalar event is byte for byte what
// tf.summary.scalar writes. Field numbers are those of TensorFlow's
// event.proto, summary.proto, tensor.proto and tensor_shape.proto.
const (
	eventWallTime    = 1 // double
	eventStep        = 2 // int64
	eventFileVersion = 3 // string
	eventSummary     = 5 // Summary

	summaryValue = 1 // repeated Summary.Value

	valueTag      = 1 // string
	valueTensor   = 8 // TensorProto
	valueMetadata = 9 // SummaryMetadata

	metadataPluginData = 1 // SummaryMetadata.PluginData
	pluginName         = 1 // string

	tensorDtype   = 1 // DataType
	tensorShape   = 2 // TensorShapeProto
	tensorContent = 4 // bytes, the values in little-endian order

	shapeDim = 2 // repeated TensorShapeProto.Dim
	dimSize  = 1 // int64

	dtFloat  = 1 // DataType DT_FLOAT
	dtDouble = 2 // DataType DT_DOUBLE
)

// fileVersion is the file_version of an event file's first event.
const fileVersion = "brain.Event:2"

// appendEventHead appends an Event's wall_time and step (a zero step is
// left out, as proto3 does).
func appendEventHead(b []byte, wallTime float64, step int64) []byte {
	b = protowire.AppendTag(b, eventWallTime, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, math.Float64bits(wallTime))
	if step != 0 {
		b = protowire.AppendTag(b, eventStep, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(step))
	}
	return b
}

// versionEvent is the first Event of a file: its wall time and
// file_version "brain.Event:2".
func versionEvent(wallTime float64) []byte {
	b := appendEventHead(nil, wallTime, 0)
	b = protowire.AppendTag(b, eventFileVersion, protowire.BytesType)
	return protowire.AppendString(b, fileVersion)
}

// tensorEvent is an Event holding one Summary.Value: a tensor of dtype
// with the given shape and little-endian content, tagged tag, for the
// named TensorBoard plugin ("scalars", "histograms"), as TensorFlow 2's
// summary ops write it.
func tensorEvent(wallTime float64, step int64, tag, plugin string, dtype uint64, shape []int, content []byte) []byte {
	var ts []byte
	for _, d := range shape {
		var dim []byte
		dim = protowire.AppendTag(dim, dimSize, protowire.VarintType)
		dim = protowire.AppendVarint(dim, uint64(d))
		ts = protowire.AppendTag(ts, shapeDim, protowire.BytesType)
		ts = protowire.AppendBytes(ts, dim)
	}
	var tensor []byte
	tensor = protowire.AppendTag(tensor, tensorDtype, protowire.VarintType)
	tensor = protowire.AppendVarint(tensor, dtype)
	// TensorFlow writes the shape even when it has no dimensions.
	tensor = protowire.AppendTag(tensor, tensorShape, protowire.BytesType)
	tensor = protowire.AppendBytes(tensor, ts)
	tensor = protowire.AppendTag(tensor, tensorContent, protowire.BytesType)
	tensor = protowire.AppendBytes(tensor, content)

	// The plugin's content (a ScalarPluginData or HistogramPluginData of
	// version 0) serializes to nothing, so only the name is written.
	var pd []byte
	pd = protowire.AppendTag(pd, pluginName, protowire.BytesType)
	pd = protowire.AppendString(pd, plugin)
	var meta []byte
	meta = protowire.AppendTag(meta, metadataPluginData, protowire.BytesType)
	meta = protowire.AppendBytes(meta, pd)

	var value []byte
	value = protowire.AppendTag(value, valueTag, protowire.BytesType)
	value = protowire.AppendString(value, tag)
	value = protowire.AppendTag(value, valueTensor, protowire.BytesType)
	value = protowire.AppendBytes(value, tensor)
	value = protowire.AppendTag(value, valueMetadata, protowire.BytesType)
	value = protowire.AppendBytes(value, meta)

	var summary []byte
	summary = protowire.AppendTag(summary, summaryValue, protowire.BytesType)
	summary = protowire.AppendBytes(summary, value)

	b := appendEventHead(nil, wallTime, step)
	b = protowire.AppendTag(b, eventSummary, protowire.BytesType)
	return protowire.AppendBytes(b, summary)
}

// scalarEvent is tf.summary.scalar's event: v cast to float32, a tensor
// of shape () for the "scalars" plugin.
func scalarEvent(wallTime float64, step int64, tag string, v float64) []byte {
	var c [4]byte
	binary.LittleEndian.PutUint32(c[:], math.Float32bits(float32(v)))
	return tensorEvent(wallTime, step, tag, "scalars", dtFloat, nil, c[:])
}

// histogramEvent is tf.summary.histogram's event: buckets (k rows of left
// edge, right edge, count) as a float64 tensor of shape (k, 3) for the
// "histograms" plugin.
func histogramEvent(wallTime float64, step int64, tag string, buckets [][3]float64) []byte {
	c := make([]byte, 0, 24*len(buckets))
	for _, row := range buckets {
		for _, v := range row {
			c = binary.LittleEndian.AppendUint64(c, math.Float64bits(v))
		}
	}
	return tensorEvent(wallTime, step, tag, "histograms", dtDouble, []int{len(buckets), 3}, c)
}

// histogramBucketCount is tf.summary.histogram's default bucket count.
const histogramBucketCount = 30

// histogramBuckets groups data into k buckets as TensorBoard's
// tf.summary.histogram does (tensorboard/plugins/histogram/summary_v2.py,
// _buckets): k equal-width buckets from the minimum to the maximum, the
// last one closed; all edges equal to the value and every count in the
// last bucket when the data holds one distinct value; all zeros when it
// is empty. Non-finite values are left out (TensorFlow would give the
// histogram NaN edges), so a model whose weights blew up still logs
// what is left.
func histogramBuckets(data []float64, k int) [][3]float64 {
	out := make([][3]float64, k)
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, v := range data {
		if !finite(v) {
			continue
		}
		lo, hi, n = min(lo, v), max(hi, v), n+1
	}
	if n == 0 || k == 0 {
		return out
	}
	if hi == lo {
		for i := range out {
			out[i] = [3]float64{hi, hi, 0}
		}
		out[k-1][2] = float64(n)
		return out
	}
	width := (hi - lo) / float64(k)
	for _, v := range data {
		if !finite(v) {
			continue
		}
		i := min(int(math.Floor((v-lo)/width)), k-1)
		out[i][2]++
	}
	// tf.linspace(lo, hi, k+1) is lo + i*step; TensorBoard then sets the
	// last edge to hi exactly.
	for i := range out {
		out[i][0] = lo + float64(i)*width
		out[i][1] = lo + float64(i+1)*width
	}
	out[k-1][1] = hi
	return out
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
