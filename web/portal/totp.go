package portal

// The optional second factor: TOTP codes (RFC 6238: 6 digits, 30 seconds, SHA-1, which
// every authenticator app reads from an otpauth:// link) and ten single-use recovery codes
// for a lost phone. This file holds the codes themselves and the sign-in's second step;
// profile.go lets a user switch the factor on and off.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/pdf"
	"github.com/erekins/erekins/store/sqldb"
)

const (
	// PendingSigninTTL is how long after the right password the second factor may follow.
	PendingSigninTTL = 5 * time.Minute
	// RecoveryCodes is how many recovery codes a user gets at a time.
	RecoveryCodes = 10
	totpIssuer    = "erekins"
	totpPeriod    = 30
)

// totpOpts are the parameters every authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// newTOTPSecret returns a fresh 160-bit key in base32, as RFC 4226 recommends.
func newTOTPSecret(account string) (string, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: account, Period: totpPeriod})
	if err != nil {
		return "", fmt.Errorf("generate TOTP key: %w", err)
	}
	return k.Secret(), nil
}

// totpURI is the otpauth:// link of a key, which authenticator apps read from the QR code.
func totpURI(secret, account string) (string, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return "", fmt.Errorf("stored TOTP key: %w", err)
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: account, Period: totpPeriod, Secret: raw})
	if err != nil {
		return "", fmt.Errorf("TOTP link: %w", err)
	}
	return k.URL(), nil
}

// totpStep finds the time step, now's or one either side (clock skew), whose code is code
// and which is later than the last one accepted; a code is thus good once.
func totpStep(secret, code string, now time.Time, last int64) (int64, bool) {
	cur := now.Unix() / totpPeriod
	for _, step := range []int64{cur, cur - 1, cur + 1} {
		if step <= last {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// cleanCode removes the spaces and hyphens people type or copy with a code.
func cleanCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// isTOTPCode reports whether s looks like an authenticator code: six digits.
func isTOTPCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// newRecoveryCodes returns RecoveryCodes codes of 80 random bits each, written as four
// groups of four base32 letters and digits (abcd-efgh-2345-6789 style).
func newRecoveryCodes() []string {
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	out := make([]string, RecoveryCodes)
	for i := range out {
		b := make([]byte, 10)
		rand.Read(b)
		s := strings.ToLower(enc.EncodeToString(b))
		out[i] = s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
	}
	return out
}

// recoveryHash is what is stored of a recovery code: the SHA-256 of the user's id and the
// code as typed, less case and hyphens, and with the digits base32 lacks read as the
// letters they resemble. The codes carry 80 random bits, so a fast hash is enough.
func recoveryHash(userID int64, code string) string {
	code = strings.NewReplacer("0", "o", "1", "l", "8", "b").Replace(strings.ToLower(cleanCode(code)))
	h := sha256.Sum256([]byte(strconv.FormatInt(userID, 10) + ":" + code))
	return hex.EncodeToString(h[:])
}

func recoveryHashes(userID int64, codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = recoveryHash(userID, c)
	}
	return out
}

// secondFactor turns what the user typed into a proof for the store, which spends it: a
// six-digit code must match an unspent time step of the key; anything else is taken for a
// recovery code, which the store finds or not. ok is false for a code that cannot be right.
func secondFactor(key sqldb.TOTP, typed string, now time.Time) (f sqldb.SecondFactor, ok bool) {
	code := cleanCode(typed)
	if isTOTPCode(code) {
		step, ok := totpStep(key.Secret, code, now, key.LastStep)
		return sqldb.SecondFactor{Step: step}, ok
	}
	if len(code) < 8 || len(code) > 64 {
		return f, false
	}
	return sqldb.SecondFactor{RecoveryHash: recoveryHash(key.UserID, code)}, true
}

// useSecondFactor checks and spends what the user typed against the user's enabled key;
// false when it is wrong, spent, or the user has no second factor.
func (p *Portal) useSecondFactor(ctx context.Context, userID int64, typed string, spend func(sqldb.SecondFactor) error) (bool, error) {
	key, err := p.userKey(ctx, userID)
	if billing.ErrorCode(err) == billing.ErrNotFound || (err == nil && !key.Enabled()) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	f, ok := secondFactor(key, typed, p.Now())
	if !ok {
		return false, nil
	}
	err = spend(f)
	if billing.ErrorCode(err) == billing.ErrInvalid {
		return false, nil
	}
	return err == nil, err
}

// hasSecondFactor reports whether the user has switched the second factor on. It does not
// open the key: a key that does not open fails at the code, not here, so it never lets a
// sign-in through.
func (p *Portal) hasSecondFactor(ctx context.Context, userID int64) (bool, error) {
	key, err := p.db().UserTOTP(ctx, userID)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return false, nil
	}
	return err == nil && key.Enabled(), err
}

// SecondFactorOffMail is the notice to a user whose second factor an operator switched off
// (web/admin), in the user's language: its subject and text, with a link to the profile
// under the portal's public URL.
func SecondFactorOffMail(lang, name, baseURL string) (subject, body string) {
	if !validLang(lang) {
		lang = billing.Latvian
	}
	return text(lang, "mail.twofa.off.subject"), mailText(lang, "mail.twofa.off.body", name, strings.TrimRight(baseURL, "/")+"/profile")
}

// qrImage draws text as a QR code in SVG, as a data: URL for an <img> (the CSP allows
// data: images; the page has no script). Each run of dark modules is one rectangle.
func qrImage(text string) (template.URL, error) {
	m, err := pdf.QRModules(text)
	if err != nil {
		return "", fmt.Errorf("QR code: %w", err)
	}
	const quiet = 4
	n := len(m)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n+2*quiet, n+2*quiet)
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y, row := range m {
		for x := 0; x < n; {
			if !row[x] {
				x++
				continue
			}
			e := x
			for e < n && row[e] {
				e++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, e-x, e-x)
			x = e
		}
	}
	b.WriteString(`"/></svg>`)
	return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(b.String()))), nil
}

// groupSecret writes a base32 key in groups of four, for typing it into an app by hand.
func groupSecret(s string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

// secondFactorFirst asks for the second factor when the user, whose password has just been
// checked, has one: the sign-in waits in a fresh anonymous session (a new token, so one
// planted before is worth nothing) for PendingSigninTTL, and the browser goes to the code
// page. It reports whether it asked.
func (p *Portal) secondFactorFirst(w http.ResponseWriter, r *http.Request, rq *request, userID int64, next string) (bool, error) {
	on, err := p.hasSecondFactor(r.Context(), userID)
	if err != nil || !on {
		return false, err
	}
	if err := p.startSession(w, r, rq, 0, 0); err != nil {
		return true, err
	}
	pending := sqldb.PendingSignin{UserID: userID, Until: p.Now().Add(PendingSigninTTL), Next: safeNext(next)}
	if err := p.db().SetPendingSignin(r.Context(), rq.Session.TokenHash, pending); err != nil {
		return true, err
	}
	http.Redirect(w, r, "/signin/code", http.StatusSeeOther)
	return true, nil
}

type signinCodeData struct {
	Error string
}

// pendingSignin is the session's sign-in waiting for a code, if it has one still in time.
func (p *Portal) pendingSignin(ctx context.Context, rq *request) (sqldb.PendingSignin, bool, error) {
	if rq.Session == nil || rq.User != nil {
		return sqldb.PendingSignin{}, false, nil
	}
	ps, err := p.db().PendingSignin(ctx, rq.Session.TokenHash)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return ps, false, nil
	}
	if err != nil {
		return ps, false, err
	}
	return ps, p.Now().Before(ps.Until), nil
}

func (p *Portal) signinCodeForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if _, ok, err := p.pendingSignin(r.Context(), rq); err != nil || !ok {
		if err == nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
		}
		return err
	}
	p.render(w, r, rq, http.StatusOK, "signin_code.html", signinCodeData{})
	return nil
}

// signinCode is the sign-in's second step: a current authenticator code or an unused
// recovery code for the user whose password the session took. Wrong codes count in the
// sign-in rate limit like wrong passwords; a right one starts a fresh session.
func (p *Portal) signinCode(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	ps, ok, err := p.pendingSignin(ctx, rq)
	if err != nil {
		return err
	}
	if !ok {
		if ps.UserID == 0 {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return nil
		}
		// Too late: the password has to be given again.
		if err := p.db().SetPendingSignin(ctx, rq.Session.TokenHash, sqldb.PendingSignin{}); err != nil {
			return err
		}
		p.render(w, r, rq, http.StatusUnauthorized, "signin.html", signinData{Next: ps.Next, Error: "twofa.expired"})
		return nil
	}
	u, err := p.db().PortalUser(ctx, ps.UserID)
	if err != nil {
		return err
	}
	ip, now := clientIP(r), p.Now()
	if limited, err := p.signinLimited(ctx, w, u.Email, ip); err != nil || limited {
		if limited {
			p.render(w, r, rq, http.StatusTooManyRequests, "signin_code.html", signinCodeData{Error: "signin.limited"})
		}
		return err
	}
	good, err := p.useSecondFactor(ctx, u.ID, r.PostFormValue("code"), func(f sqldb.SecondFactor) error {
		return p.db().UseSecondFactor(ctx, u.ID, f, now)
	})
	if err != nil {
		return err
	}
	var ms []sqldb.Membership
	if good && !u.Disabled {
		if ms, err = p.db().Memberships(ctx, u.ID); err != nil {
			return err
		}
	}
	if !good || len(ms) == 0 {
		if err := p.db().SigninAttempt(ctx, u.Email, ip, now, false); err != nil {
			return err
		}
		p.Log.InfoContext(r.Context(), "portal second factor failed", "ip", ip)
		p.render(w, r, rq, http.StatusUnauthorized, "signin_code.html", signinCodeData{Error: "twofa.failed"})
		return nil
	}
	if err := p.db().SigninAttempt(ctx, u.Email, ip, now, true); err != nil {
		return err
	}
	return p.enter(w, r, rq, u.ID, firstCustomer(ms), ps.Next)
}
