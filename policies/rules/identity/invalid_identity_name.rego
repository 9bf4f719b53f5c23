# METADATA
# title: Invalid user-assigned identity name
# description: |
#   A user-assigned identity's name breaks the naming rule of
#   `Microsoft.ManagedIdentity/userAssignedIdentities`: 3 to 128 characters, only
#   letters, digits, hyphens and underscores, starting with a letter or a digit. The
#   deployment fails. Only names the template determines are checked.
#
#   **Fix:** rename the identity, for example `id-<workload>-<region>`; when the name
#   is built from parameters, constrain them (`minLength`, `maxLength`,
#   `allowedValues`).
# custom:
#   id: AL1503
#   severity: error
#   tags: [identity, security]
#   starts_from: [user_assigned_identities]
package armlint.rules.identity.invalid_identity_name

import data.armlint.lib.identity
import data.armlint.lib.result

findings contains f if {
	some u in identity.uais
	identity.created(u)
	is_string(u.name)
	not valid(u.name)
	says := problem(u.name)

	msg := sprintf("user-assigned identity name %q %s: it must have 3 to 128 letters, digits, hyphens or underscores and start with a letter or digit%s", [
		u.name, says, result.defaults_note(identity.defaults(u, ["name"])),
	])
	f := result.finding(u.key, ["name"], msg)
}

# valid is true for a valid name: one test, so that problem (a test per
# character) runs for invalid names only. problem is defined exactly when
# valid is not.
valid(name) if regex.match(`^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$`, name)

# problem says what is wrong with a name: the most telling problem only.
problem(name) := sprintf("is %d characters long", [count(name)]) if {
	not valid_length(name)
} else := sprintf("contains %s", [concat(", ", [sprintf("%q", [c]) | some c in bad_chars(name)])]) if {
	count(bad_chars(name)) > 0
} else := "does not start with a letter or digit" if {
	not regex.match(`^[A-Za-z0-9]`, name)
}

valid_length(name) if {
	count(name) >= 3
	count(name) <= 128
}

# bad_chars are the distinct characters of name outside the allowed set,
# sorted.
bad_chars(name) := sort({c |
	some c in split(name, "")
	not regex.match(`^[A-Za-z0-9_-]$`, c)
})
