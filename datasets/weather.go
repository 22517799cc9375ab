package datasets

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"time"
)

//go:embed data/seattle-weather.csv
var seattleCSV []byte

// SeattleWeatherColumns are the numeric columns of LoadSeattleWeather's
// table, named as in the file.
var SeattleWeatherColumns = []string{"precipitation", "temp_max", "temp_min", "wind"}

// SeattleWeather is the daily weather of Seattle: Table holds the numeric
// columns SeattleWeatherColumns (precipitation in mm, the day's maximum
// and minimum temperature in degrees Celsius, mean wind speed in m/s),
// Dates[i] is row i's day (UTC midnight) and Weather[i] its label
// ("drizzle", "rain", "sun", "snow" or "fog").
type SeattleWeather struct {
	Table
	Dates   []time.Time
	Weather []string
}

// LoadSeattleWeather returns the daily weather of Seattle from 2012-01-01
// to 2015-12-31, 1,461 days in date order, as the file holds them. The
// data is embedded in the package (datasets/data/seattle-weather.csv,
// NOAA's record as vega-datasets packs it, public domain; see
// datasets/data/SOURCES.md), so no network is needed. The weather label
// was synthesized from the other columns by the packagers; it is not an
// observation.
func LoadSeattleWeather() (*SeattleWeather, error) {
	const fn = "LoadSeattleWeather"
	recs, err := csv.NewReader(bytes.NewReader(seattleCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("datasets.%s: embedded CSV: %w", fn, err)
	}
	header := []string{"date", "precipitation", "temp_max", "temp_min", "wind", "weather"}
	if len(recs) == 0 {
		return nil, fmt.Errorf("datasets.%s: embedded CSV is empty", fn)
	}
	if !slices.Equal(recs[0], header) {
		return nil, fmt.Errorf("datasets.%s: embedded CSV has header %q, want %q", fn, recs[0], header)
	}
	w := &SeattleWeather{Table: Table{Columns: slices.Clone(SeattleWeatherColumns)}}
	for i, r := range recs[1:] {
		d, err := time.Parse(time.DateOnly, r[0])
		if err != nil {
			return nil, fmt.Errorf("datasets.%s: line %d: %w", fn, i+2, err)
		}
		row := make([]float64, 4)
		for k := range row {
			if row[k], err = strconv.ParseFloat(r[k+1], 64); err != nil {
				return nil, fmt.Errorf("datasets.%s: line %d, %s: %w", fn, i+2, header[k+1], err)
			}
		}
		w.Rows = append(w.Rows, row)
		w.Dates = append(w.Dates, d)
		w.Weather = append(w.Weather, r[5])
	}
	return w, nil
}
