package callbacks

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// The bar is drawn here rather than with github.com/schollz/progressbar:
// Keras users know Keras 3's line, "12/40 ━━━━━━━━━━━━━━━━━━━━ 3s
// 5ms/step - loss: 0.1234", with its ETA, per-step time and metrics, and
// progressbar's layout ("30% |████  | (12/40, 5 it/s)") cannot be made to
// match it; the renderer below is Keras's Progbar.update, line for line.
// Terminal detection uses golang.org/x/term, which progressbar also uses.

// progbarLogger is Keras 3's keras.callbacks.ProgbarLogger.
type progbarLogger struct {
	Base
	w       io.Writer
	verbose int
	dynamic bool // w is a terminal: redraw the bar in place
	now     func() time.Time

	inFit  bool
	epochs int
	target int
	seen   int
	bar    *progbar
}

// ProgbarLogger prints training progress to os.Stdout with verbose 1, as
// keras.callbacks.ProgbarLogger. See NewProgbarLogger.
func ProgbarLogger() Callback { return NewProgbarLogger(os.Stdout, 1) }

// NewProgbarLogger prints the progress of Fit, Evaluate and Predict to w,
// as Keras 3's ProgbarLogger with fit's verbose:
//
//   - verbose 1 on a terminal: "Epoch 3/10", then a bar redrawn in place
//     after each batch, "12/40 ━━━━━━━━━━━━━━━━━━━━ 3s 5ms/step - loss: 0.1234",
//     ending with the elapsed time and the epoch's logs (val_ metrics
//     included);
//   - verbose 1 when w is not a terminal (a file, a pipe, a buffer): no
//     carriage-return frames, only one line per epoch, "Epoch 3/10 -
//     40/40 - 0s - 5ms/step - loss: 0.1234 - val_loss: 0.2345";
//   - verbose 2: that one line per epoch, always;
//   - verbose 0: nothing.
//
// The "Epoch i/n" part is printed only when n > 1, as Keras does. Keras
// puts it on a line of its own; here it starts the epoch's line where
// there is no bar, so that a log holds exactly one line per epoch, each
// naming its epoch.
// Numbers are written as Keras's Progbar: "%.4f" above 1e-3 in magnitude,
// "%.4e" below. Within an epoch the bar shows the logs Fit passes to
// OnTrainBatchEnd (running means) as they are; Keras's Progbar averages
// them once more, which only changes the figures shown before the epoch
// ends. Validation inside Fit is silent, as in Keras.
func NewProgbarLogger(w io.Writer, verbose int) Callback {
	if w == nil {
		w = io.Discard
	}
	dynamic := false
	if f, ok := w.(*os.File); ok {
		dynamic = term.IsTerminal(int(f.Fd()))
	}
	return &progbarLogger{w: w, verbose: verbose, dynamic: dynamic, now: time.Now, epochs: 1}
}

// SetParams keeps the number of epochs and steps.
func (p *progbarLogger) SetParams(params Params) {
	p.Params = params
	p.epochs = params.Epochs
	p.target = params.Steps
}

func (p *progbarLogger) reset() {
	p.seen = 0
	p.bar = nil
}

func (p *progbarLogger) ensureBar() {
	if p.bar == nil {
		p.bar = &progbar{
			w: p.w, target: p.target, width: 20, verbose: p.verbose,
			dynamic: p.dynamic, interval: 50 * time.Millisecond, now: p.now,
			start: p.now(),
		}
	}
}

// OnTrainBegin marks the run as a Fit, whose validation is silent.
func (p *progbarLogger) OnTrainBegin(Logs) error {
	p.inFit = true
	return nil
}

// OnTrainEnd ends the Fit, so a later Evaluate shows its own bar.
func (p *progbarLogger) OnTrainEnd(Logs) error {
	p.inFit = false
	return nil
}

// OnEpochBegin starts a bar; above a live bar it prints "Epoch i/n", else
// the epoch's line will start with it.
func (p *progbarLogger) OnEpochBegin(epoch int, _ Logs) error {
	p.reset()
	p.ensureBar()
	if p.verbose > 0 && p.epochs > 1 {
		header := fmt.Sprintf("Epoch %d/%d", epoch+1, p.epochs)
		if p.verbose == 1 && p.dynamic {
			fmt.Fprintln(p.w, header)
		} else {
			p.bar.prefix = header + " - "
		}
	}
	return nil
}

// OnTrainBatchEnd redraws the bar.
func (p *progbarLogger) OnTrainBatchEnd(batch int, logs Logs) error {
	p.update(batch, logs)
	return nil
}

// OnEpochEnd completes the epoch's bar with the epoch's logs.
func (p *progbarLogger) OnEpochEnd(_ int, logs Logs) error {
	p.finalize(logs)
	return nil
}

// OnTestBegin starts a bar for Evaluate (not for Fit's validation).
func (p *progbarLogger) OnTestBegin(Logs) error {
	if !p.inFit {
		p.reset()
		p.ensureBar()
	}
	return nil
}

// OnTestBatchEnd redraws Evaluate's bar.
func (p *progbarLogger) OnTestBatchEnd(batch int, logs Logs) error {
	if !p.inFit {
		p.update(batch, logs)
	}
	return nil
}

// OnTestEnd completes Evaluate's bar.
func (p *progbarLogger) OnTestEnd(logs Logs) error {
	if !p.inFit {
		p.finalize(logs)
	}
	return nil
}

// OnPredictBegin starts a bar for Predict.
func (p *progbarLogger) OnPredictBegin(Logs) error {
	p.reset()
	p.ensureBar()
	return nil
}

// OnPredictBatchEnd redraws Predict's bar, without values.
func (p *progbarLogger) OnPredictBatchEnd(batch int, _ Logs) error {
	p.update(batch, nil)
	return nil
}

// OnPredictEnd completes Predict's bar.
func (p *progbarLogger) OnPredictEnd(Logs) error {
	p.finalize(nil)
	return nil
}

func (p *progbarLogger) update(batch int, logs Logs) {
	p.ensureBar()
	p.seen = batch + 1
	if p.verbose == 1 && p.bar.dynamic {
		p.bar.update(p.seen, logs, false)
	} else {
		// Without a terminal only the final line is printed, but the step
		// time still needs the time of the first step.
		p.bar.estimate(p.seen, p.now())
	}
}

func (p *progbarLogger) finalize(logs Logs) {
	p.ensureBar()
	if p.bar.target <= 0 {
		p.bar.target = p.seen
	}
	p.bar.update(p.bar.target, logs, true)
}

// progbar is Keras 3's keras.utils.Progbar for one epoch.
type progbar struct {
	w        io.Writer
	target   int
	width    int
	verbose  int
	dynamic  bool
	interval time.Duration
	now      func() time.Time

	prefix         string // starts the one-line form ("Epoch 3/10 - ")
	start          time.Time
	lastUpdate     time.Time
	afterFirstStep time.Time
	firstSeen      bool
	prevWidth      int
}

// estimate is Keras's _estimate_step_duration: the mean step time,
// leaving out the first step once there are others.
func (b *progbar) estimate(current int, now time.Time) float64 {
	if current <= 0 {
		return 0
	}
	var d float64
	if b.firstSeen && current > 1 {
		d = now.Sub(b.afterFirstStep).Seconds() / float64(current-1)
	} else {
		d = now.Sub(b.start).Seconds() / float64(current)
	}
	if current == 1 {
		b.afterFirstStep, b.firstSeen = now, true
	}
	return d
}

func (b *progbar) update(current int, logs Logs, finalize bool) {
	now := b.now()
	perStep := b.estimate(current, now)
	switch {
	case b.verbose == 1 && b.dynamic:
		if !finalize && now.Sub(b.lastUpdate) < b.interval {
			return
		}
		b.drawDynamic(current, logs, perStep, now, finalize)
	case b.verbose == 1 || b.verbose == 2:
		if finalize && b.target > 0 {
			var s strings.Builder
			s.WriteString(b.prefix)
			fmt.Fprintf(&s, "%*d/%d - %.0fs -%s", digits(b.target), current, b.target,
				now.Sub(b.start).Seconds(), formatStepTime(perStep, "step"))
			for _, k := range orderedKeys(logs) {
				fmt.Fprintf(&s, " - %s: %s", k, kerasNumber(logs[k], true))
			}
			s.WriteByte('\n')
			io.WriteString(b.w, s.String())
		}
	}
	b.lastUpdate = now
}

func (b *progbar) drawDynamic(current int, logs Logs, perStep float64, now time.Time, finalize bool) {
	var msg, plain strings.Builder
	msg.WriteByte('\r')
	if b.target > 0 {
		count := fmt.Sprintf("%*d/%d", digits(b.target), current, b.target)
		filled := min(max(int(float64(b.width)*float64(current)/float64(b.target)), 0), b.width)
		msg.WriteString("\x1b[1m" + count + "\x1b[0m ")
		if filled > 0 {
			msg.WriteString("\x1b[32m" + strings.Repeat("━", filled) + "\x1b[0m")
		}
		msg.WriteString("\x1b[37m" + strings.Repeat("━", b.width-filled) + "\x1b[0m")
		plain.WriteString(count + " " + strings.Repeat("━", b.width))
	} else {
		count := fmt.Sprintf("%7d/Unknown", current)
		msg.WriteString(count)
		plain.WriteString(count)
	}
	var t string
	if b.target > 0 && !finalize {
		t = formatETA(perStep * float64(b.target-current))
	} else {
		t = fmt.Sprintf("%.0fs", now.Sub(b.start).Seconds())
	}
	info := formatStepTime(perStep, "step")
	for _, k := range orderedKeys(logs) {
		info += fmt.Sprintf(" - %s: %s", k, kerasNumber(logs[k], false))
	}
	msg.WriteString(" \x1b[1m" + t + "\x1b[0m" + info)
	plain.WriteString(" " + t + info)
	width := utf8.RuneCountInString(plain.String())
	if b.prevWidth > width {
		msg.WriteString(strings.Repeat(" ", b.prevWidth-width))
	}
	if finalize {
		msg.WriteByte('\n')
	}
	io.WriteString(b.w, msg.String())
	b.prevWidth = width
}

func digits(n int) int { return len(strconv.Itoa(n)) }

// formatETA is Keras's ETA: "7s", "2:05" or "1:02:05", truncating.
func formatETA(eta float64) string {
	e := int(eta)
	switch {
	case eta > 3600:
		return fmt.Sprintf("%d:%02d:%02d", e/3600, (e%3600)/60, e%60)
	case eta > 60:
		return fmt.Sprintf("%d:%02d", e/60, e%60)
	}
	return fmt.Sprintf("%ds", e)
}

// formatStepTime is Keras's Progbar._format_time: " 5ms/step".
func formatStepTime(d float64, unit string) string {
	switch {
	case d >= 1 || d == 0:
		return fmt.Sprintf(" %.0fs/%s", d, unit)
	case d >= 1e-3:
		return fmt.Sprintf(" %.0fms/%s", d*1e3, unit)
	}
	return fmt.Sprintf(" %.0fus/%s", d*1e6, unit)
}

// orderedKeys puts logs in Keras's display order: the loss, the other
// training metrics, the validation loss and metrics, then the learning
// rate. Keras keeps the order metrics were compiled in; a map has none, so
// metrics in each group are sorted by name.
func orderedKeys(logs Logs) []string {
	rank := func(k string) int {
		switch {
		case k == "loss":
			return 0
		case k == "val_loss":
			return 2
		case strings.HasPrefix(k, "val_"):
			return 3
		case k == "learning_rate":
			return 4
		}
		return 1
	}
	keys := make([]string, 0, len(logs))
	for k := range logs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return keys
}
