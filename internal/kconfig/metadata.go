package kconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Member names of a Keras 3 ".keras" zip. Keras writes them in this
// order, all stored (not deflated); metadata.json and config.json carry
// the 1980-01-01 00:00 timestamp of ZipFile.open(..., "w"), the weights
// the time of writing.
const (
	MetadataFile = "metadata.json"
	ConfigFile   = "config.json"
	WeightsFile  = "model.weights.h5"
)

// DateLayout is the Go layout of metadata.json's date_saved
// ("2026-05-13@21:23:40", Python's "%Y-%m-%d@%H:%M:%S").
const DateLayout = "2006-01-02@15:04:05"

// Metadata is a .keras zip's metadata.json.
type Metadata struct {
	KerasVersion string `json:"keras_version"`
	DateSaved    string `json:"date_saved"`
}

// NewMetadata returns the metadata a save at t writes, claiming
// kerasVersion (the Keras 3 version whose format the file follows).
func NewMetadata(kerasVersion string, t time.Time) Metadata {
	return Metadata{KerasVersion: kerasVersion, DateSaved: t.Format(DateLayout)}
}

// DecodeMetadata reads metadata.json; keras_version is required.
func DecodeMetadata(data []byte) (Metadata, error) {
	var md Metadata
	if err := json.Unmarshal(data, &md); err != nil {
		return Metadata{}, fmt.Errorf("%w: metadata.json: %v", ErrBadConfig, err)
	}
	if md.KerasVersion == "" {
		return Metadata{}, badf("metadata.json.keras_version", "missing")
	}
	return md, nil
}

// EncodeMetadata writes metadata.json as Keras does:
// {"keras_version": "3.x.y", "date_saved": "..."}.
func EncodeMetadata(md Metadata) []byte {
	var b bytes.Buffer
	// writeJSON cannot fail on an obj of strings.
	_ = writeJSON(&b, obj{{"keras_version", md.KerasVersion}, {"date_saved", md.DateSaved}}, "metadata.json")
	return b.Bytes()
}

// Major returns the major version of keras_version ("2.11.0" -> 2,
// "2.2.4-tf" -> 2), or 0 when it does not start with a number. Keras 2's
// hard_sigmoid is clip(0.2x+0.5, 0, 1), Keras 3's clip(x/6+0.5, 0, 1), so
// a loader needs the era.
func Major(kerasVersion string) int {
	n := 0
	for _, c := range kerasVersion {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
