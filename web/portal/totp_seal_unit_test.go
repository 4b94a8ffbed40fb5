package portal

import (
	"bytes"
	"strings"
	"testing"
)

// TestTOTPSeal: a sealed key is not the key, differs each time (a fresh nonce), and opens
// only with the same secret key for the same user; clear values read as they are; every
// other case is an error, never a key.
func TestTOTPSeal(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	key, other := bytes.Repeat([]byte{7}, SecretKeySize), bytes.Repeat([]byte{8}, SecretKeySize)
	sealed, err := sealSecret(key, 7, secret)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := sealSecret(key, 7, secret)
	flip := "A"
	if strings.HasSuffix(sealed, flip) {
		flip = "B"
	}
	if !strings.HasPrefix(sealed, sealV1) || strings.Contains(sealed, secret) || sealed == again {
		t.Errorf("sealed %q, again %q", sealed, again)
	}
	if clear, err := sealSecret(nil, 7, secret); err != nil || clear != secret {
		t.Errorf("no key: %q %v, want the key in clear", clear, err)
	}
	if _, err := sealSecret(key[:16], 7, secret); err == nil {
		t.Error("a 16-byte key seals")
	}
	for _, tc := range []struct {
		name      string
		key       []byte
		user      int64
		stored    string
		clear, ok bool
		errHas    string
	}{
		{"sealed, right key and user", key, 7, sealed, false, true, ""},
		{"in clear, with a key", key, 7, secret, true, true, ""},
		{"in clear, without a key", nil, 7, secret, true, true, ""},
		{"another key", other, 7, sealed, false, false, "secret-key"},
		{"another user's row", key, 8, sealed, false, false, "not this user's"},
		{"no key set", nil, 7, sealed, false, false, "no secret key is set"},
		{"damaged", key, 7, sealV1 + "!!", false, false, "damaged"},
		{"cut short", key, 7, sealed[:10], false, false, "damaged"},
		{"tampered", key, 7, sealed[:len(sealed)-1] + flip, false, false, "does not open"},
	} {
		got, clear, err := openSecret(tc.key, tc.user, tc.stored)
		if tc.ok != (err == nil) || (tc.ok && (got != secret || clear != tc.clear)) {
			t.Errorf("%s: %q clear=%v err=%v", tc.name, got, clear, err)
		}
		if !tc.ok && (got != "" || !strings.Contains(err.Error(), tc.errHas) || strings.Contains(err.Error(), sealed)) {
			t.Errorf("%s: error %q, want one saying %q", tc.name, err, tc.errHas)
		}
	}
}
