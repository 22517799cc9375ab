package callbacks

// Lambda holds the functions a LambdaCallback calls, one per event; any
// may be nil. Epoch and batch numbers count from 0, as in Keras.
type Lambda struct {
	OnTrainBegin        func(logs Logs) error
	OnTrainEnd          func(logs Logs) error
	OnEpochBegin        func(epoch int, logs Logs) error
	OnEpochEnd          func(epoch int, logs Logs) error
	OnTrainBatchBegin   func(batch int, logs Logs) error
	OnTrainBatchEnd     func(batch int, logs Logs) error
	OnTestBegin         func(logs Logs) error
	OnTestEnd           func(logs Logs) error
	OnTestBatchBegin    func(batch int, logs Logs) error
	OnTestBatchEnd      func(batch int, logs Logs) error
	OnPredictBegin      func(logs Logs) error
	OnPredictEnd        func(logs Logs) error
	OnPredictBatchBegin func(batch int, logs Logs) error
	OnPredictBatchEnd   func(batch int, logs Logs) error
}

// LambdaCallback builds a callback from plain functions, as
// keras.callbacks.LambdaCallback(on_epoch_end=..., ...):
//
//	callbacks.LambdaCallback(callbacks.Lambda{
//		OnEpochEnd: func(epoch int, logs callbacks.Logs) error {
//			fmt.Println(epoch, logs["loss"])
//			return nil
//		},
//	})
//
// Events without a function do nothing. An error a function returns stops
// Fit and is returned by it.
func LambdaCallback(f Lambda) Callback { return &lambdaCallback{f: f} }

type lambdaCallback struct {
	Base
	f Lambda
}

func call0(fn func(Logs) error, logs Logs) error {
	if fn == nil {
		return nil
	}
	return fn(logs)
}

func call1(fn func(int, Logs) error, i int, logs Logs) error {
	if fn == nil {
		return nil
	}
	return fn(i, logs)
}

func (l *lambdaCallback) OnTrainBegin(logs Logs) error { return call0(l.f.OnTrainBegin, logs) }
func (l *lambdaCallback) OnTrainEnd(logs Logs) error   { return call0(l.f.OnTrainEnd, logs) }
func (l *lambdaCallback) OnEpochBegin(e int, logs Logs) error {
	return call1(l.f.OnEpochBegin, e, logs)
}
func (l *lambdaCallback) OnEpochEnd(e int, logs Logs) error { return call1(l.f.OnEpochEnd, e, logs) }
func (l *lambdaCallback) OnTrainBatchBegin(b int, logs Logs) error {
	return call1(l.f.OnTrainBatchBegin, b, logs)
}
func (l *lambdaCallback) OnTrainBatchEnd(b int, logs Logs) error {
	return call1(l.f.OnTrainBatchEnd, b, logs)
}
func (l *lambdaCallback) OnTestBegin(logs Logs) error { return call0(l.f.OnTestBegin, logs) }
func (l *lambdaCallback) OnTestEnd(logs Logs) error   { return call0(l.f.OnTestEnd, logs) }
func (l *lambdaCallback) OnTestBatchBegin(b int, logs Logs) error {
	return call1(l.f.OnTestBatchBegin, b, logs)
}
func (l *lambdaCallback) OnTestBatchEnd(b int, logs Logs) error {
	return call1(l.f.OnTestBatchEnd, b, logs)
}
func (l *lambdaCallback) OnPredictBegin(logs Logs) error { return call0(l.f.OnPredictBegin, logs) }
func (l *lambdaCallback) OnPredictEnd(logs Logs) error   { return call0(l.f.OnPredictEnd, logs) }
func (l *lambdaCallback) OnPredictBatchBegin(b int, logs Logs) error {
	return call1(l.f.OnPredictBatchBegin, b, logs)
}
func (l *lambdaCallback) OnPredictBatchEnd(b int, logs Logs) error {
	return call1(l.f.OnPredictBatchEnd, b, logs)
}
