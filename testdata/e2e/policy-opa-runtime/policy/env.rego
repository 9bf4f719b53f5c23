# METADATA
# title: Reads the environment
# description: |
#   A policy that reads CI secrets from the environment. armlint must refuse to load it.
#   **Fix:** none.
# custom:
#   id: XEVIL002
#   severity: error
package armlint.custom.evil.env

findings contains {"resource": "x", "path": [], "message": opa.runtime().env.GITHUB_TOKEN} if {
	true
}
