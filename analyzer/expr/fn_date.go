package expr

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date functions: dateTimeAdd, dateTimeFromEpoch, dateTimeToEpoch.
// utcNow is a runtime function (fn_runtime.go).

func dateFunctions() []*function {
	return []*function{
		{name: "dateTimeAdd", minArgs: 2, maxArgs: 3, eval: fnDateTimeAdd},
		{name: "dateTimeFromEpoch", minArgs: 1, maxArgs: 1, eval: func(c *call, a []Value) Value {
			n, ok := a[0].IntVal()
			if !ok {
				return c.typeErr(a, 0, "an int")
			}
			if n < -62135596800 || n > 253402300799 {
				return c.fail("epoch value out of range")
			}
			return String(time.Unix(n, 0).UTC().Format("2006-01-02T15:04:05Z"))
		}},
		{name: "dateTimeToEpoch", minArgs: 1, maxArgs: 1, eval: func(c *call, a []Value) Value {
			s, ok := a[0].Str()
			if !ok {
				return c.typeErr(a, 0, "a string")
			}
			t, ok := parseDateTime(s)
			if !ok {
				return c.fail("cannot parse %s as a date-time", quote(s))
			}
			return Int(t.Unix())
		}},
	}
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05Z",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"1/2/2006 3:04:05 PM",
	"01/02/2006 15:04:05",
}

func parseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

var isoDuration = regexp.MustCompile(`^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

func fnDateTimeAdd(c *call, a []Value) Value {
	s, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	d, ok := a[1].Str()
	if !ok {
		return c.typeErr(a, 1, "a string")
	}
	t, ok := parseDateTime(s)
	if !ok {
		return c.fail("cannot parse %s as a date-time", quote(s))
	}
	m := isoDuration.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(d)))
	if m == nil || d == "P" || strings.HasSuffix(strings.ToUpper(d), "T") {
		return c.fail("invalid ISO 8601 duration %s", quote(d))
	}
	num := func(i int) int {
		n, _ := strconv.Atoi(m[i])
		if m[1] == "-" {
			return -n
		}
		return n
	}
	t = t.AddDate(num(2), num(3), num(4)*7+num(5))
	secs, _ := strconv.ParseFloat(m[8], 64)
	if m[1] == "-" {
		secs = -secs
	}
	t = t.Add(time.Duration(num(6))*time.Hour + time.Duration(num(7))*time.Minute + time.Duration(secs*float64(time.Second)))
	format := ""
	if len(a) == 3 {
		if format, ok = a[2].Str(); !ok {
			return c.typeErr(a, 2, "a string")
		}
	}
	out, ok := formatDateTime(t, format)
	if !ok {
		return c.unsupported("date format " + quote(format))
	}
	return String(out)
}

// formatDateTime formats t with a .NET date format: the standard formats
// "" (en-US general, as ARM's documented outputs), u, s, o/O, and custom
// formats made of yyyy, yy, MM, M, dd, d, HH, H, hh, h, mm, ss, tt, fff
// and literal characters.
func formatDateTime(t time.Time, f string) (string, bool) {
	switch f {
	case "":
		return t.Format("1/2/2006 3:04:05 PM"), true
	case "u":
		return t.Format("2006-01-02 15:04:05Z"), true
	case "s":
		return t.Format("2006-01-02T15:04:05"), true
	case "o", "O":
		return t.Format("2006-01-02T15:04:05.0000000Z"), true
	}
	if len(f) == 1 {
		return "", false
	}
	var b strings.Builder
	tokens := []struct{ tok, layout string }{
		{"yyyy", "2006"}, {"yy", "06"}, {"MM", "01"}, {"M", "1"}, {"dd", "02"}, {"d", "2"},
		{"HH", "15"}, {"hh", "03"}, {"h", "3"}, {"mm", "04"}, {"ss", "05"}, {"tt", "PM"}, {"fff", ".000"},
	}
	for i := 0; i < len(f); {
		matched := false
		for _, tk := range tokens {
			if strings.HasPrefix(f[i:], tk.tok) {
				s := t.Format(tk.layout)
				if tk.tok == "fff" {
					s = s[1:]
				}
				b.WriteString(s)
				i += len(tk.tok)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if f[i] == 'H' {
			b.WriteString(strconv.Itoa(t.Hour()))
			i++
			continue
		}
		if strings.IndexByte("yMdhmsft", f[i]) >= 0 {
			return "", false
		}
		if f[i] == '\'' {
			j := strings.IndexByte(f[i+1:], '\'')
			if j < 0 {
				return "", false
			}
			b.WriteString(f[i+1 : i+1+j])
			i += j + 2
			continue
		}
		b.WriteByte(f[i])
		i++
	}
	return b.String(), true
}
