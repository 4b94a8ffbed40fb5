package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/web/portal"
)

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "erekins.db")
	file := filepath.Join(dir, "data.json")
	os.WriteFile(file, []byte(cliExample), 0o644)
	call := inProcess(db)
	if _, e, code := call("import", file); code != 0 {
		t.Fatalf("import: %d %s", code, e)
	}
	out, e, code := call("user", "add", "--email", "Anna@Example.lv", "--name", "Anna", "--customer", "40003012345", "--role", "billing")
	if code != 0 || !strings.Contains(out, "anna@example.lv is billing at customer 40003012345") {
		t.Fatalf("user add: %d %q %q", code, out, e)
	}
	pw := printedPassword(t, out)
	if _, _, code := call("user", "add", "--email", "b@example.lv", "--name", "B", "--customer", "40003012345", "--role", "viewer", "--password", "long enough secret"); code != 0 {
		t.Errorf("user add with a password: %d", code)
	}
	checkExits(t, call, []exitCase{
		{[]string{"user", "add", "--email", "c@example.lv", "--name", "C", "--customer", "40003012345", "--role", "owner"}, exitInvalid},
		{[]string{"user", "add", "--email", "c@example.lv", "--name", "C", "--customer", "49999999999", "--role", "viewer"}, exitNotFound},
		{[]string{"user", "add", "--email", "not an address", "--name", "C", "--customer", "40003012345", "--role", "viewer"}, exitInvalid},
		{[]string{"user", "add", "--email", "c@example.lv", "--name", "C", "--customer", "40003012345", "--role", "viewer", "--password", "short"}, exitInvalid},
		{[]string{"user", "add", "--email", "c@example.lv"}, exitUsage},
		{[]string{"user"}, exitUsage},
	})
	// The stored hash checks against the printed password.
	a := openFile(t, db)
	u, err := a.DB.PortalUserByEmail(context.Background(), "anna@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := portal.CheckPassword(u.PasswordHash, pw); !ok || err != nil {
		t.Errorf("printed password does not match the stored hash: %v", err)
	}
}

// inProcess runs the command in this process on the database file db and returns what it
// printed and its exit status.
func inProcess(db string) func(args ...string) (stdout, stderr string, code int) {
	return func(args ...string) (string, string, int) {
		var o, e bytes.Buffer
		code := run(context.Background(), append(args, "--db", db), &o, &e)
		return o.String(), e.String(), code
	}
}

// printedPassword is the 16-character password an add command generated and printed after
// "password: ".
func printedPassword(t *testing.T, out string) string {
	t.Helper()
	_, pw, ok := strings.Cut(out, "password: ")
	pw, _, _ = strings.Cut(pw, " ")
	if !ok || len(pw) != 16 {
		t.Fatalf("generated password not printed: %q", out)
	}
	return pw
}

// exitCase is a command line and the exit status it must end with.
type exitCase struct {
	args []string
	code int
}

// checkExits checks that each command line ends with its exit status.
func checkExits(t *testing.T, call func(...string) (string, string, int), cases []exitCase) {
	t.Helper()
	for _, tc := range cases {
		if _, e, code := call(tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, e)
		}
	}
}

// openFile opens the database file as the commands do; it is closed when the test ends.
func openFile(t *testing.T, db string) *app.App {
	t.Helper()
	var s settings
	if err := newFlags("test", &bytes.Buffer{}, &s).Parse([]string{"--db", db}); err != nil {
		t.Fatal(err)
	}
	a, err := s.open(context.Background(), &env{stderr: &bytes.Buffer{}, log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}
