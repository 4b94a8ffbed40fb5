package portal

import (
	"net/http"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
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

// sessionCookie is the session cookie's name; the __Host- prefix binds it to this host and
// path, and requires Secure.
func (p *Portal) sessionCookie() string {
	if p.SecureCookies {
		return "__Host-erekins_session"
	}
	return "erekins_session"
}

const langCookie = "erekins_lang"

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
	s, err := p.db().Session(ctx, site.HashToken(c.Value))
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return rq, nil
	}
	if err != nil {
		return nil, err
	}
	now := p.Now()
	if site.Ended(now, s.LastSeenAt, s.ExpiresAt, p.IdleTimeout) {
		return rq, p.db().DeleteSession(ctx, s.TokenHash)
	}
	if site.Stale(now, s.LastSeenAt) {
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
	token, now := site.NewToken(), p.Now()
	s := sqldb.PortalSession{TokenHash: site.HashToken(token), UserID: userID, CustomerID: customerID, CSRF: site.NewToken(),
		Language: rq.Lang, CreatedAt: now, LastSeenAt: now, ExpiresAt: site.Expiry(now, userID != 0, p.IdleTimeout, p.AbsoluteTimeout)}
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

// csrf is the session's CSRF token; false without a session.
func (rq *request) csrf() (string, bool) {
	if rq.Session == nil {
		return "", false
	}
	return rq.Session.CSRF, true
}

type handler = site.Handler[request]

// page serves a handler open to everyone; state-changing requests need the CSRF token.
func (p *Portal) page(h handler) http.Handler {
	return site.Pages[request]{Load: p.load, CSRF: (*request).csrf, Fail: p.fail,
		Blank: func() *request { return &request{Lang: billing.Latvian} }}.Serve(h)
}

// user serves a handler for signed-in users whose role at the current customer holds perm;
// anyone else is sent to sign in, or told the page is not theirs to see.
func (p *Portal) user(perm string, h handler) http.Handler {
	return p.page(func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if rq.User == nil {
			return site.SignInFirst(w, r, "/signin", safeNext(r.URL.RequestURI()))
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
