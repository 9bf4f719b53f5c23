package expr

import "strings"

// Runtime functions are never evaluated: they read the state of deployed
// resources, or the clock. They return unknowns that say symbolically
// what they read (Ref), so that property paths such as
// reference(id, api, 'Full').identity.principalId can be traced.

func runtimeFunctions() []*function {
	ref := func(name string, minArgs, maxArgs int) *function {
		return &function{name: name, minArgs: minArgs, maxArgs: maxArgs, mode: modeAny, eval: fnRuntimeRead}
	}
	return []*function{
		ref("reference", 1, 3),
		ref("references", 1, 2),
		ref("resourceInfo", 1, 1),
		ref("pickZones", 3, 5),
		ref("providers", 1, 2),
		{name: "utcNow", minArgs: 0, maxArgs: 1, eval: func(c *call, a []Value) Value {
			return NewUnknown(&Unknown{Expr: c.text(a), Reason: "utcNow() is evaluated at deployment", Marks: MarkUtcNow})
		}},
	}
}

// isListFunction reports whether name is a list* runtime function
// (listKeys, listSecrets, listAccountSas, ...).
func isListFunction(name string) bool {
	return len(name) > 4 && strings.EqualFold(name[:4], "list")
}

// listFunction returns the table entry for a list* function, named as
// written.
func listFunction(name string) *function {
	return &function{name: name, minArgs: 1, maxArgs: 3, mode: modeAny, eval: fnRuntimeRead}
}

// fnRuntimeRead builds the symbolic unknown of a runtime read.
func fnRuntimeRead(c *call, a []Value) Value {
	lname := strings.ToLower(c.name())
	r := &Ref{Func: lname, Target: a[0]}
	str := func(i int) string {
		if i < len(a) {
			s, _ := a[i].Str()
			return s
		}
		return ""
	}
	switch {
	case lname == "reference":
		r.APIVersion = str(1)
		r.Full = strings.EqualFold(str(2), "full")
	case lname == "references":
		r.Full = strings.EqualFold(str(1), "full")
	case isListFunction(lname):
		r.APIVersion = str(1)
	}
	var marks Mark
	for _, x := range a {
		marks |= marksOf(x)
	}
	return NewUnknown(&Unknown{Expr: c.text(a), Reason: c.name() + "() is read at deployment", Ref: r, Marks: marks})
}
