package expr

import (
	"math"
	"strconv"
	"strings"
)

// format() with .NET composite formatting: {index[,alignment][:format]},
// {{ and }} escapes. Supported number formats: D/d, N/n, F/f, X/x, G/g,
// E/e, P/p (invariant culture) and custom formats made of 0, # and one
// optional '.' and ','.

func formatFunctions() []*function {
	return []*function{
		{name: "format", minArgs: 1, maxArgs: -1, eval: fnFormat},
	}
}

func fnFormat(c *call, a []Value) Value {
	f, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	args := a[1:]
	var b strings.Builder
	size := len(f)
	for _, x := range args {
		size += len(x.str())
	}
	b.Grow(min(size, 1<<12))
	for i := 0; i < len(f); i++ {
		ch := f[i]
		switch ch {
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return c.fail("unmatched '}' in format string")
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				return c.fail("unterminated '{' in format string")
			}
			item := f[i+1 : i+end]
			i += end
			s, msg := formatItem(item, args)
			if msg != "" {
				if msg == errUnsupportedSpec {
					return c.unsupported("format item {" + item + "}")
				}
				return c.fail("%s", msg)
			}
			b.WriteString(s)
			if b.Len() > maxStringLen {
				return c.fail("result is too long")
			}
		default:
			b.WriteByte(ch)
		}
	}
	return String(b.String())
}

const errUnsupportedSpec = "unsupported format specifier"

// formatItem formats one {index,alignment:format} item; msg is non-empty
// on error.
func formatItem(item string, args []Value) (string, string) {
	spec := ""
	if k := strings.IndexByte(item, ':'); k >= 0 {
		item, spec = item[:k], item[k+1:]
	}
	align := 0
	if k := strings.IndexByte(item, ','); k >= 0 {
		n, err := strconv.Atoi(strings.TrimSpace(item[k+1:]))
		if err != nil || n > 10000 || n < -10000 {
			return "", "invalid alignment in format item"
		}
		align, item = n, item[:k]
	}
	idx, err := strconv.Atoi(strings.TrimSpace(item))
	if err != nil || idx < 0 {
		return "", "invalid format item {" + item + "}"
	}
	if idx >= len(args) {
		return "", "format item {" + strconv.Itoa(idx) + "} has no argument"
	}
	s, ok := formatValue(args[idx], spec)
	if !ok {
		return "", errUnsupportedSpec
	}
	if n := utf16Len(s); align > n {
		s = strings.Repeat(" ", align-n) + s
	} else if -align > n {
		s += strings.Repeat(" ", -align-n)
	}
	return s, ""
}

// formatValue formats one argument with a .NET format specifier.
func formatValue(v Value, spec string) (string, bool) {
	switch v.k {
	case KInt, KFloat:
		if spec == "" {
			return toString(v), true
		}
		return formatNumber(v, spec)
	}
	return toString(v), true
}

func formatNumber(v Value, spec string) (string, bool) {
	f, _ := v.FloatVal()
	isInt := v.k == KInt
	letter := spec[0]
	prec := -1
	if len(spec) > 1 {
		p, err := strconv.Atoi(spec[1:])
		if err != nil || p < 0 || p > 99 {
			return formatCustom(f, spec)
		}
		prec = p
	}
	switch letter {
	case 'D', 'd':
		if !isInt {
			return "", false
		}
		s := strconv.FormatInt(absInt(v.i), 10)
		if prec > len(s) {
			s = strings.Repeat("0", prec-len(s)) + s
		}
		if v.i < 0 {
			s = "-" + s
		}
		return s, true
	case 'X', 'x':
		if !isInt {
			return "", false
		}
		s := strconv.FormatUint(uint64(v.i), 16) // two's complement, as for .NET Int64
		if letter == 'X' {
			s = strings.ToUpper(s)
		}
		if prec > len(s) {
			s = strings.Repeat("0", prec-len(s)) + s
		}
		return s, true
	case 'N', 'n', 'F', 'f':
		if prec < 0 {
			prec = 2
		}
		s := strconv.FormatFloat(math.Abs(f), 'f', prec, 64)
		if letter == 'N' || letter == 'n' {
			s = groupThousands(s)
		}
		if f < 0 && strings.Trim(s, "0.,") != "" {
			s = "-" + s
		}
		return s, true
	case 'P', 'p':
		if prec < 0 {
			prec = 2
		}
		s := groupThousands(strconv.FormatFloat(math.Abs(f*100), 'f', prec, 64))
		if f < 0 {
			s = "-" + s
		}
		return s + " %", true
	case 'E', 'e':
		if prec < 0 {
			prec = 6
		}
		s := strconv.FormatFloat(f, 'e', prec, 64)
		// .NET writes at least three exponent digits: 1.5E+003.
		if k := strings.IndexAny(s, "e"); k >= 0 {
			mant, exp := s[:k], s[k+1:]
			sign := exp[0]
			digits := exp[1:]
			for len(digits) < 3 {
				digits = "0" + digits
			}
			e := "e"
			if letter == 'E' {
				e = "E"
			}
			s = mant + e + string(sign) + digits
		}
		return s, true
	case 'G', 'g':
		if prec <= 0 {
			return toString(v), true
		}
		return strconv.FormatFloat(f, 'g', prec, 64), true
	}
	return formatCustom(f, spec)
}

func absInt(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

// groupThousands inserts ',' every three integer digits of a decimal text.
func groupThousands(s string) string {
	intPart, frac := s, ""
	if k := strings.IndexByte(s, '.'); k >= 0 {
		intPart, frac = s[:k], s[k:]
	}
	var b strings.Builder
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String() + frac
}

// formatCustom handles custom numeric formats built from '0' (digit or
// zero), '#' (optional digit), one '.' and ',' (grouping).
func formatCustom(f float64, spec string) (string, bool) {
	if strings.Trim(spec, "0#.,") != "" || strings.Count(spec, ".") > 1 {
		return "", false
	}
	intSpec, fracSpec := spec, ""
	if k := strings.IndexByte(spec, '.'); k >= 0 {
		intSpec, fracSpec = spec[:k], spec[k+1:]
	}
	group := strings.Contains(intSpec, ",")
	intSpec = strings.ReplaceAll(intSpec, ",", "")
	fracSpec = strings.ReplaceAll(fracSpec, ",", "")
	minInt := len(intSpec) - strings.IndexByte(intSpec+"0", '0')
	if !strings.Contains(intSpec, "0") {
		minInt = 0
	}
	maxFrac := len(fracSpec)
	minFrac := strings.LastIndexByte(fracSpec, '0') + 1
	s := strconv.FormatFloat(math.Abs(f), 'f', maxFrac, 64)
	ip, fp := s, ""
	if k := strings.IndexByte(s, '.'); k >= 0 {
		ip, fp = s[:k], s[k+1:]
	}
	for len(fp) > minFrac && strings.HasSuffix(fp, "0") {
		fp = fp[:len(fp)-1]
	}
	ip = strings.TrimLeft(ip, "0")
	for len(ip) < minInt {
		ip = "0" + ip
	}
	if group && ip != "" {
		ip = groupThousands(ip)
	}
	out := ip
	if fp != "" {
		out += "." + fp
	}
	if f < 0 && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out, true
}
