package bench

import "testing"

// BenchmarkLSTMEpoch is issue 11's recurrent workload: one epoch of
// LSTM(64) then Dense(1) on 10,000 sequences of 50 steps of 8 features,
// batch 64, Adam, mean squared error, float32 (LSTMModel, LSTMData).
// peers/lstm_torch.py is the same in PyTorch.
func BenchmarkLSTMEpoch(b *testing.B) {
	x, y := LSTMData()
	m, err := LSTMModel(1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := LSTMFit(m, x, y); err != nil {
			b.Fatal(err)
		}
	}
}
