package admin

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
	"github.com/erekins/erekins/store/sqldb"
)

// Operator sessions follow the portal's decisions (docs/portal.md, "Sessions") in a table of
// their own: the cookie holds 32 random bytes and the table their SHA-256; idle 30 minutes,
// absolute 12 hours; signing in always starts a new session; the CSRF token lives in the
// session. The cookie is scoped to /admin and named apart from the portal's, so a portal
// session never reaches the back office and the reverse.

// request is who asks: the session (nil before one exists) and the signed-in operator.
type request struct {
	Session  *sqldb.OperatorSession
	Operator *sqldb.Operator
}

var errCSRF = errors.New("missing or wrong CSRF token")

func (ad *Admin) cookieName() string {
	if ad.SecureCookies {
		return "__Secure-erekins_admin" // __Host- would need Path=/
	}
	return "erekins_admin"
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// load finds the request's session and operator; an ended session is deleted.
func (ad *Admin) load(r *http.Request) (*request, error) {
	rq := &request{}
	c, err := r.Cookie(ad.cookieName())
	if err != nil || c.Value == "" {
		return rq, nil
	}
	ctx, db := r.Context(), ad.App.DB
	s, err := db.OperatorSession(ctx, hashToken(c.Value))
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return rq, nil
	}
	if err != nil {
		return nil, err
	}
	now := ad.Now()
	if now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > ad.IdleTimeout {
		return rq, db.DeleteOperatorSession(ctx, s.TokenHash)
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		if err := db.TouchOperatorSession(ctx, s.TokenHash, now); err != nil {
			return nil, err
		}
	}
	rq.Session = &s
	if s.OperatorID == 0 {
		return rq, nil
	}
	o, err := db.Operator(ctx, s.OperatorID)
	if billing.ErrorCode(err) == billing.ErrNotFound || (err == nil && o.Disabled()) {
		return rq, nil
	}
	if err != nil {
		return nil, err
	}
	rq.Operator = &o
	return rq, nil
}

// startSession replaces the request's session with a new one for operatorID (0: anonymous,
// for the sign-in form's CSRF token) and sets its cookie.
func (ad *Admin) startSession(w http.ResponseWriter, r *http.Request, rq *request, operatorID int64) error {
	if rq.Session != nil {
		if err := ad.App.DB.DeleteOperatorSession(r.Context(), rq.Session.TokenHash); err != nil {
			return err
		}
	}
	token, now := newToken(), ad.Now()
	s := sqldb.OperatorSession{TokenHash: hashToken(token), OperatorID: operatorID, CSRF: newToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(ad.AbsoluteTimeout)}
	if operatorID == 0 {
		s.ExpiresAt = now.Add(ad.IdleTimeout)
	}
	if err := ad.App.DB.CreateOperatorSession(r.Context(), s); err != nil {
		return err
	}
	rq.Session = &s
	ad.setCookie(w, token, 0)
	return nil
}

func (ad *Admin) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: ad.cookieName(), Value: value, Path: "/admin", MaxAge: maxAge, HttpOnly: true,
		Secure: ad.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// checkCSRF accepts a state-changing request only with the session's token in the form.
func checkCSRF(r *http.Request, rq *request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	got := r.PostFormValue("csrf")
	if rq.Session == nil || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(rq.Session.CSRF)) != 1 {
		return errCSRF
	}
	return nil
}

type handler func(w http.ResponseWriter, r *http.Request, rq *request) error

// page serves a handler open to everyone (the sign-in form); POSTs need the CSRF token.
func (ad *Admin) page(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, err := ad.load(r)
		if err == nil {
			err = checkCSRF(r, rq)
		}
		if err == nil {
			err = h(w, r, rq)
		}
		if err != nil {
			if rq == nil {
				rq = &request{}
			}
			ad.fail(w, r, rq, err)
		}
	})
}

// operator serves a handler for signed-in operators only: anyone else (a portal user
// included, whose cookie means nothing here) is sent to sign in, or refused a POST.
func (ad *Admin) operator(h handler) http.Handler {
	return ad.page(func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if rq.Operator == nil {
			if r.Method != http.MethodGet {
				return billing.Errorf(billing.ErrForbidden, "", "sign in first")
			}
			http.Redirect(w, r, "/admin/signin?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
			return nil
		}
		return h(w, r, rq)
	})
}

// safeNext keeps a redirect target inside the back office.
func safeNext(s string) string {
	if len(s) < 6 || s[:6] != "/admin" || (len(s) > 6 && s[6] != '/' && s[6] != '?') {
		return "/admin"
	}
	return s
}
