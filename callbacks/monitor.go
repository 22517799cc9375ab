package callbacks

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// upMetrics are fragments of the names of metrics Keras marks with
// _direction "up" (Accuracy, AUC, Precision, Recall, F1Score, IoU, R2Score,
// CosineSimilarity, TruePositives, ...). Keras 3 reads the direction from
// the compiled metric objects; callbacks sees only names, so it matches
// them.
var upMetrics = []string{
	"acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2",
	"cosine_similarity", "true_positives", "true_negatives",
}

// autoMax reports whether "auto" mode maximises monitor, as Keras 3's
// MonitorCallback: "loss" and "val_loss" are minimised, metrics whose
// direction is "up" maximised, everything else minimised.
func autoMax(monitor string) bool {
	name := strings.TrimPrefix(monitor, "val_")
	if name == "loss" {
		return false
	}
	for _, s := range upMetrics {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// resolveMode turns a Mode option into "min" or "max", warning on an
// unknown mode and falling back to auto as Keras does.
func resolveMode(who, mode, monitor string, w io.Writer, autoIsMax func(string) bool) string {
	switch mode {
	case "min", "max":
		return mode
	case "auto", "":
	default:
		fmt.Fprintf(w, "WARNING: %s mode %q is unknown, fallback to auto mode.\n", who, mode)
	}
	if autoIsMax(monitor) {
		return "max"
	}
	return "min"
}

// availableKeys lists the keys of logs, sorted, for warnings.
func availableKeys(logs Logs) string {
	return strings.Join(slices.Sorted(maps.Keys(logs)), ",")
}
