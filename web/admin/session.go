package admin

import (
	"net/http"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
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

func (ad *Admin) cookieName() string {
	if ad.SecureCookies {
		return "__Secure-erekins_admin" // __Host- would need Path=/
	}
	return "erekins_admin"
}

// load finds the request's session and operator; an ended session is deleted.
func (ad *Admin) load(r *http.Request) (*request, error) {
	rq := &request{}
	c, err := r.Cookie(ad.cookieName())
	if err != nil || c.Value == "" {
		return rq, nil
	}
	ctx, db := r.Context(), ad.App.DB
	s, err := db.OperatorSession(ctx, site.HashToken(c.Value))
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return rq, nil
	}
	if err != nil {
		return nil, err
	}
	now := ad.Now()
	if site.Ended(now, s.LastSeenAt, s.ExpiresAt, ad.IdleTimeout) {
		return rq, db.DeleteOperatorSession(ctx, s.TokenHash)
	}
	if site.Stale(now, s.LastSeenAt) {
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
	token, now := site.NewToken(), ad.Now()
	s := sqldb.OperatorSession{TokenHash: site.HashToken(token), OperatorID: operatorID, CSRF: site.NewToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: site.Expiry(now, operatorID != 0, ad.IdleTimeout, ad.AbsoluteTimeout)}
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

// csrf is the session's CSRF token; false without a session.
func (rq *request) csrf() (string, bool) {
	if rq.Session == nil {
		return "", false
	}
	return rq.Session.CSRF, true
}

type handler = site.Handler[request]

// page serves a handler open to everyone (the sign-in form); POSTs need the CSRF token.
func (ad *Admin) page(h handler) http.Handler {
	return site.Pages[request]{Load: ad.load, CSRF: (*request).csrf, Fail: ad.fail,
		Blank: func() *request { return &request{} }}.Serve(h)
}

// operator serves a handler for signed-in operators only: anyone else (a portal user
// included, whose cookie means nothing here) is sent to sign in, or refused a POST.
func (ad *Admin) operator(h handler) http.Handler {
	return ad.page(func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if rq.Operator == nil {
			return site.SignInFirst(w, r, "/admin/signin", safeNext(r.URL.RequestURI()))
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
