package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erekins/erekins/billing"
)

// TestSecretKeySetting: --secret-key takes 32 bytes in base64 into the App's configuration;
// anything else is an error naming the setting without repeating the value; -h does not
// print a key taken from the environment; serve without a key warns once at start.
func TestSecretKeySetting(t *testing.T) {
	good := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	for _, tc := range []struct {
		name, value string
		size        int
		ok          bool
	}{
		{"none", "", 0, true},
		{"32 bytes", good, 32, true},
		{"32 bytes with a newline", good + "\n", 32, true},
		{"16 bytes", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 16)), 0, false},
		{"not base64", "not-a-key-at-all!", 0, false},
	} {
		var s settings
		if err := parse(newFlags("serve", &bytes.Buffer{}, &s), []string{"--secret-key", tc.value}); err != nil {
			t.Fatal(err)
		}
		cfg, err := s.config()
		if tc.ok != (err == nil) || len(cfg.SecretKey) != tc.size {
			t.Errorf("%s: %d-byte key, %v", tc.name, len(cfg.SecretKey), err)
		}
		if !tc.ok && (billing.ErrorCode(err) != billing.ErrInvalid || !strings.Contains(err.Error(), "secret-key") || strings.Contains(err.Error(), tc.value)) {
			t.Errorf("%s: error %q, want one naming secret-key without the value", tc.name, err)
		}
	}

	t.Setenv("EREKINS_SECRET_KEY", good)
	var help bytes.Buffer
	var s settings
	parse(newFlags("serve", &help, &s), []string{"-h"})
	if !strings.Contains(help.String(), "-secret-key") || strings.Contains(help.String(), good) {
		t.Errorf("-h: key listed %v, key printed %v", strings.Contains(help.String(), "-secret-key"), strings.Contains(help.String(), good))
	}

	for _, key := range []string{"", good} {
		var s settings
		if err := parse(newFlags("serve", &bytes.Buffer{}, &s), []string{"--db", filepath.Join(t.TempDir(), "e.db"), "--secret-key", key}); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		a, err := s.open(context.Background(), &env{stdout: &bytes.Buffer{}, stderr: &stderr})
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
		if warned := strings.Count(stderr.String(), "no --secret-key"); warned != map[string]int{"": 1, good: 0}[key] || strings.Contains(stderr.String(), good) {
			t.Errorf("serve with key %q: log %q", key, stderr.String())
		}
	}
}
