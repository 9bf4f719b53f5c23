package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/armlint/armlint/analyzer/template"
)

// parameterSet is the parameter values supplied for one template, by
// parameter name (case as written in the parameter file).
type parameterSet map[string]*template.Value

// readParameterFile loads one deploymentParameters file. A file already
// read in the run (its bytes, or its tree when no one has dropped it yet)
// comes from opts.sources.
func readParameterFile(path string, opts *Options) (parameterSet, error) {
	shown, exact := opts.displayPathExact(path)
	var data []byte
	var f *template.File
	claimed := false // this call files what it reads in opts.sources
	if exact {
		data, f = opts.sources.get(shown)
		claimed = data == nil
	}
	if data == nil {
		var err error
		data, err = readSource(path, DefaultMaxFileSize)
		if err != nil {
			if claimed {
				opts.sources.put(shown, nil, nil, false)
			}
			return nil, fmt.Errorf("parameter file %s: %w", shown, unwrapPathErr(err))
		}
	} else if int64(len(data)) > DefaultMaxFileSize {
		return nil, fmt.Errorf("parameter file %s: %w", shown, tooLarge(int64(len(data)), DefaultMaxFileSize))
	}
	if f == nil {
		var err error
		if exact {
			f, err = opts.sources.load(shown, data, claimed)
		} else {
			f, err = template.Load(shown, data)
		}
		if err != nil {
			return nil, fmt.Errorf("parameter file %w", err)
		}
	}
	if f.Kind != template.KindParameters {
		return nil, fmt.Errorf("%s: not a deployment parameters file ($schema must be deploymentParameters.json)", f.Path)
	}
	vals, err := template.ParseParameters(f)
	if err != nil {
		return nil, fmt.Errorf("parameter file %w", err)
	}
	return vals, nil
}

// conventionalParameterName returns the name of the parameter file that
// belongs by convention to the template file named name:
// <name>.parameters.json for <name>.json ("" for a name that does not end
// in .json, or that is itself a parameter file's).
func conventionalParameterName(name string) string {
	ext := filepath.Ext(name)
	if !strings.EqualFold(ext, ".json") {
		return ""
	}
	base := name[:len(name)-len(ext)]
	if template.HasSuffixFold(base, ".parameters") {
		return ""
	}
	return base + ".parameters.json"
}

// conventionalParameterFile returns the parameter file that belongs to a
// template by convention, <name>.parameters.json beside <name>.json, when
// it exists and is a regular file. hint is what the walk saw of it in the
// template's directory: only paramsUnknown asks the file system.
func conventionalParameterFile(templatePath string, hint paramsHint) string {
	p := conventionalParameterName(templatePath)
	switch {
	case p == "" || hint == paramsNone:
		return ""
	case hint == paramsRegular:
		return p
	}
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p
	}
	return ""
}

// parametersFor resolves the parameter values of one template: command-line
// files (already loaded), then config, then the convention. Problems with
// a conventional or configured file do not stop the run: they become an
// AL0003 note and the template is analysed with its defaults.
func parametersFor(j job, opts *Options, cli parameterSet) (parameterSet, []Finding) {
	if cli != nil {
		return cli, nil
	}
	var files []string
	if fs, ok := opts.TemplateParameters[j.path]; ok {
		files = fs
	} else if j.diskPath != "" {
		if p := conventionalParameterFile(j.diskPath, j.params); p != "" {
			files = []string{p}
		}
	}
	if len(files) == 0 {
		return nil, nil
	}
	out := parameterSet{}
	var notes []Finding
	for _, p := range files {
		vals, err := readParameterFile(p, opts)
		if err != nil {
			notes = append(notes, Finding{
				RuleID: IDUnsupportedConstruct, Severity: SeverityNote,
				Message:  err.Error() + "; parameter defaults are used instead",
				Location: Location{File: j.path, Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}},
			})
			continue
		}
		for k, v := range vals {
			out[k] = v
		}
	}
	return out, notes
}
