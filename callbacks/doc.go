// Package callbacks hears the events of training, as keras.callbacks: it
// stops early (EarlyStopping), saves checkpoints (ModelCheckpoint), logs
// to CSV (CSVLogger), changes the learning rate (ReduceLROnPlateau,
// LearningRateScheduler), stops on a NaN loss (TerminateOnNaN), draws the
// loss curve (LossPlot), prints the progress bar (ProgbarLogger), and runs
// plain functions (LambdaCallback).
//
// Every callback follows Keras 3's semantics and defaults; each
// constructor's doc lists them. Options are shared by all callbacks, each
// reading the ones it understands:
//
//	model.Fit(x, y, keras.Epochs(100), keras.Callbacks(
//		callbacks.EarlyStopping(callbacks.Monitor("val_loss"), callbacks.Patience(3),
//			callbacks.RestoreBestWeights(true)),
//		callbacks.CSVLogger("training.csv"),
//	))
//
// The package does not import keras: a callback reaches the model through
// the small Model interface (and Saver or WeightsSaver for checkpoints),
// which the keras package satisfies. Files are written under a temporary
// name and renamed into place.
package callbacks
