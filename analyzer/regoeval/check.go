package regoeval

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/armlint/armlint/analyzer"
)

// evaluator runs one rule package's prepared query.
type evaluator struct {
	rule    *analyzer.Rule
	query   rego.PreparedEvalQuery
	timeout time.Duration
	inputs  *inputCache
}

// check is the rule's Check: it evaluates the query with the file's input
// under the evaluation budget and reports the findings it returns.
func (e *evaluator) check(pass *analyzer.Pass) error {
	input := e.inputs.get(pass.Template, pass.Graph)

	ctx, cancel := context.WithTimeout(context.Background(), e.timeout)
	defer cancel()
	rs, err := e.query.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("policy %s (%s): evaluation exceeded its budget of %s", e.rule.Origin, e.rule.ID, e.timeout)
		}
		return fmt.Errorf("policy %s (%s): %w", e.rule.Origin, e.rule.ID, err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil // findings is undefined: nothing to report
	}
	found, err := decodeFindings(rs[0].Expressions[0].Value)
	if err != nil {
		return fmt.Errorf("policy %s (%s): %w", e.rule.Origin, e.rule.ID, err)
	}
	if err := reportAll(pass, found); err != nil {
		return fmt.Errorf("policy %s (%s): %w", e.rule.Origin, e.rule.ID, err)
	}
	return nil
}
