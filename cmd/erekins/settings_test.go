package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"testing"
)

// TestSettings: every setting of every command is a flag and an environment variable
// (named in its help, and honoured), and has a row in the README's configuration table.
// --json is not a setting but the form of one command's output, so it has no variable.
func TestSettings(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	envRE := regexp.MustCompile(`\bEREKINS_[A-Z_]+\b`)
	seen := map[string]bool{}
	for _, c := range commands() {
		var s settings
		newFlags(c.name, &bytes.Buffer{}, &s).VisitAll(func(f *flag.Flag) {
			if f.Name == "json" || seen[f.Name] {
				return
			}
			seen[f.Name] = true
			env := envRE.FindString(f.Usage)
			if env == "" {
				t.Errorf("--%s (%s): no environment variable in its help %q", f.Name, c.name, f.Usage)
				return
			}
			if row := "| `--" + f.Name + "` | `" + env + "` |"; !bytes.Contains(readme, []byte(row)) {
				t.Errorf("README: no configuration row %q", row)
			}
			sample := map[string]string{"*flag.durationValue": "17s", "*flag.intValue": "17"}[fmt.Sprintf("%T", f.Value)]
			if sample == "" {
				sample = "sample-" + f.Name
			}
			t.Setenv(env, sample)
			var s2 settings
			if got := newFlags(c.name, &bytes.Buffer{}, &s2).Lookup(f.Name).Value.String(); got != sample {
				t.Errorf("--%s: %s=%s gives %q", f.Name, env, sample, got)
			}
		})
	}
	for _, name := range []string{"log-format", "log-level", "metrics-addr", "shutdown-timeout", "db", "addr", "smtp"} {
		if !seen[name] {
			t.Errorf("no command has --%s", name)
		}
	}
}
