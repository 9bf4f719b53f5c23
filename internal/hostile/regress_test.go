package hostile

import (
	"fmt"
	"strings"
	"testing"
)

// TestSharedValueExplosion is a template whose variables nest arrays of
// the previous variable 40 times each, six levels deep: 40^6 leaves, built
// in a few hundred evaluation steps because values are shared. Walking
// the value (IsFullyKnown on a call argument) does not end in practical
// time, so the whole run hung until every array and object carried its
// tree size, charged to the evaluation budget and capped.
func TestSharedValueExplosion(t *testing.T) {
	vars := []string{`"v0": "[range(0, 40)]"`}
	for i := 1; i <= 6; i++ {
		vars = append(vars, fmt.Sprintf(`"v%d": "[createArray(%s)]"`, i,
			strings.TrimSuffix(strings.Repeat(fmt.Sprintf("variables('v%d'), ", i-1), 40), ", ")))
	}
	src := tmpl(`"parameters": {"p": {"type": "string"}}, "variables": {`+strings.Join(vars, ", ")+`}`,
		storage(`"[concat(parameters('p'), string(variables('v6')))]"`))
	lint(t, src)
}
