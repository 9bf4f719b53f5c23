# METADATA
# title: Regional identity used in another region
# description: |
#   A user-assigned identity with `isolationScope: 'Regional'` is listed in
#   `identity.userAssignedIdentities` of a resource in another location. A regional
#   identity can only be assigned to resources in its own region, so the deployment
#   fails. Locations compare without case and spaces (`West Europe` is `westeurope`);
#   a `global` resource never matches a regional identity. Both locations must be
#   known.
#
#   **Fix:** create the resource in the identity's region, or give the resource a
#   regional identity of its own region (one user-assigned identity per region is the
#   recommended pattern).
# custom:
#   id: AL1101
#   severity: error
#   tags: [identity, regions, security]
#   starts_from: [attachments]
package armlint.rules.regions.regional_identity_cross_region

import data.armlint.lib.identity
import data.armlint.lib.input as model
import data.armlint.lib.result

findings contains f if {
	some at in identity.attachments
	c := model.resource(at.consumer)
	u := model.resource(at.identity)
	identity.created(c)
	identity.created(u)
	identity.regional(u)
	loc := identity.location(c)
	uloc := identity.location(u)
	loc != uloc

	names := array.concat(
		identity.defaults(c, ["location"]),
		identity.defaults(u, ["location"]),
	)
	notes := sort({n | some n in array.concat(names, identity.property_defaults(u, ["isolationScope"]))})
	msg := sprintf("%s in %s uses user-assigned identity %s, which is Regional (isolationScope) and lives in %s: a regional identity can only be assigned to resources in its own region%s", [
		c.label, loc, u.label, uloc, result.defaults_note(notes),
	])
	rel := [result.related(u.key, ["location"], sprintf("the regional identity %s, in %s", [u.label, uloc]))]
	f := result.finding_related(c.key, at.path, msg, rel)
}
