package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erekins/erekins/web/portal"
)

func TestOperatorAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "erekins.db")
	call := inProcess(db)
	out, e, code := call("operator", "add", "Ops@Example.lv", "--name", "Olga")
	if code != 0 || !strings.Contains(out, "operator ops@example.lv (Olga)") {
		t.Fatalf("operator add: %d %q %q", code, out, e)
	}
	pw := printedPassword(t, out)
	if out, _, code := call("operator", "add", "second@example.lv", "--password", "long enough secret"); code != 0 || strings.Contains(out, "password:") {
		t.Errorf("operator add with a password: %d %q", code, out)
	}
	checkExits(t, call, []exitCase{
		{[]string{"operator", "add", "not an address"}, exitInvalid},
		{[]string{"operator", "add", "c@example.lv", "--password", "short"}, exitInvalid},
		{[]string{"operator", "add"}, exitUsage},
		{[]string{"operator", "remove", "c@example.lv"}, exitUsage},
		{[]string{"operator"}, exitUsage},
	})
	a := openFile(t, db)
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
