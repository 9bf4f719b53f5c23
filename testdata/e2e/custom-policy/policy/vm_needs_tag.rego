# METADATA
# title: Virtual machines with a system-assigned identity
# description: |
#   Example custom policy: lists virtual machines that carry a system-assigned identity.
#   **Fix:** use the shared user-assigned identity of the team.
# custom:
#   id: XCORP001
#   severity: note
#   tags: [identity]
package armlint.custom.identity.vm_system_identity

findings contains {"resource": r.key, "path": ["identity"], "message": sprintf("virtual machine %s has a system-assigned identity", [r.name])} if {
	some r in input.template.resources
	lower(r.type) == "microsoft.compute/virtualmachines"
	r.identity.system_assigned == "yes"
}
