package admin

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/portal"
	"github.com/erekins/erekins/web/site"
)

type signinData struct {
	Email, Next, Error string
}

func (ad *Admin) signinForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.Operator != nil {
		http.Redirect(w, r, "/admin", http.StatusSeeOther)
		return nil
	}
	if rq.Session == nil {
		if err := ad.startSession(w, r, rq, 0); err != nil {
			return err
		}
	}
	ad.render(w, r, rq, http.StatusOK, "signin.html", "Sign in", signinData{Next: safeNext(r.URL.Query().Get("next"))})
	return nil
}

// dummyHash is checked when no operator has the address, so that an unknown address takes
// as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := portal.HashPassword("not a password of anyone", portal.DefaultArgon2)
	return h
})

// The rate limit shares the portal's attempts table; the "admin:" prefix on both the address
// and the client address keeps the two counts apart.
const attemptPrefix = "admin:"

// signin checks the address and password: one message for every failure, and a limit on
// failures per address and per client address, as in the portal.
func (ad *Admin) signin(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, db := r.Context(), ad.App.DB
	email := sqldb.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	ip, now := attemptPrefix+clientIP(r), ad.Now()
	data := signinData{Email: email, Next: safeNext(r.PostFormValue("next"))}
	failed := func() error {
		data.Error = "The address or the password is wrong, or the account may not sign in."
		ad.render(w, r, rq, http.StatusUnauthorized, "signin.html", "Sign in", data)
		return nil
	}
	if email == "" || password == "" || len(email) > 254 || len(password) > 1024 {
		return failed()
	}
	byEmail, byIP, err := db.FailedSignins(ctx, attemptPrefix+email, ip, now.Add(-ad.SigninWindow))
	if err != nil {
		return err
	}
	if byEmail >= ad.SigninLimit || byIP >= ad.SigninLimitIP {
		w.Header().Set("Retry-After", strconv.Itoa(int(ad.SigninWindow.Seconds())))
		data.Error = "Too many failed attempts. Try again later."
		ad.render(w, r, rq, http.StatusTooManyRequests, "signin.html", "Sign in", data)
		return nil
	}
	o, err := db.OperatorByEmail(ctx, email)
	found := err == nil
	if err != nil && billing.ErrorCode(err) != billing.ErrNotFound {
		return err
	}
	hash := o.PasswordHash
	if !found {
		hash = dummyHash()
	}
	ok, err := portal.CheckPassword(hash, password)
	if err != nil {
		ad.Log.Error("stored operator password hash unreadable", "operator", o.ID, "error", err)
	}
	success := ok && found && !o.Disabled()
	if err := db.SigninAttempt(ctx, attemptPrefix+email, ip, now, success); err != nil {
		return err
	}
	if !success {
		ad.Log.InfoContext(r.Context(), "back-office sign-in failed", "ip", clientIP(r))
		return failed()
	}
	if err := ad.startSession(w, r, rq, o.ID); err != nil {
		return err
	}
	if err := db.AdminAudit(ctx, sqldb.Audit{At: now, Actor: o.Email, Action: "operator.signin", Entity: "operator", EntityKey: o.Email,
		Details: map[string]any{"ip": clientIP(r)}}); err != nil {
		return err
	}
	if _, err := db.DeleteExpiredOperatorSessions(ctx, now, now.Add(-ad.IdleTimeout)); err != nil {
		ad.Log.Warn("delete expired operator sessions", "error", err)
	}
	if err := db.PruneSigninAttempts(ctx, now.Add(-24*time.Hour)); err != nil {
		ad.Log.Warn("prune sign-in attempts", "error", err)
	}
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
	return nil
}

// clientIP is the client's address: the connection's, or behind a trusted proxy the one
// its X-Forwarded-For names (site.ClientIP, docs/operations.md).
func clientIP(r *http.Request) string { return site.ClientIP(r) }

func (ad *Admin) signout(w http.ResponseWriter, r *http.Request, rq *request) error {
	ad.setCookie(w, "", -1)
	if rq.Session != nil {
		if err := ad.App.DB.DeleteOperatorSession(r.Context(), rq.Session.TokenHash); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/admin/signin", http.StatusSeeOther)
	return nil
}
