# METADATA
# title: Identity isolationScope ignored or invalid
# description: |
#   A user-assigned identity sets `properties.isolationScope`, but its `apiVersion`
#   predates the property (it first appears in `2024-11-30`; later and preview
#   versions such as `2025-01-31-preview` have it): the value is ignored and the
#   identity is not isolated. Also reported: a value other than `None` or `Regional`,
#   which the resource provider rejects.
#
#   **Fix:** use `apiVersion` `2024-11-30` or later for the identity, and set
#   `isolationScope` to `Regional` (usable only by resources in the identity's region)
#   or `None`.
# custom:
#   id: AL1103
#   severity: warning
#   tags: [identity, regions, security]
#   starts_from: [user_assigned_identities]
package armlint.rules.regions.isolation_scope_api_version

import data.armlint.lib.identity
import data.armlint.lib.result
import data.armlint.lib.value

path := ["properties", "isolationScope"]

findings contains f if {
	some u in identity.uais
	identity.created(u)
	s := identity.isolation_scope(u)
	identity.predates_isolation_scope(u)

	msg := sprintf("user-assigned identity %s sets isolationScope %s, but apiVersion %s predates the property (first in %s): the value is ignored", [
		u.label, value.display(s), u.api_version, identity.isolation_scope_since,
	])
	f := result.finding(u.key, path, msg)
}

findings contains f if {
	some u in identity.uais
	identity.created(u)
	s := identity.isolation_scope(u)
	not valid(s)
	value.is_known(s)
	identity.supports_isolation_scope(u)

	msg := sprintf("user-assigned identity %s sets isolationScope %s, which is not None or Regional%s", [
		u.label, value.display(s), result.defaults_note(identity.property_defaults(u, ["isolationScope"])),
	])
	f := result.finding(u.key, path, msg)
}

# valid is true for the values the resource provider accepts (enum values
# compare without case).
valid(s) if {
	is_string(s)
	lower(s) in {"none", "regional"}
}
