package armlint.rules.identity.system_identity_at_scale_test

import data.armlint.rules.identity.system_identity_at_scale as rule

vm(i, n) := {
	"key": sprintf("/resources/0[%d]", [i]), "type": "Microsoft.Compute/virtualMachines", "api_version": "2023-03-01",
	"name": sprintf("vm-%d", [i]), "label": sprintf("\"vm-%d\"", [i]), "location": "westeurope",
	"deployed": "yes", "existing": false, "properties": {},
	"loop": "workers", "instance": i, "count": n,
	"identity": {"type": "SystemAssigned", "system_assigned": "yes", "user_assigned": "no", "user_assigned_identities": []},
	"defaults": {"name": [], "location": [], "count": ["n"], "identity": [], "properties": {}},
}

loop(n) := [vm(i, n) | some i in numbers.range(0, n - 1)]

doc(rs) := {"version": 1, "template": {"resources": rs}, "graph": {"principals": [], "assignments": []}}

test_loop_of_system_identities if {
	rule.findings == {{
		"resource": "/resources/0[0]", "path": ["identity"],
		"message": `copy loop "workers" creates 3 Microsoft.Compute/virtualMachines resources, each with its own system-assigned identity: 3 service principals created and deleted with the loop; share one user-assigned identity instead (with parameter 'n' at its default)`,
	}} with input as doc(loop(3))
}

test_min_count_option if {
	rule.findings == set() with input as doc(loop(3))
		with data.armlint.config as {"AL1502": {"minCount": 10}}
	count(rule.findings) == 1 with input as doc(loop(10))
		with data.armlint.config as {"AL1502": {"minCount": 10}}
}

test_single_instance_is_silent if {
	rule.findings == set() with input as doc(loop(1))
}

test_unknown_count_is_silent if {
	r := object.union(vm(0, 3), {"key": "/resources/0", "instance": null, "count": {"$unknown": "parameters('n')"}})
	rule.findings == set() with input as doc([r])
}

test_not_system_assigned_or_not_deployed_is_silent if {
	ua := [object.union(r, {"identity": {"system_assigned": "no"}}) | some r in loop(3)]
	rule.findings == set() with input as doc(ua)
	maybe := [object.union(r, {"identity": {"system_assigned": "maybe"}}) | some r in loop(3)]
	rule.findings == set() with input as doc(maybe)
	off := [object.union(r, {"deployed": "no"}) | some r in loop(3)]
	rule.findings == set() with input as doc(off)
}

test_scale_set_outside_a_loop_is_silent if {
	r := object.union(vm(0, 3), {"type": "Microsoft.Compute/virtualMachineScaleSets", "loop": null, "instance": null, "count": null})
	rule.findings == set() with input as doc([r])
}
