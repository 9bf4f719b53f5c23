# METADATA
# title: Copy loop creates many system identities
# description: |
#   A copy loop creates resources that each get their own system-assigned identity: a
#   service principal per instance. Creating many at once can hit the directory's
#   object-creation rate limit (HTTP 429), and deleted identities count towards the
#   directory's object quota for 30 days, so scaling in and out churns the directory.
#   A scale set is one resource with one identity, so a scale set alone is not a case.
#   Only loops whose count is known are checked; the `minCount` option sets the
#   smallest count reported (default 2): `{"rules": {"AL1502": {"options":
#   {"minCount": 10}}}}`.
#
#   **Fix:** create one user-assigned identity, list it in
#   `identity.userAssignedIdentities` of the looped resource, and grant its roles once.
# custom:
#   id: AL1502
#   severity: note
#   tags: [identity, security]
#   starts_from: [looped_identities]
package armlint.rules.identity.system_identity_at_scale

import data.armlint.lib.identity
import data.armlint.lib.result

# min_count is the smallest number of identities reported.
min_count := n if {
	n := data.armlint.config.AL1502.minCount
	is_number(n)
	n >= 1
} else := 2

# instances are the copy-loop instances (count known) that create a
# system-assigned identity, grouped by their declaration.
instances[decl] contains r if {
	some r in input.template.resources
	is_string(r.loop)
	is_number(r.instance)
	identity.created(r)
	r.identity.system_assigned == "yes"
	decl := declaration(r.key)
}

# declaration is an instance's key without its copy index.
declaration(key) := regex.replace(key, `\[[0-9]+\]$`, "")

findings contains f if {
	some decl, group in instances
	n := count(group)
	n >= min_count

	first := [r | some r in group; r.instance == min({x.instance | some x in group})][0]
	notes := sort({d | some r in group; some d in identity.defaults(r, ["count", "identity"])})
	msg := sprintf("copy loop %q creates %d %s resources, each with its own system-assigned identity: %d service principals created and deleted with the loop; share one user-assigned identity instead%s", [
		first.loop, n, first.type, n, result.defaults_note(notes),
	])
	f := result.finding(first.key, ["identity"], msg)
}
