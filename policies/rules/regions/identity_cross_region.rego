# METADATA
# title: Identity used in another region
# description: |
#   A resource uses a user-assigned identity (in `identity.userAssignedIdentities`)
#   that lives in another region. Identities cannot be moved between regions, only
#   re-created, so the resource and its identity cannot be relocated together, and an
#   outage of the identity's region affects the resource. Locations compare without
#   case and spaces; resources in `global` are not reported, and both locations must
#   be known. (A Regional identity in another region is AL1101, an error.)
#
#   **Fix:** create the identity in the resource's region (one user-assigned identity
#   per region), or move the resource to the identity's region.
# custom:
#   id: AL1102
#   severity: note
#   tags: [identity, regions, security]
#   starts_from: [attachments]
package armlint.rules.regions.identity_cross_region

import data.armlint.lib.identity
import data.armlint.lib.input as model
import data.armlint.lib.result

findings contains f if {
	some at in identity.attachments
	c := model.resource(at.consumer)
	u := model.resource(at.identity)
	identity.created(c)
	identity.created(u)
	not identity.regional(u)
	loc := identity.location(c)
	uloc := identity.location(u)
	loc != uloc
	loc != "global"
	uloc != "global"

	notes := sort({n | some n in array.concat(identity.defaults(c, ["location"]), identity.defaults(u, ["location"]))})
	msg := sprintf("%s in %s uses user-assigned identity %s, which lives in %s: the two cannot be relocated together, and an outage of %s affects %s%s", [
		c.label, loc, u.label, uloc, uloc, c.label, result.defaults_note(notes),
	])
	rel := [result.related(u.key, ["location"], sprintf("the identity %s, in %s", [u.label, uloc]))]
	f := result.finding_related(c.key, at.path, msg, rel)
}
