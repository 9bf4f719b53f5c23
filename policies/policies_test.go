package policies_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/armlint/armlint/policies"
)

// TestRego runs every *_test.rego of the embedded policy tree through OPA's
// test runner, so that `go test ./...` covers the Rego tests. Each Rego
// test becomes a subtest; a failing or erroring Rego test fails it.
func TestRego(t *testing.T) {
	modules := parseAll(t, policies.FS)

	ch, err := tester.NewRunner().
		SetModules(modules).
		RaiseBuiltinErrors(true).
		CapturePrintOutput(true).
		RunTests(context.Background(), nil)
	if err != nil {
		t.Fatalf("running Rego tests: %v", err)
	}

	ran := 0
	for r := range ch {
		ran++
		name := strings.TrimPrefix(r.Package, "data.") + "." + r.Name
		t.Run(name, func(t *testing.T) {
			switch {
			case r.Error != nil:
				t.Errorf("%s: error: %v", r.Location, r.Error)
			case r.Fail:
				t.Errorf("%s: failed", r.Location)
			case r.Skip:
				t.Skipf("%s: skipped", r.Location)
			}
			if len(r.Output) > 0 {
				t.Logf("print output:\n%s", r.Output)
			}
		})
	}
	if ran == 0 {
		t.Fatal("no Rego tests ran")
	}
}

// TestLayout checks the file layout convention: every rule has a test
// beside it, and packages follow the directories.
func TestLayout(t *testing.T) {
	modules := parseAll(t, policies.FS)
	for name, m := range modules {
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		base := strings.TrimSuffix(name[strings.LastIndex(name, "/")+1:], ".rego")
		dir := name[:strings.LastIndex(name, "/")]
		var want string
		switch {
		case strings.HasPrefix(name, "lib/armlint/"):
			want = "armlint.lib." + base
		case strings.HasPrefix(name, "rules/"):
			want = "armlint." + strings.ReplaceAll(dir, "/", ".") + "." + base
		default:
			t.Errorf("%s: policy outside lib/armlint and rules/", name)
			continue
		}
		if pkg != want {
			t.Errorf("%s: package %s, want %s", name, pkg, want)
		}
		if strings.HasPrefix(name, "rules/") && !strings.HasSuffix(name, "_test.rego") {
			if _, ok := modules[strings.TrimSuffix(name, ".rego")+"_test.rego"]; !ok {
				t.Errorf("%s: no %s_test.rego beside it", name, base)
			}
		}
	}
}

// TestFormatted checks that every policy is formatted as `opa fmt` would.
func TestFormatted(t *testing.T) {
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, p)
		if err != nil {
			return err
		}
		out, err := format.SourceWithOpts(p, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		if string(out) != string(src) {
			t.Errorf("%s is not formatted: run opa fmt -w policies/", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// parseAll parses every .rego file of fsys, tests included, keyed by path.
func parseAll(t *testing.T, fsys fs.FS) map[string]*ast.Module {
	t.Helper()
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		modules[p] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(modules) == 0 {
		t.Fatal("no policies embedded")
	}
	return modules
}
