# METADATA
# title: Code runs as an identity with broad write access
# description: |
#   An identity that holds a privileged or write role (any action other than `*/read`, or
#   any data action) at resource-group scope or wider is attached to a resource that runs
#   code: virtual machines and scale sets, web and function apps, logic apps, automation
#   accounts, container instances and container apps, AKS clusters, Batch accounts and
#   pools, deployment scripts. Anyone who can run code there (a deployed application, a
#   compromised dependency, an operator with run-command or SSH access) acts with those
#   permissions on everything in the scope. The identity is attached when it is the
#   resource's system-assigned identity, a user-assigned identity listed in its
#   `identity.userAssignedIdentities`, or an identity the resource manages itself (the AKS
#   kubelet and add-on identities; an AKS cluster's own identity serves its managed
#   control plane, not the nodes, and is not counted).
#
#   Option `codeExecutionTypes` adds resource types that run code, e.g.
#   `{"codeExecutionTypes": ["Microsoft.MachineLearningServices/workspaces/computes"]}`.
#
#   **Fix:** grant the identity only what the code needs, on the resources it works on
#   (for example Storage Blob Data Contributor on one storage account instead of
#   Contributor on the resource group), or give the code a separate identity for the
#   privileged task and run that task elsewhere.
# custom:
#   id: AL1206
#   severity: note
#   tags: [identity, rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.roles.code_execution_privileged_identity

import data.armlint.lib.grants
import data.armlint.lib.result
import data.armlint.lib.roles

# default_code_types are the resource types that run code, lower case.
default_code_types := {
	"microsoft.compute/virtualmachines",
	"microsoft.compute/virtualmachinescalesets",
	"microsoft.web/sites",
	"microsoft.web/sites/slots",
	"microsoft.logic/workflows",
	"microsoft.automation/automationaccounts",
	"microsoft.containerinstance/containergroups",
	"microsoft.app/containerapps",
	"microsoft.app/jobs",
	"microsoft.containerservice/managedclusters",
	"microsoft.batch/batchaccounts",
	"microsoft.batch/batchaccounts/pools",
	"microsoft.resources/deploymentscripts",
}

# code_types adds the types of the codeExecutionTypes option.
code_types := default_code_types | {lower(t) |
	some t in data.armlint.config.AL1206.codeExecutionTypes
	is_string(t)
}

# wide_writes are the active role assignments that let their principal
# write at a wide scope: most files have none, and then no resource is
# looked at.
wide_writes := [a |
	some a in input.graph.assignments
	grants.is_active(a)
	a.scope.kind in roles.wide_scope_kinds
	roles.writes(a.role)
]

findings contains f if {
	count(wide_writes) > 0
	some r in input.template.resources
	r.deployed != "no"
	is_string(r.type)
	lower(r.type) in code_types
	some p in input.graph.principals
	grants.attached(p, r)
	not control_plane_identity(p, r)
	held := [a | some a in wide_writes; a.principal == p.id]
	count(held) > 0

	holds := concat(", ", [sprintf("%s at %s (role assignment %s)", [roles.label(a.role), grants.scope_text(a.scope), a.label]) |
		some a in held
	])
	notes := sort({n | some a in held; some n in a.defaults} | {n | some n in object.get(r, ["defaults", "identity"], [])})
	msg := sprintf("%s runs code as %s, which holds %s: anyone who can run code there acts with these permissions%s", [
		r.label, identity_text(p, r), holds, result.defaults_note(notes),
	])
	rel := [result.related(a.resource, grants.role_definition_path, sprintf("grants %s to the identity", [roles.label(a.role)])) |
		some a in held
	]
	f := result.finding_related(r.key, identity_entry(p, r), msg, rel)
}

# identity_entry is where resource r attaches p: its userAssignedIdentities
# entry when written, else the identity block.
identity_entry(p, r) := ["identity", "userAssignedIdentities", u.key] if {
	p.kind == "user_assigned"
	some u in r.identity.user_assigned_identities
	u.target == p.owner
	is_string(u.key)
} else := ["identity"]

# control_plane_identity is true when p is an AKS cluster's own identity
# (its identity block): the managed control plane uses it, code on the
# nodes cannot reach it. The kubelet and add-on identities are the nodes'.
control_plane_identity(p, r) if {
	lower(r.type) == "microsoft.containerservice/managedclusters"
	p.kind in {"system_assigned", "user_assigned"}
}

# identity_text names the identity relative to the resource it runs in.
identity_text(p, _) := "its system-assigned identity" if p.kind == "system_assigned"

identity_text(p, r) := sprintf("its identity %s", [p.path]) if {
	p.kind == "resource_managed"
	p.owner == r.key
}

identity_text(p, _) := p.description if p.kind == "user_assigned"
