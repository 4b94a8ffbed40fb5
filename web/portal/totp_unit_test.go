package portal

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/erekins/erekins/store/sqldb"
)

// TestTOTPStep checks which codes count: now's, one step either side, and none of a step
// already used or further away.
func TestTOTPStep(t *testing.T) {
	secret, err := newTOTPSecret("anna@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 10, 0, 10, 0, time.UTC)
	cur := now.Unix() / totpPeriod
	for _, tc := range []struct {
		name   string
		offset int64 // steps from now's
		last   int64 // the last step accepted
		ok     bool
	}{
		{"now", 0, 0, true},
		{"a step behind: the phone's clock is slow", -1, 0, true},
		{"a step ahead: the phone's clock is fast", 1, 0, true},
		{"two steps behind", -2, 0, false},
		{"two steps ahead", 2, 0, false},
		{"now's step used already", 0, cur, false},
		{"a later step than the one used", 1, cur, true},
		{"an earlier step than the one used", -1, cur, false},
	} {
		code, err := totp.GenerateCode(secret, now.Add(time.Duration(tc.offset*totpPeriod)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		step, ok := totpStep(secret, code, now, tc.last)
		if ok != tc.ok || (ok && step != cur+tc.offset) {
			t.Errorf("%s: step %d, %v; want %d, %v", tc.name, step, ok, cur+tc.offset, tc.ok)
		}
	}
}

// TestTOTPRecoveryCodes checks the codes' form and that typing them loosely still matches.
func TestTOTPRecoveryCodes(t *testing.T) {
	codes := newRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 || c != strings.ToLower(c) || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
	}
	c := codes[0]
	want := recoveryHash(7, c)
	for _, typed := range []string{strings.ToUpper(c), strings.ReplaceAll(c, "-", ""), " " + strings.ReplaceAll(c, "-", " ") + " ",
		strings.NewReplacer("o", "0", "l", "1", "b", "8").Replace(c)} {
		if got := recoveryHash(7, typed); got != want {
			t.Errorf("%q does not match %q", typed, c)
		}
	}
	if recoveryHash(8, c) == want {
		t.Error("the hash does not depend on the user")
	}
	key := sqldb.TOTP{UserID: 7, Secret: "JBSWY3DPEHPK3PXP"}
	for _, tc := range []struct {
		typed    string
		ok       bool
		recovery string // the hash the store is asked for
	}{
		{"123 456", false, ""}, // six digits are a TOTP code, here not the right one
		{c, true, want},
		{"12345", false, ""},
		{strings.Repeat("a", 65), false, ""},
	} {
		if f, ok := secondFactor(key, tc.typed, time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)); ok != tc.ok || f.RecoveryHash != tc.recovery {
			t.Errorf("%q: %+v, %v; want %v, %q", tc.typed, f, ok, tc.ok, tc.recovery)
		}
	}
	if got := groupSecret("ABCDEFGHIJ"); got != "ABCD EFGH IJ" {
		t.Errorf("groups %q", got)
	}
}

// TestTOTPTexts checks the texts the Go code of the profile and the second factor uses.
func TestTOTPTexts(t *testing.T) {
	keys := []string{"twofa.expired", "twofa.failed", "twofa.err.code", "twofa.err.both", "profile.err.current", "signin.limited"}
	for _, k := range profileDone {
		keys = append(keys, k)
	}
	for _, a := range profileEvents {
		keys = append(keys, "profile.event."+a)
	}
	for _, k := range keys {
		if v, ok := texts[k]; !ok || v[0] == "" || v[1] == "" {
			t.Errorf("text %q is missing", k)
		}
	}
}
