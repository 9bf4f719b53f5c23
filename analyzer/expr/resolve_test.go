package expr

import (
	"strings"
	"testing"
)

// Declarations whose names are equal in lower case share one memo slot:
// whichever is evaluated first gives the value of every spelling.
func TestSlotsSharedByLowerCaseName(t *testing.T) {
	src := `{
	  "parameters": {
	    "a": {"type": "string", "defaultValue": "first"},
	    "A": {"type": "string", "defaultValue": "second"},
	    "b": {"type": "string", "defaultValue": "only"}
	  },
	  "variables": {
	    "v": "first",
	    "V": "second",
	    "İd": "member",
	    "copy": [{"name": "id", "count": 1, "input": "entry"}, {"name": "items", "count": 2, "input": "[copyIndex('items')]"}],
	    "w": "[variables('items')]"
	  }
	}`
	cases := []struct {
		name  string
		exprs []string // evaluated in order, each in a fresh Env
		want  []string
	}{
		{"parameter declared second first", []string{"parameters('A')", "parameters('a')", "parameters('b')"}, []string{`"second"`, `"second"`, `"only"`}},
		{"parameter declared first first", []string{"parameters('a')", "parameters('A')"}, []string{`"first"`, `"first"`}},
		{"variable declared second first", []string{"variables('V')", "variables('v')"}, []string{`"second"`, `"second"`}},
		{"variable declared first first", []string{"variables('v')", "variables('V')"}, []string{`"first"`, `"first"`}},
		// "İd" is "id" in lower case but does not fold to it: variables('id')
		// is the copy entry, which shares the member's slot.
		{"member before copy entry", []string{"variables('İd')", "variables('id')"}, []string{`"member"`, `"member"`}},
		{"copy entry before member", []string{"variables('id')", "variables('İd')"}, []string{`["entry"]`, `["entry"]`}},
		{"copy entry", []string{"variables('w')", "variables('ITEMS')"}, []string{`[0,1]`, `[0,1]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := NewEnv(loadTemplate(t, src), Options{})
			for i, x := range c.exprs {
				if got := evalExpr(env, x).String(); got != c.want[i] {
					t.Errorf("%s = %s, want %s", x, got, c.want[i])
				}
			}
		})
	}
}

// lowerRef is what lowerEqual compares, built: the string in lower
// case (not EqualFold's case folding, which differs for "İ", "ǅ", "ς").
func lowerRef(s string) string { return strings.ToLower(s) }

func TestLowerEqual(t *testing.T) {
	for _, c := range [][2]string{
		{"", ""}, {"a", "A"}, {"vmName", "VMNAME"}, {"vmName", "vmNam"}, {"İd", "id"}, {"İd", "ID"},
		{"\u212a", "k"}, {"\u212a", "K"}, {"ß", "SS"}, {"Straße", "STRASSE"}, {"\xff", "\ufffd"}, {"\xff", "\xfe"},
		{"a\xffb", "A\xfeB"}, {"é", "É"}, {"é", "e"}, {"ǅ", "ǆ"}, {"ǅ", "Ǆ"}, {"Σ", "ς"}, {"Σ", "σ"},
	} {
		want := lowerRef(c[0]) == lowerRef(c[1])
		if got := lowerEqual(c[0], c[1]); got != want {
			t.Errorf("lowerEqual(%q, %q) = %v, want %v", c[0], c[1], got, want)
		}
	}
}

func FuzzLowerEqual(f *testing.F) {
	f.Add("vmName", "VMNAME")
	f.Add("İd", "id")
	f.Add("\xff", "\ufffd")
	f.Add("\u212a", "k")
	f.Fuzz(func(t *testing.T, a, b string) {
		want := lowerRef(a) == lowerRef(b)
		if got := lowerEqual(a, b); got != want {
			t.Errorf("lowerEqual(%q, %q) = %v, want %v", a, b, got, want)
		}
		if !lowerEqual(a, strings.ToUpper(a)) && lowerRef(a) == lowerRef(strings.ToUpper(a)) {
			t.Errorf("lowerEqual(%q, upper) = false", a)
		}
	})
}
