package expr

import (
	"strings"

	"github.com/armlint/armlint/analyzer/template"
)

// Resource ID functions, with the exact output formats of ARM:
//
//	resourceId                /subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{childType}/{childName}...]
//	                          (subscription scope: /subscriptions/{sub}/providers/...; MG and tenant: /providers/...)
//	subscriptionResourceId    /subscriptions/{sub}/providers/{ns}/{type}/{name}
//	tenantResourceId          /providers/{ns}/{type}/{name}
//	managementGroupResourceId /providers/Microsoft.Management/managementGroups/{mg}/providers/{ns}/{type}/{name}
//	extensionResourceId       {baseId}/providers/{ns}/{type}/{name}

func resourceIDFunctions() []*function {
	return []*function{
		{name: "resourceId", minArgs: 2, maxArgs: -1, eval: fnResourceID},
		{name: "subscriptionResourceId", minArgs: 2, maxArgs: -1, eval: fnSubscriptionResourceID},
		{name: "tenantResourceId", minArgs: 2, maxArgs: -1, eval: fnTenantResourceID},
		{name: "managementGroupResourceId", minArgs: 2, maxArgs: -1, eval: fnManagementGroupResourceID},
		{name: "extensionResourceId", minArgs: 3, maxArgs: -1, eval: fnExtensionResourceID},
	}
}

// stringArgs returns all arguments as strings, appended to buf, or fails
// the call.
func stringArgs(c *call, a []Value, buf []string) ([]string, Value, bool) {
	out := buf
	for i, x := range a {
		s, ok := x.Str()
		if !ok {
			return nil, c.typeErr(a, i, "a string"), false
		}
		out = append(out, s)
	}
	return out, Value{}, true
}

// typeIndex returns the index of the first argument containing '/' (the
// resource type), or -1.
func typeIndex(s []string) int {
	for i, x := range s {
		if strings.Contains(x, "/") {
			return i
		}
	}
	return -1
}

// providerPath builds "{ns}/{type}/{name}[/{childType}/{childName}...]"
// from a full resource type and the name segments.
func providerPath(c *call, typ string, names []string) (string, Value, bool) {
	t, size, bad, ok := checkProviderPath(c, typ, names)
	if !ok {
		return "", bad, false
	}
	var b strings.Builder
	b.Grow(size)
	writeProviderPath(&b, t, names)
	return b.String(), Value{}, true
}

// checkProviderPath checks that the names fit the resource type: t is the
// type without leading and trailing slashes, size the length of the path
// providerPath builds.
func checkProviderPath(c *call, typ string, names []string) (t string, size int, bad Value, ok bool) {
	t = strings.Trim(typ, "/")
	types := strings.Count(t, "/") // segments after the namespace
	if types < 1 {
		return "", 0, c.fail("invalid resource type %s", quote(typ)), false
	}
	nameSegs := 0
	size = len(t)
	for _, n := range names {
		n = strings.Trim(n, "/")
		nameSegs += strings.Count(n, "/") + 1
		size += len(n) + 1
	}
	if nameSegs != types {
		return "", 0, c.fail("resource type %s has %d type segments but %d name segments were given", quote(typ), types, nameSegs), false
	}
	return t, size, Value{}, true
}

// writeProviderPath writes the path of providerPath, for a type t and
// names checkProviderPath accepted: the type's segments interleaved with
// the names' segments, "{ns}/{type1}/{name1}/{type2}/{name2}...".
func writeProviderPath(b *strings.Builder, t string, names []string) {
	ns, rest, _ := strings.Cut(t, "/")
	b.WriteString(ns)
	for _, n := range names {
		n = strings.Trim(n, "/")
		for {
			seg, more, found := strings.Cut(n, "/")
			var ty string
			ty, rest, _ = strings.Cut(rest, "/")
			b.WriteByte('/')
			b.WriteString(ty)
			b.WriteByte('/')
			b.WriteString(seg)
			if !found {
				break
			}
			n = more
		}
	}
}

func (c *call) ctxString(v Value, what string) (string, Value, bool) {
	if s, ok := v.Str(); ok {
		return s, Value{}, true
	}
	if v.k == KUnknown {
		return "", NewUnknown(&Unknown{Expr: c.text(c.args), Reason: "the target " + what + " is unknown", Marks: v.u.Marks}), false
	}
	return "", c.fail("the target %s is not a string", what), false
}

func fnResourceID(c *call, a []Value) Value {
	var buf [4]string
	s, bad, ok := stringArgs(c, a, buf[:0])
	if !ok {
		return bad
	}
	ti := typeIndex(s)
	if ti < 0 || ti > 2 {
		return c.fail("no resource type (an argument containing '/') in the expected position")
	}
	t, size, bad, ok := checkProviderPath(c, s[ti], s[ti+1:])
	if !ok {
		return bad
	}
	ctx := c.ctx()
	var sub, rg string
	switch ti {
	case 2:
		sub, rg = s[0], s[1]
	case 1:
		if sub, bad, ok = c.ctxString(ctx.sub, "subscription"); !ok {
			return bad
		}
		rg = s[0]
	case 0:
		switch ctx.scope {
		case template.ScopeManagementGroup, template.ScopeTenant:
			return String(joinPath(size, t, s[ti+1:], "/providers/"))
		case template.ScopeSubscription:
			if sub, bad, ok = c.ctxString(ctx.sub, "subscription"); !ok {
				return bad
			}
			return String(joinPath(size, t, s[ti+1:], "/subscriptions/", sub, "/providers/"))
		}
		if sub, bad, ok = c.ctxString(ctx.sub, "subscription"); !ok {
			return bad
		}
		if rg, bad, ok = c.ctxString(ctx.rg, "resource group"); !ok {
			return bad
		}
	}
	return String(joinPath(size, t, s[ti+1:], "/subscriptions/", sub, "/resourceGroups/", rg, "/providers/"))
}

// joinPath builds, in one allocation, the prefix followed by the
// provider path of type t and names (of length size, see
// checkProviderPath).
func joinPath(size int, t string, names []string, prefix ...string) string {
	for _, p := range prefix {
		size += len(p)
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range prefix {
		b.WriteString(p)
	}
	writeProviderPath(&b, t, names)
	return b.String()
}

func fnSubscriptionResourceID(c *call, a []Value) Value {
	sub, path, bad, ok := scopedPath(c, a, c.ctx().sub, "subscription")
	if !ok {
		return bad
	}
	return String("/subscriptions/" + sub + "/providers/" + path)
}

// scopedPath reads the arguments of subscriptionResourceId and
// managementGroupResourceId: an optional scope name (else the context's),
// a resource type and its names.
func scopedPath(c *call, a []Value, ctxScope Value, what string) (scope, path string, bad Value, ok bool) {
	var buf [4]string
	s, bad, ok := stringArgs(c, a, buf[:0])
	if !ok {
		return "", "", bad, false
	}
	ti := typeIndex(s)
	if ti < 0 || ti > 1 {
		return "", "", c.fail("no resource type (an argument containing '/') in the expected position"), false
	}
	if path, bad, ok = providerPath(c, s[ti], s[ti+1:]); !ok {
		return "", "", bad, false
	}
	if ti == 1 {
		return s[0], path, Value{}, true
	}
	if scope, bad, ok = c.ctxString(ctxScope, what); !ok {
		return "", "", bad, false
	}
	return scope, path, Value{}, true
}

func fnTenantResourceID(c *call, a []Value) Value {
	var buf [4]string
	s, bad, ok := stringArgs(c, a, buf[:0])
	if !ok {
		return bad
	}
	if typeIndex(s) != 0 {
		return c.fail("the first argument must be a resource type")
	}
	path, bad, ok := providerPath(c, s[0], s[1:])
	if !ok {
		return bad
	}
	return String("/providers/" + path)
}

func fnManagementGroupResourceID(c *call, a []Value) Value {
	mg, path, bad, ok := scopedPath(c, a, c.ctx().mg, "management group")
	if !ok {
		return bad
	}
	return String(mgPrefix + mg + "/providers/" + path)
}

func fnExtensionResourceID(c *call, a []Value) Value {
	var buf [4]string
	s, bad, ok := stringArgs(c, a, buf[:0])
	if !ok {
		return bad
	}
	if !strings.Contains(s[1], "/") {
		return c.fail("the second argument must be a resource type")
	}
	path, bad, ok := providerPath(c, s[1], s[2:])
	if !ok {
		return bad
	}
	return String(strings.TrimSuffix(s[0], "/") + "/providers/" + path)
}
