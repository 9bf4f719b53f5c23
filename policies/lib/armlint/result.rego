# Builders for the elements of a rule's `findings` set.
#
# Rules never compute lines or severities: a finding names a resource by
# its key and a path inside it, and armlint resolves that to a location.
# See the output contract in data.armlint.lib.input.
package armlint.lib.result

# finding returns a finding on the node at path (keys and array indexes)
# inside the resource with the given key.
finding(resource, path, message) := {
	"resource": resource,
	"path": path,
	"message": message,
}

# finding_related is finding with related locations (built with related).
finding_related(resource, path, message, rel) := object.union(
	finding(resource, path, message),
	{"related": rel},
)

# related returns a related location: another node involved in a finding.
related(resource, path, message) := {
	"resource": resource,
	"path": path,
	"message": message,
}

# with_severity returns f with a severity ("note", "warning" or "error")
# that raises the rule's default for this one finding. A severity at or
# below the rule's default has no effect.
with_severity(f, severity) := object.union(f, {"severity": severity})

# defaults_note returns the suffix a message gets when the finding rests on
# parameter default values: "" when names is empty, else
# " (with parameter 'a' at its default)" or
# " (with parameters 'a', 'b' at their defaults)".
defaults_note(names) := "" if count(names) == 0

defaults_note(names) := sprintf(" (with parameter '%s' at its default)", [names[0]]) if count(names) == 1

defaults_note(names) := sprintf(" (with parameters %s at their defaults)", [concat(", ", quoted)]) if {
	count(names) > 1
	quoted := [sprintf("'%s'", [n]) | some n in names]
}
