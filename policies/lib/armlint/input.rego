# Input contract, version 1: what every armlint policy sees as `input`.
#
# analyzer/regoeval builds this document once per file from the evaluated
# template and its identity graph (analyzer/graph). Policies read nothing
# else: the only data document is `data.armlint.config` (below).
#
# Unknown values
#   A value the evaluator could not compute (a parameter without a value,
#   reference(), an unsupported function, ...) is the object
#   {"$unknown": "<canonical expression>"}, wherever it occurs: a whole
#   property, an array element, a member of an object. Two unknowns with the
#   same expression denote the same deployment-time value. Never compare an
#   unknown with a literal: guard with value.is_known(x) from
#   data.armlint.lib.value. No finding may rest on an unknown.
#
# input.version                  1 (this contract)
# input.file                     the file's path, slash-separated, as shown to users
#
# input.template                 the root template of the file
#   .scope                       the deployment scope from $schema:
#                                "resource_group" | "subscription" | "management_group" |
#                                "tenant" | "unknown"
#   .language_version            "2.0" for symbolic-name templates, else null
#   .resources[]                 every resource declaration of the file, nested
#                                inline deployments and child resources included,
#                                in file order (armlint's own policies, run without
#                                user policies, get only those they read: resources
#                                with an identity block, role assignments, user-assigned
#                                identities, role definitions, the owners of principals
#                                and the targets of user-assigned identity entries; user
#                                policies always get every one):
#     .key                       stable key: the resource's JSON pointer in the file,
#                                e.g. "/resources/2"; a copy-loop instance adds "[i]"
#                                ("/resources/2[0]"); a resource of a linked template is
#                                "<deployment key>=><file>#<pointer>". Findings name
#                                resources by key.
#     .label                     how messages name the resource: its symbolic name, its
#                                name when known and short, else type and line
#     .file                      the file that declares it (a linked template's own file)
#     .loop                      copy loop name, null outside a loop
#     .instance                  copy index of this instance; null outside a loop or when
#                                the count is not known (then copyIndex() is unknown)
#     .count                     the loop's count as evaluated, null outside a loop
#     .parent                    key of the parent of a child resource declared inside it
#     .deployment                key of the nested deployment (instance) whose template
#                                declares the resource; null at the root
#     .type                      full type, "Microsoft.Compute/virtualMachines"; unknown when
#                                it cannot be evaluated
#     .api_version               string, or unknown
#     .name                      full evaluated name ("vnet/subnet" for child resources)
#     .id                        the resource ID (unknown when the name is)
#     .symbolic_name             symbolic name (languageVersion 2.0), else null
#     .location                  normalised location (lower case, no spaces), null when absent
#     .deployed                  "yes" | "no" (condition false, or `existing`) |
#                                "maybe" (condition unknown)
#     .existing                  true for `existing: true` references
#     .condition                 null (no condition), true, false or unknown
#     .identity                  null when the resource has no identity block, else:
#       .type                    identity.type as evaluated (string or unknown)
#       .system_assigned         "yes" | "no" | "maybe": SystemAssigned in the type
#       .user_assigned           "yes" | "no" | "maybe": UserAssigned in the type
#       .user_assigned_identities[]  one per key of identity.userAssignedIdentities:
#         .id                    the evaluated key (a resource ID, or unknown)
#         .target                key of the user-assigned identity resource of this
#                                file it names, or null
#         .key                   the key as written (the path step to the entry:
#                                ["identity", "userAssignedIdentities", key]), null when
#                                the block is computed
#     .properties                the resource's `properties`, evaluated (unknowns inside
#                                where values are not known). null when absent.
#                                (armlint's own policies, run without user policies,
#                                read only those of role assignments, user-assigned
#                                identities and role definitions, and get null, with
#                                defaults.properties {}, for the others; user policies
#                                always get every resource's.)
#     .defaults                  names of the parameters whose default values (no
#                                parameter file gave them) these values were computed
#                                from, sorted; [] when none:
#       .name, .location, .count, .identity (the whole block)
#       .properties              {<member>: [...]} for each top-level member of
#                                properties resting on any (others absent)
#
# input.graph                    the identity graph
#   .principals[]                who role assignments grant to:
#     .id                        "system:<key>" | "user:<key>" | "managed:<key>:<path>" |
#                                "parameter:<name>" | "literal:<guid>" | "deployer"
#                                (an identity of a resource outside the file: "system:<id>",
#                                "user:<id>")
#     .kind                      "system_assigned" | "user_assigned" | "resource_managed"
#                                (an identity a resource creates itself: AKS kubelet and
#                                add-on identities) | "parameter" | "literal" | "deployer"
#     .owner                     key of the resource carrying the system-assigned identity,
#                                of the user-assigned identity resource, or of the resource
#                                managing the identity; null otherwise
#     .external                  for an identity of a resource outside the file: its ID
#     .path                      for "resource_managed": the property read
#     .created_here              the deployment creates this identity (its owner is deployed
#                                or maybe deployed, and not `existing`)
#     .param                     the parameter name for kind "parameter", else null
#     .guid                      the object ID for kind "literal", else null
#     .description               human description for messages, e.g.
#                                `system-assigned identity of "vm-web"`
#   .assignments[]               Microsoft.Authorization/roleAssignments resources (extension
#                                and legacy {type}/providers/roleAssignments forms):
#     .resource                  key of the role assignment resource
#     .name                      the assignment's evaluated name (string or unknown)
#     .principal                 id of the principal in .principals, or null when
#                                properties.principalId cannot be resolved
#     .principal_kind            the principal's kind, or "unknown"
#     .principal_type            properties.principalType as evaluated (null when absent)
#     .role                      the role definition:
#       .id                      lower-case GUID; unknown when roleDefinitionId cannot
#                                be resolved
#       .name                    role name ("Owner"), null when not known
#       .builtin                 a built-in role
#       .privileged              a privileged administrator role (Owner, Contributor,
#                                User Access Administrator, Role Based Access Control
#                                Administrator, Reservations Administrator)
#       .can_write_role_assignments  the role can write role assignments
#       .read_only               only */read actions and no data actions
#       .known                   the role could be resolved (then .id is a string)
#       .actions, .data_actions  the role's actions (built-in table or custom definition)
#     .scope                     where the assignment applies:
#       .kind                    "resource" | "resource_group" | "subscription" |
#                                "management_group" | "tenant" | "unknown"
#       .target                  the scope's resource ID, or null when unknown
#     .condition                 properties.condition (ABAC) as evaluated, null when absent
#     .defaults                  names of the parameters whose default values the role,
#                                principal, principal type and scope were computed from (no
#                                parameter file gave them), sorted; [] when none
#     .label                     how messages name the assignment (see resources[].label)
#
# Rule options
#   data.armlint.config[<rule ID>] is the rule's options object from the
#   configuration file, e.g. data.armlint.config.AL1201.allowedRoles. It is
#   undefined when the configuration gives none.
#
# Output contract
#   A rule package (armlint.rules.<category>.<name>, or armlint.custom.<...>.<name>
#   for user policies) defines one entry point, the set `findings`. Build its
#   elements with data.armlint.lib.result:
#     {"resource": <key>, "path": [<key or index>, ...], "message": <string>,
#      "severity": "note" | "warning" | "error"   (optional: raises the rule's default),
#      "related": [{"resource": <key>, "path": [...], "message": <string>}]  (optional)}
#   The path is followed inside the resource; when part of it is absent the
#   finding falls back to the deepest node that exists, then to the resource.
#
# This package has lookup helpers. `input` is a reserved name, so import it
# under another one:  import data.armlint.lib.input as model
package armlint.lib.input

# resources maps each resource key to its input resource.
resources := {r.key: r | some r in input.template.resources}

# principals maps each principal id to its input principal.
principals := {p.id: p | some p in input.graph.principals}

# resource returns the input resource with the given key.
resource(key) := resources[key]

# principal returns the input principal with the given id.
principal(id) := principals[id]
