package graph

import (
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// identity evaluates a resource's identity block.
func (b *builder) identity(r *Resource) {
	node := r.Res.Identity
	if node == nil {
		return
	}
	env := r.env
	val := env.EvalNode(node)
	if val.Kind() == expr.KNull {
		return
	}
	id := &Identity{Node: node, Value: val, System: Maybe, User: Maybe}
	r.Identity = id
	obj, ok := val.Obj()
	if !ok {
		id.Type = val // the whole block is unknown
		return
	}
	id.Type, _ = obj.Get("type")
	if s, ok := id.Type.Str(); ok {
		id.System, id.User = No, No
		for _, part := range strings.Split(strings.ToLower(strings.Join(strings.Fields(s), "")), ",") {
			switch part {
			case "systemassigned":
				id.System = Yes
			case "userassigned":
				id.User = Yes
			}
		}
	}
	id.TypeNode = node.Get("type")
	id.UserAssignedNode = node.Get("userAssignedIdentities")
	id.UserAssignedValue, _ = obj.Get("userAssignedIdentities")
	uai, ok := id.UserAssignedValue.Obj()
	if !ok {
		return
	}
	// When the object is written out, evaluate each key again from the
	// source so that it keeps its provenance (parameter defaults).
	raw := id.UserAssignedNode
	if raw != nil && (raw.Kind != template.Object || len(raw.Members()) != len(uai.Keys)) {
		raw = nil
	}
	for i, key := range uai.Keys {
		ref := &UserAssignedRef{ID: expr.String(key)}
		if uai.KeyIsUnknown(i) {
			ref.ID = expr.NewUnknown(&expr.Unknown{Expr: key, Reason: "the identity's resource ID is not known"})
		}
		if raw != nil {
			ref.Node = raw.Members()[i].Value
			ref.KeyNode = &KeyNode{Object: raw, Member: &raw.Members()[i]}
			ref.ID = env.EvalString(raw.Members()[i].Key)
		}
		ref.ID = b.deref(ref.ID, 0)
		if t := b.resolve(ref.ID, r); t != nil && isUserAssignedIdentity(t) {
			ref.Target = t
		}
		id.UserAssigned = append(id.UserAssigned, ref)
	}
}

func isUserAssignedIdentity(r *Resource) bool {
	return strings.EqualFold(r.Type, "Microsoft.ManagedIdentity/userAssignedIdentities")
}

// KeyNode is the key of an object member as a node, for findings about a
// key (userAssignedIdentities keys are resource IDs written as keys).
type KeyNode struct {
	Object *template.Value
	Member *template.Member
}

// File returns the file of the object.
func (k *KeyNode) File() *template.File { return k.Object.File() }

// Span returns the span of the key, quotes included.
func (k *KeyNode) Span() (int, int) { return k.Member.KeyStart(), k.Member.KeyEnd() }

// Pointer returns the JSON pointer of the member's value.
func (k *KeyNode) Pointer() string { return k.Member.Value.Pointer() }
