package analyzer

// Tool diagnostics: findings the engine itself reports. They are rules so
// that docs, `explain` and SARIF rules[] describe them like any other.
const (
	IDInvalidTemplate      = "AL0001"
	IDUnusedIgnore         = "AL0002"
	IDUnsupportedConstruct = "AL0003"
)

func noCheck(*Pass) error { return nil }

// DiagnosticRules returns the tool diagnostics AL0001–AL0003.
func DiagnosticRules() []*Rule {
	return []*Rule{
		{
			ID: IDInvalidTemplate, Name: "invalid-template", Severity: SeverityError, Origin: "go",
			Title: "File is not a valid deployment template",
			Tags:  []string{"tool"},
			Description: `The file is not valid JSON/JSONC, or its structure is not the deployment template its
` + "`$schema`" + ` claims. Nothing else can be checked in it. The message gives the line and column of the
first error. ARM's extensions to JSON are accepted: ` + "`//` and `/* */`" + ` comments, trailing commas,
raw newlines inside strings, a BOM, UTF-16 with BOM.

This diagnostic cannot be disabled or ignored.

**Fix:** correct the syntax at the reported position.`,
			Check: noCheck,
		},
		{
			ID: IDUnusedIgnore, Name: "unused-ignore", Severity: SeverityWarning, Origin: "go",
			Title: "Ignore directive matches no finding",
			Tags:  []string{"tool"},
			Description: `An ` + "`armlint:ignore`" + ` comment, a ` + "`metadata.armlint.ignore`" + ` entry or a config
suppression matched no finding. Stale ignores hide future problems and mislead readers.

**Fix:** remove the directive, or correct the rule ID or name it names.`,
			Check: noCheck,
		},
		{
			ID: IDUnsupportedConstruct, Name: "unsupported-construct", Severity: SeverityNote, Origin: "go",
			Title: "Construct the analyzer could not follow",
			Tags:  []string{"tool"},
			Description: `Something in the file could not be followed, so rules saw less of it: a
` + "`templateLink`" + ` that cannot be resolved locally, an ignore directive without a reason, a limit
that was reached. The message says what.

**Fix:** nothing is wrong with the template necessarily; resolve what the message names if you want
armlint to check it.`,
			Check: noCheck,
		},
	}
}
