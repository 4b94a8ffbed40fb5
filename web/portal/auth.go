package portal

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
)

type signinData struct {
	Email, Next, Error string
}

func (p *Portal) signinForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.User != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	if rq.Session == nil {
		if err := p.startSession(w, r, rq, 0, 0); err != nil {
			return err
		}
	}
	p.render(w, r, rq, http.StatusOK, "signin.html", signinData{Next: safeNext(r.URL.Query().Get("next"))})
	return nil
}

// dummyHash is checked when no user has the address, so that an unknown address takes as
// long as a wrong password and the answer reveals nothing.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a password of anyone", DefaultArgon2)
	return h
})

// signin checks the address and password. Every failure, unknown address included, gets
// the same message; too many failures for the address or the client address within the
// window block further attempts, counted in the database so every instance agrees.
func (p *Portal) signin(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	email := sqldb.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	ip := clientIP(r)
	now := p.Now()
	data := signinData{Email: email, Next: safeNext(r.PostFormValue("next"))}
	again := func(key string) error {
		data.Error = key
		p.render(w, r, rq, http.StatusUnauthorized, "signin.html", data)
		return nil
	}
	if email == "" || password == "" || len(email) > 254 || len(password) > 1024 {
		return again("signin.failed")
	}
	if limited, err := p.signinLimited(ctx, w, email, ip); err != nil || limited {
		if limited {
			data.Error = "signin.limited"
			p.render(w, r, rq, http.StatusTooManyRequests, "signin.html", data)
		}
		return err
	}
	u, err := p.db().PortalUserByEmail(ctx, email)
	found := err == nil
	if err != nil && billing.ErrorCode(err) != billing.ErrNotFound {
		return err
	}
	hash := u.PasswordHash
	if !found {
		hash = dummyHash()
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		p.Log.Error("stored password hash unreadable", "user", u.ID, "error", err)
	}
	var ms []sqldb.Membership
	if ok && found && !u.Disabled {
		if ms, err = p.db().Memberships(ctx, u.ID); err != nil {
			return err
		}
	}
	success := ok && found && !u.Disabled && len(ms) > 0
	if !success {
		if err := p.db().SigninAttempt(ctx, email, ip, now, false); err != nil {
			return err
		}
		p.Log.InfoContext(r.Context(), "portal sign-in failed", "ip", ip)
		return again("signin.failed")
	}
	// With a second factor on, the right password alone is not yet a success: nothing is
	// recorded, so it cannot clear the count of wrong codes before it.
	if asked, err := p.secondFactorFirst(w, r, rq, u.ID, data.Next); asked || err != nil {
		return err
	}
	if err := p.db().SigninAttempt(ctx, email, ip, now, true); err != nil {
		return err
	}
	return p.enter(w, r, rq, u.ID, firstCustomer(ms), data.Next)
}

// enter starts the signed-in session of a user who has proved who they are, and goes on to
// next. Sign-ins are rare enough to sweep up after: ended sessions and old attempts go.
func (p *Portal) enter(w http.ResponseWriter, r *http.Request, rq *request, userID, customerID int64, next string) error {
	ctx, now := r.Context(), p.Now()
	if err := p.startSession(w, r, rq, userID, customerID); err != nil {
		return err
	}
	if _, err := p.db().DeleteExpiredSessions(ctx, now, now.Add(-p.IdleTimeout)); err != nil {
		p.Log.Warn("delete expired portal sessions", "error", err)
	}
	if err := p.db().PruneSigninAttempts(ctx, now.Add(-24*time.Hour)); err != nil {
		p.Log.Warn("prune sign-in attempts", "error", err)
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

// signinLimited reports whether the address or the client address has failed too often
// within the window (sign-ins, second-factor codes and password checks on the profile page
// all count); when so, it sets Retry-After.
func (p *Portal) signinLimited(ctx context.Context, w http.ResponseWriter, email, ip string) (bool, error) {
	byEmail, byIP, err := p.db().FailedSignins(ctx, email, ip, p.Now().Add(-p.SigninWindow))
	if err != nil {
		return false, err
	}
	if byEmail >= p.SigninLimit || byIP >= p.SigninLimitIP {
		w.Header().Set("Retry-After", strconv.Itoa(int(p.SigninWindow.Seconds())))
		return true, nil
	}
	return false, nil
}

// clientIP is the client's address: the connection's, or behind a trusted proxy the one
// its X-Forwarded-For names (site.ClientIP, docs/operations.md).
func clientIP(r *http.Request) string { return site.ClientIP(r) }

func (p *Portal) signout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := p.endSession(w, r, rq); err != nil {
		return err
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

func validLang(l string) bool { return l == billing.Latvian || l == billing.English }

// language switches the language of the session and remembers it in a cookie for the next.
func (p *Portal) language(w http.ResponseWriter, r *http.Request, rq *request) error {
	lang := r.PostFormValue("lang")
	if !validLang(lang) {
		return billing.Errorf(billing.ErrInvalid, "lang", "unknown language")
	}
	if err := p.db().SetSessionLanguage(r.Context(), rq.Session.TokenHash, lang); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// switchCustomer makes another of the user's customers the current one.
func (p *Portal) switchCustomer(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("customer")), 10, 64)
	for _, m := range rq.Memberships {
		if m.CustomerID == id {
			if err := p.db().SetSessionCustomer(r.Context(), rq.Session.TokenHash, id); err != nil {
				return err
			}
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return nil
		}
	}
	return billing.NotFound("customer", "")
}

// firstCustomer is the customer a person acts for after signing in: the one where the role
// allows the most (sqldb.Roles is ordered so), then the first by name. Someone who is an
// admin at one company and a viewer at another starts where they can act.
func firstCustomer(ms []sqldb.Membership) int64 {
	best := ms[0]
	for _, m := range ms[1:] {
		if slices.Index(sqldb.Roles, m.Role) < slices.Index(sqldb.Roles, best.Role) {
			best = m
		}
	}
	return best.CustomerID
}
