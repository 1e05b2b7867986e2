// Command gotemplate-oracle renders the template corpus with Go's text/template and Sprig, and
// writes the outputs the TypeScript engine must reproduce.
//
// Usage (from the repository root; see docs/templates.md):
//
//	cd tools/gotemplate-oracle && GO111MODULE=off GOPATH=/usr/share/gocode go run main.go \
//	    ../../test/templates/corpus.yaml ../../test/templates/expected.json
//
// Each case's data is YAML decoded by gopkg.in/yaml.v3 into interface{}, as Atmos decodes stacks.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type group struct {
	Group      string        `yaml:"group"`
	Data       string        `yaml:"data"`
	Funcs      string        `yaml:"funcs"`
	MissingKey string        `yaml:"missingkey"`
	Cases      []interface{} `yaml:"cases"`
}

type result struct {
	ID       string  `json:"id"`
	Template string  `json:"t"`
	Out      *string `json:"out,omitempty"`
	Err      *string `json:"err,omitempty"`
}

// The environment Sprig's env/expandenv see; the TypeScript test passes the same map.
var oracleEnv = map[string]string{"TPL_ORACLE_NAME": "oracle", "TPL_ORACLE_EMPTY": ""}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run main.go corpus.yaml expected.json")
		os.Exit(2)
	}
	os.Clearenv()
	for k, v := range oracleEnv {
		os.Setenv(k, v)
	}
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	var groups []group
	check(yaml.Unmarshal(raw, &groups))
	var results []result
	for _, g := range groups {
		for i, c := range g.Cases {
			text, data, funcs, missing, delims := g.caseSpec(c)
			r := result{ID: fmt.Sprintf("%s/%d", g.Group, i), Template: text}
			out, err := render(r.ID, text, data, funcs, missing, delims)
			if err != nil {
				msg := err.Error()
				r.Err = &msg
			} else {
				r.Out = &out
			}
			results = append(results, r)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	check(enc.Encode(map[string]interface{}{
		"generator": "tools/gotemplate-oracle",
		"go":        runtime.Version(),
		"sprig":     "3.2.3",
		"cases":     results,
	}))
	check(os.WriteFile(os.Args[2], buf.Bytes(), 0o644))
	fmt.Printf("%d cases\n", len(results))
}

// caseSpec: a case is a template string, or a map {t, data, funcs, missingkey, delims}.
func (g group) caseSpec(c interface{}) (text, data, funcs, missing string, delims []string) {
	data, funcs, missing = g.Data, g.Funcs, g.MissingKey
	switch v := c.(type) {
	case string:
		text = v
	case map[string]interface{}:
		text, _ = v["t"].(string)
		if d, ok := v["data"].(string); ok {
			data = d
		}
		if f, ok := v["funcs"].(string); ok {
			funcs = f
		}
		if m, ok := v["missingkey"].(string); ok {
			missing = m
		}
		if ds, ok := v["delims"].([]interface{}); ok && len(ds) == 2 {
			delims = []string{ds[0].(string), ds[1].(string)}
		}
	default:
		panic(fmt.Sprintf("bad case in group %s: %v", g.Group, c))
	}
	return
}

func render(name, text, data, funcs, missing string, delims []string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	var d interface{}
	if data != "" {
		if err := yaml.Unmarshal([]byte(data), &d); err != nil {
			panic(fmt.Sprintf("bad data for %s: %v", name, err))
		}
	}
	t := template.New("t")
	if funcs != "go" {
		t = t.Funcs(sprig.TxtFuncMap())
	}
	if missing != "" {
		t = t.Option("missingkey=" + missing)
	}
	if delims != nil {
		t = t.Delims(delims[0], delims[1])
	}
	t, err = t.Parse(text)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	err = t.Execute(&buf, d)
	if err != nil {
		return "", err
	}
	return buf.String(), nil
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
