package portal

// TOTP keys at rest. With a secret key configured (--secret-key, app.Config.SecretKey) a
// user's TOTP key is sealed with AES-256-GCM before it is stored: a random nonce per value,
// and the user's id as associated data, so a sealed value copied to another user's row does
// not open. A sealed value is "v1:" and the base64 of nonce and ciphertext; the version
// leaves room for a key rotation. A value without the prefix is a key stored in clear
// (before the setting existed, or with no key set): it is still read, and sealed in place
// the first time it is read while a key is set. Neither the key nor a TOTP key is logged.

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/erekins/erekins/store/sqldb"
)

// sealV1 marks a TOTP key sealed with AES-256-GCM under the configured secret key.
const sealV1 = "v1:"

// SecretKeySize is the size of the secret key: 32 bytes, for AES-256.
const SecretKeySize = 32

// errNoSecretKey is the error of a sealed TOTP key read while no secret key is set.
var errNoSecretKey = errors.New("the TOTP key is sealed, but no secret key is set (--secret-key, EREKINS_SECRET_KEY)")

func totpAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("the secret key has %d bytes, want %d", len(key), SecretKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return cipher.NewGCM(block)
}

// totpAD is the associated data of a user's sealed TOTP key.
func totpAD(userID int64) []byte { return []byte("portal_totp:" + strconv.FormatInt(userID, 10)) }

// sealSecret seals a user's TOTP key under key; with no key it is stored as it is.
func sealSecret(key []byte, userID int64, secret string) (string, error) {
	if len(key) == 0 {
		return secret, nil
	}
	aead, err := totpAEAD(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("nonce: %w", err)
	}
	return sealV1 + base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(secret), totpAD(userID))), nil
}

// openSecret returns the TOTP key a stored value holds, and whether it was stored in clear.
// A sealed value that does not open under key — the wrong key, or another user's row — is
// an error, never a key.
func openSecret(key []byte, userID int64, stored string) (secret string, clear bool, err error) {
	sealed, ok := strings.CutPrefix(stored, sealV1)
	if !ok {
		return stored, true, nil // base32 has no ':'
	}
	if len(key) == 0 {
		return "", false, fmt.Errorf("user %d: %w", userID, errNoSecretKey)
	}
	aead, err := totpAEAD(key)
	if err != nil {
		return "", false, err
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize() {
		return "", false, fmt.Errorf("the sealed TOTP key of user %d is damaged", userID)
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], totpAD(userID))
	if err != nil {
		return "", false, fmt.Errorf("the TOTP key of user %d does not open: the secret key (--secret-key) is not the one it was sealed with, or the row is not this user's", userID)
	}
	return string(plain), false, nil
}

// userKey is the user's TOTP key, opened; one still stored in clear is sealed now when a
// secret key is set. A user without one is not found.
func (p *Portal) userKey(ctx context.Context, userID int64) (sqldb.TOTP, error) {
	key, err := p.db().UserTOTP(ctx, userID)
	if err != nil {
		return key, err
	}
	stored := key.Secret
	var clear bool
	if key.Secret, clear, err = openSecret(p.App.Config.SecretKey, userID, stored); err != nil {
		return sqldb.TOTP{}, err
	}
	if clear && len(p.App.Config.SecretKey) > 0 {
		sealed, err := sealSecret(p.App.Config.SecretKey, userID, key.Secret)
		if err != nil {
			return sqldb.TOTP{}, err
		}
		if err := p.db().ResealTOTP(ctx, userID, stored, sealed); err != nil {
			return sqldb.TOTP{}, fmt.Errorf("seal the TOTP key of user %d: %w", userID, err)
		}
	}
	return key, nil
}
