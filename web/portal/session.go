package portal

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

// request is what a handler knows about who asks: the session (nil before one exists),
// the signed-in user with the customers the user belongs to, and the language.
type request struct {
	Session     *sqldb.PortalSession
	User        *sqldb.PortalUser
	Memberships []sqldb.Membership
	Current     sqldb.Membership // the customer acted for, and the role there
	Lang        string
}

var errCSRF = errors.New("missing or wrong CSRF token")

// sessionCookie is the session cookie's name; the __Host- prefix binds it to this host and
// path, and requires Secure.
func (p *Portal) sessionCookie() string {
	if p.SecureCookies {
		return "__Host-erekins_session"
	}
	return "erekins_session"
}

const langCookie = "erekins_lang"

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// load finds the request's session and user; an expired session is deleted.
func (p *Portal) load(r *http.Request) (*request, error) {
	rq := &request{Lang: billing.Latvian}
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		rq.Lang = c.Value
	}
	c, err := r.Cookie(p.sessionCookie())
	if err != nil || c.Value == "" {
		return rq, nil
	}
	ctx := r.Context()
	s, err := p.db().Session(ctx, hashToken(c.Value))
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return rq, nil
	}
	if err != nil {
		return nil, err
	}
	now := p.Now()
	if now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > p.IdleTimeout {
		return rq, p.db().DeleteSession(ctx, s.TokenHash)
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		if err := p.db().TouchSession(ctx, s.TokenHash, now); err != nil {
			return nil, err
		}
	}
	rq.Session, rq.Lang = &s, s.Language
	if s.UserID == 0 {
		return rq, nil
	}
	u, err := p.db().PortalUser(ctx, s.UserID)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return rq, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return rq, nil
	}
	if rq.Memberships, err = p.db().Memberships(ctx, u.ID); err != nil {
		return nil, err
	}
	for _, m := range rq.Memberships {
		if m.CustomerID == s.CustomerID {
			rq.Current = m
		}
	}
	if rq.Current.CustomerID == 0 {
		return rq, nil // no longer a member of the customer: signed out in effect
	}
	rq.User = &u
	return rq, nil
}

// startSession creates a session (replacing the request's), sets its cookie and returns it.
// Signing in always starts a new one, so a token known before sign-in is worth nothing after.
func (p *Portal) startSession(w http.ResponseWriter, r *http.Request, rq *request, userID, customerID int64) error {
	if rq.Session != nil {
		if err := p.db().DeleteSession(r.Context(), rq.Session.TokenHash); err != nil {
			return err
		}
	}
	token, now := newToken(), p.Now()
	s := sqldb.PortalSession{TokenHash: hashToken(token), UserID: userID, CustomerID: customerID, CSRF: newToken(),
		Language: rq.Lang, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(p.AbsoluteTimeout)}
	if userID == 0 {
		s.ExpiresAt = now.Add(p.IdleTimeout)
	}
	if err := p.db().CreateSession(r.Context(), s); err != nil {
		return err
	}
	rq.Session = &s
	http.SetCookie(w, &http.Cookie{Name: p.sessionCookie(), Value: token, Path: "/", HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode})
	return nil
}

func (p *Portal) endSession(w http.ResponseWriter, r *http.Request, rq *request) error {
	http.SetCookie(w, &http.Cookie{Name: p.sessionCookie(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode})
	if rq.Session == nil {
		return nil
	}
	err := p.db().DeleteSession(r.Context(), rq.Session.TokenHash)
	rq.Session, rq.User = nil, nil
	return err
}

// checkCSRF accepts a state-changing request only with the session's token in the form.
func checkCSRF(r *http.Request, rq *request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if rq.Session == nil {
		return errCSRF
	}
	got := r.PostFormValue("csrf")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(rq.Session.CSRF)) != 1 {
		return errCSRF
	}
	return nil
}

type handler func(w http.ResponseWriter, r *http.Request, rq *request) error

// page serves a handler open to everyone; state-changing requests need the CSRF token.
func (p *Portal) page(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, err := p.load(r)
		if err == nil {
			err = checkCSRF(r, rq)
		}
		if err == nil {
			err = h(w, r, rq)
		}
		if err != nil {
			if rq == nil {
				rq = &request{Lang: billing.Latvian}
			}
			p.fail(w, r, rq, err)
		}
	})
}

// user serves a handler for signed-in users whose role at the current customer holds perm;
// anyone else is sent to sign in, or told the page is not theirs to see.
func (p *Portal) user(perm string, h handler) http.Handler {
	return p.page(func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if rq.User == nil {
			if r.Method != http.MethodGet {
				return billing.Errorf(billing.ErrForbidden, "", "sign in first")
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
			return nil
		}
		if !Can(rq.Current.Role, perm) {
			return billing.Errorf(billing.ErrForbidden, "", "role %s lacks %s", rq.Current.Role, perm)
		}
		return h(w, r, rq)
	})
}

// safeNext keeps a redirect target on this site: a path, never another host.
func safeNext(s string) string {
	if len(s) == 0 || s[0] != '/' || (len(s) > 1 && (s[1] == '/' || s[1] == '\\')) {
		return "/"
	}
	return s
}
