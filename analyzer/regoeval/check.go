package regoeval

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"

	"github.com/armlint/armlint/analyzer"
)

// evaluator runs one rule package's prepared query.
type evaluator struct {
	rule *analyzer.Rule
	ref  ast.Ref // data.<package>.findings
	// prepared prepares the query once.
	prepared func() (rego.PreparedEvalQuery, error)
	timeout  time.Duration
	inputs   *inputCache
	store    storage.Store  // holds data.armlint.config
	config   map[string]any // this rule's options in the store
}

// check is the rule's Check: it evaluates the query with the file's input
// under the evaluation budget and reports the findings it returns.
func (e *evaluator) check(pass *analyzer.Pass) error {
	query, err := e.prepared()
	if err != nil {
		return err
	}
	input := e.inputs.get(pass.Template, pass.Graph)

	ctx, cancel := context.WithTimeout(context.Background(), e.timeout)
	defer cancel()
	evalOpts := evalOptions(input)
	if e.otherOptions(pass) {
		// The pass carries other options than the store (the fixture
		// harness sets them per directory): evaluate in a transaction
		// that holds them, discarded afterwards.
		txn, err := e.withOptions(ctx, pass.Options)
		if err != nil {
			return fmt.Errorf("policy %s (%s): rule options: %w", e.rule.Origin, e.rule.ID, err)
		}
		defer e.store.Abort(ctx, txn)
		evalOpts = append(evalOpts, rego.EvalTransaction(txn))
	}
	rs, err := query.Eval(ctx, evalOpts...)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("policy %s (%s): evaluation exceeded its budget of %s", e.rule.Origin, e.rule.ID, e.timeout)
		}
		return fmt.Errorf("policy %s (%s): %w", e.rule.Origin, e.rule.ID, err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil // findings is undefined: nothing to report
	}
	return e.report(pass, rs[0].Expressions[0].Value.(*ast.Term))
}

// report decodes the value of findings, if defined (nil when undefined),
// and reports them.
func (e *evaluator) report(pass *analyzer.Pass, v *ast.Term) error {
	if v == nil {
		return nil
	}
	found, err := decodeFindingsTerm(v.Value)
	if err != nil {
		return fmt.Errorf("policy %s (%s): %w", e.rule.Origin, e.rule.ID, err)
	}
	if err := reportAll(pass, found); err != nil {
		return fmt.Errorf("policy %s (%s): %w", e.rule.Origin, e.rule.ID, err)
	}
	return nil
}

// evalOptions are the options of every evaluation: the input, a cache of
// our own (see virtualCache), no metrics, and the results as terms (see
// decodeFindingsTerm), not converted to Go values.
func evalOptions(input ast.Value) []rego.EvalOption {
	return []rego.EvalOption{rego.EvalParsedInput(input), rego.EvalVirtualCache(newVirtualCache()), noMetrics, termResults}
}

var (
	noMetrics   = rego.EvalMetrics(metrics.NoOp())
	termResults = rego.EvalGenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil })
)

// withOptions opens a write transaction in which data.armlint.config
// holds opts for this rule. The caller aborts it.
func (e *evaluator) withOptions(ctx context.Context, opts map[string]any) (storage.Transaction, error) {
	v, err := ast.InterfaceToValue(opts)
	if err != nil {
		return nil, err
	}
	txn, err := e.store.NewTransaction(ctx, storage.WriteParams)
	if err != nil {
		return nil, err
	}
	if err := e.store.Write(ctx, txn, storage.AddOp, storage.Path{"armlint", "config", e.rule.ID}, v); err != nil {
		e.store.Abort(ctx, txn)
		return nil, err
	}
	return txn, nil
}

// otherOptions reports whether pass carries other options for the rule
// than the store holds (the fixture harness sets them per directory).
func (e *evaluator) otherOptions(pass *analyzer.Pass) bool {
	return len(pass.Options) > 0 && !reflect.DeepEqual(pass.Options, e.config)
}
