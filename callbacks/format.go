package callbacks

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file formats numbers the way Python does, because Keras's file
// names ("{epoch:02d}-{val_loss:.2f}.keras"), CSV rows and progress bars
// are written with Python's str.format and repr, and a port should produce
// the same text.

// pyRepr formats v as Python's repr(float): the shortest text that reads
// back as v, with ".0" on whole numbers and exponent form below 1e-4 or
// from 1e16.
func pyRepr(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	if v == 0 {
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	exp := int(math.Floor(math.Log10(math.Abs(v))))
	// Log10 can be off by one near powers of ten; the 'e' form is exact.
	es := strconv.FormatFloat(v, 'e', -1, 64)
	if i := strings.LastIndexByte(es, 'e'); i >= 0 {
		if n, err := strconv.Atoi(es[i+1:]); err == nil {
			exp = n
		}
	}
	if exp < -4 || exp >= 16 {
		return es
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// pyValue is a number for formatFloatSpec: Keras formats ints (epoch,
// batch) and floats (logs).
type pyValue struct {
	f     float64
	isInt bool
}

// formatSpec formats v with a Python format spec such as "02d", ".2f",
// ".4e", "+8.3f", "<6g" or "" (str(v)).
func formatSpec(v pyValue, spec string) (string, error) {
	rest := spec
	fill, align := ' ', rune(0)
	if r, n := utf8.DecodeRuneInString(rest); n > 0 && len(rest) > n && strings.ContainsRune("<>=^", rune(rest[n])) {
		fill, align = r, rune(rest[n])
		rest = rest[n+1:]
	} else if len(rest) > 0 && strings.ContainsRune("<>=^", rune(rest[0])) {
		align = rune(rest[0])
		rest = rest[1:]
	}
	sign := byte('-')
	if len(rest) > 0 && strings.ContainsRune("+- ", rune(rest[0])) {
		sign = rest[0]
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0] == '0' {
		if align == 0 {
			fill, align = '0', '='
		}
		rest = rest[1:]
	}
	width := 0
	for len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' {
		width = width*10 + int(rest[0]-'0')
		rest = rest[1:]
	}
	prec := -1
	if len(rest) > 0 && rest[0] == '.' {
		rest = rest[1:]
		prec = 0
		n := 0
		for len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' {
			prec = prec*10 + int(rest[0]-'0')
			rest = rest[1:]
			n++
		}
		if n == 0 {
			return "", fmt.Errorf("format spec %q: missing precision after '.'", spec)
		}
	}
	verb := byte(0)
	if len(rest) == 1 {
		verb = rest[0]
		rest = ""
	}
	if rest != "" {
		return "", fmt.Errorf("format spec %q not supported (want [[fill]align][sign][0][width][.precision][type] with type one of d f F e E g G %%)", spec)
	}

	x := v.f
	neg := math.Signbit(x) && !math.IsNaN(x)
	a := math.Abs(x)
	var body string
	switch verb {
	case 'd':
		if prec >= 0 {
			return "", errors.New("precision not allowed in integer format specifier")
		}
		if a != math.Trunc(a) || math.IsInf(a, 0) || math.IsNaN(a) {
			return "", fmt.Errorf("format spec %q: code 'd' needs an integer, got %s", spec, pyRepr(x))
		}
		body = strconv.FormatFloat(a, 'f', 0, 64)
	case 'f', 'F', 'e', 'E', 'g', 'G', '%':
		if prec < 0 {
			prec = 6
		}
		body = formatFloat(a, verb, prec)
	case 0:
		switch {
		case v.isInt:
			if prec >= 0 {
				return "", errors.New("precision not allowed in integer format specifier")
			}
			body = strconv.FormatFloat(a, 'f', 0, 64)
		case prec >= 0:
			if prec == 0 {
				prec = 1
			}
			body = formatFloat(a, 'g', prec)
		default:
			body = pyRepr(a)
		}
	default:
		return "", fmt.Errorf("format spec %q: unknown format code %q for a number", spec, verb)
	}
	s := ""
	switch {
	case neg:
		s = "-"
	case sign == '+':
		s = "+"
	case sign == ' ':
		s = " "
	}
	if align == 0 {
		align = '>'
	}
	pad := width - utf8.RuneCountInString(s+body)
	if pad <= 0 {
		return s + body, nil
	}
	f := strings.Repeat(string(fill), pad)
	switch align {
	case '<':
		return s + body + f, nil
	case '^':
		l := strings.Repeat(string(fill), pad/2)
		r := strings.Repeat(string(fill), pad-pad/2)
		return l + s + body + r, nil
	case '=':
		return s + f + body, nil
	}
	return f + s + body, nil
}

// formatFloat formats a non-negative a with a Python presentation type.
func formatFloat(a float64, verb byte, prec int) string {
	if math.IsNaN(a) || math.IsInf(a, 0) {
		s := "inf"
		if math.IsNaN(a) {
			s = "nan"
		}
		if verb == 'F' || verb == 'E' || verb == 'G' {
			s = strings.ToUpper(s)
		}
		if verb == '%' {
			s += "%"
		}
		return s
	}
	switch verb {
	case 'f', 'F':
		return strconv.FormatFloat(a, 'f', prec, 64)
	case 'e', 'E':
		return strconv.FormatFloat(a, verb, prec, 64)
	case 'g', 'G':
		if prec == 0 {
			prec = 1
		}
		return strconv.FormatFloat(a, verb, prec, 64)
	case '%':
		return strconv.FormatFloat(a*100, 'f', prec, 64) + "%"
	}
	return pyRepr(a)
}

// formatTemplate fills the {name} and {name:spec} fields of tmpl from
// vals, as Python's str.format(**vals); "{{" and "}}" stand for braces.
func formatTemplate(tmpl string, vals map[string]pyValue) (string, error) {
	var b strings.Builder
	for i := 0; i < len(tmpl); {
		c := tmpl[i]
		switch {
		case c == '{' && i+1 < len(tmpl) && tmpl[i+1] == '{':
			b.WriteByte('{')
			i += 2
		case c == '}' && i+1 < len(tmpl) && tmpl[i+1] == '}':
			b.WriteByte('}')
			i += 2
		case c == '}':
			return "", fmt.Errorf("single '}' at offset %d in %q", i, tmpl)
		case c == '{':
			end := strings.IndexByte(tmpl[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("unmatched '{' at offset %d in %q", i, tmpl)
			}
			field := tmpl[i+1 : i+end]
			name, spec, _ := strings.Cut(field, ":")
			v, ok := vals[name]
			if !ok {
				keys := make(Logs, len(vals))
				for k := range vals {
					keys[k] = 0
				}
				return "", fmt.Errorf("no value for {%s} (available: %s)", name, availableKeys(keys))
			}
			s, err := formatSpec(v, spec)
			if err != nil {
				return "", fmt.Errorf("field {%s}: %w", field, err)
			}
			b.WriteString(s)
			i += end + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// kerasNumber formats a progress-bar value as Keras's Progbar: "{:.4f}"
// above 1e-3 in magnitude, "{:.4e}" otherwise. Keras's verbose 2 line
// compares the signed value (avg > 1e-3), its verbose 1 bar the absolute
// value; signed selects which.
func kerasNumber(v float64, signed bool) string {
	big := math.Abs(v) > 1e-3
	if signed {
		big = v > 1e-3
	}
	verb := byte('e')
	if big {
		verb = 'f'
	}
	s := formatFloat(math.Abs(v), verb, 4)
	if math.Signbit(v) && !math.IsNaN(v) {
		s = "-" + s
	}
	return s
}
