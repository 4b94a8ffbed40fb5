package site

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/erekins/erekins/billing"
)

// NewToken is a secret for a cookie or a link: 32 random bytes, base64url without padding.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what is stored for a token: its SHA-256 in hex, so that the table alone
// opens no session.
func HashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// ErrCSRF refuses a state-changing request without the session's CSRF token.
var ErrCSRF = errors.New("missing or wrong CSRF token")

// CheckCSRF accepts a state-changing request only with the session's token in the form
// field "csrf"; hasSession is false when the request has no session (and so no token).
func CheckCSRF(r *http.Request, token string, hasSession bool) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if !hasSession {
		return ErrCSRF
	}
	got := r.PostFormValue("csrf")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		return ErrCSRF
	}
	return nil
}

// Ended reports whether a session last seen at lastSeen and expiring at expires is over at
// now: past its expiry, or unused for longer than idle.
func Ended(now, lastSeen, expires time.Time, idle time.Duration) bool {
	return now.After(expires) || now.Sub(lastSeen) > idle
}

// Stale reports whether a session's last use is worth writing again: at most once a minute,
// so that a page's every request does not write.
func Stale(now, lastSeen time.Time) bool { return now.Sub(lastSeen) > time.Minute }

// Expiry is when a session started at now ends at the latest: absolute for a signed-in
// one, idle for an anonymous one, which only carries the sign-in form's CSRF token.
func Expiry(now time.Time, signedIn bool, idle, absolute time.Duration) time.Time {
	if !signedIn {
		return now.Add(idle)
	}
	return now.Add(absolute)
}

// Handler serves a request once who asks (R) is known.
type Handler[R any] func(w http.ResponseWriter, r *http.Request, rq *R) error

// Pages is how a site serves its handlers: Load finds who asks, CSRF is the session's token
// (false without a session), Fail answers an error, and Blank is who asks when Load failed.
type Pages[R any] struct {
	Load  func(*http.Request) (*R, error)
	CSRF  func(*R) (string, bool)
	Fail  func(http.ResponseWriter, *http.Request, *R, error)
	Blank func() *R
}

// Serve serves h to everyone; state-changing requests need the session's CSRF token.
func (ps Pages[R]) Serve(h Handler[R]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, err := ps.Load(r)
		if err == nil {
			token, ok := ps.CSRF(rq)
			err = CheckCSRF(r, token, ok)
		}
		if err == nil {
			err = h(w, r, rq)
		}
		if err != nil {
			if rq == nil {
				rq = ps.Blank()
			}
			ps.Fail(w, r, rq, err)
		}
	})
}

// SignInFirst answers a request that needs someone signed in: a GET is sent to signin,
// to come back to next (which the caller has made safe); anything else is refused.
func SignInFirst(w http.ResponseWriter, r *http.Request, signin, next string) error {
	if r.Method != http.MethodGet {
		return billing.Errorf(billing.ErrForbidden, "", "sign in first")
	}
	http.Redirect(w, r, signin+"?next="+url.QueryEscape(next), http.StatusSeeOther)
	return nil
}
