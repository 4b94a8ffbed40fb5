package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erekins/erekins/web/portal"
)

func TestOperatorAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "erekins.db")
	call := func(args ...string) (string, string, int) {
		var o, e bytes.Buffer
		code := run(context.Background(), append(args, "--db", db), &o, &e)
		return o.String(), e.String(), code
	}
	out, e, code := call("operator", "add", "Ops@Example.lv", "--name", "Olga")
	if code != 0 || !strings.Contains(out, "operator ops@example.lv (Olga)") {
		t.Fatalf("operator add: %d %q %q", code, out, e)
	}
	_, pw, ok := strings.Cut(out, "password: ")
	pw, _, _ = strings.Cut(pw, " ")
	if !ok || len(pw) != 16 {
		t.Fatalf("generated password not printed: %q", out)
	}
	if out, _, code := call("operator", "add", "second@example.lv", "--password", "long enough secret"); code != 0 || strings.Contains(out, "password:") {
		t.Errorf("operator add with a password: %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"operator", "add", "not an address"}, exitInvalid},
		{[]string{"operator", "add", "c@example.lv", "--password", "short"}, exitInvalid},
		{[]string{"operator", "add"}, exitUsage},
		{[]string{"operator", "remove", "c@example.lv"}, exitUsage},
		{[]string{"operator"}, exitUsage},
	} {
		if _, e, code := call(tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, e)
		}
	}
	var s settings
	if err := newFlags("test", &bytes.Buffer{}, &s).Parse([]string{"--db", db}); err != nil {
		t.Fatal(err)
	}
	a, err := s.open(context.Background(), &env{stderr: &bytes.Buffer{}, log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	o, err := a.DB.OperatorByEmail(context.Background(), "ops@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := portal.CheckPassword(o.PasswordHash, pw); !ok || err != nil {
		t.Errorf("printed password does not match the stored hash: %v", err)
	}
	if strings.Contains(o.PasswordHash, pw) {
		t.Error("the password is stored in clear")
	}
	if _, err := a.DB.OperatorByEmail(context.Background(), "not an address"); err == nil {
		t.Error("an invalid operator was stored")
	}
}
