package portal

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
)

// ResetTTL is how long a password reset link works; ResetLimit is how many links one user
// is sent within ResetWindow, so the form cannot flood a mailbox; ResetLimitIP is how many
// requests one client address may make within the sign-in window, whatever the addresses.
const (
	ResetTTL     = time.Hour
	ResetLimit   = 3
	ResetWindow  = time.Hour
	ResetLimitIP = 10
)

// resetKey prefixes a client address in the sign-in attempts table for reset requests, so
// they are counted apart from sign-ins.
const resetKey = "reset:"

type forgotData struct {
	Email string
	Sent  bool
	Error string
}

func (p *Portal) forgotForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.Session == nil {
		if err := p.startSession(w, r, rq, 0, 0); err != nil {
			return err
		}
	}
	p.render(w, r, rq, http.StatusOK, "forgot.html", forgotData{})
	return nil
}

// forgot answers every address the same, known or not: "if the address has an account, a
// link is on its way". The link is made and sent in the background, so the answer takes as
// long for a known address as for an unknown one.
func (p *Portal) forgot(w http.ResponseWriter, r *http.Request, rq *request) error {
	email := sqldb.NormalizeEmail(r.PostFormValue("email"))
	if email == "" || len(email) > 254 {
		p.render(w, r, rq, http.StatusUnprocessableEntity, "forgot.html", forgotData{Error: "contacts.err.email"})
		return nil
	}
	// Requests per client address, in the sign-in attempts under their own key, so that one
	// client cannot mail links to a long list of addresses (each user's own limit is 3 an
	// hour). The answer says nothing about the address asked for.
	ip := resetKey + clientIP(r)
	_, requests, err := p.db().FailedSignins(r.Context(), "", ip, p.Now().Add(-p.SigninWindow))
	if err != nil {
		return err
	}
	if requests >= ResetLimitIP {
		w.Header().Set("Retry-After", strconv.Itoa(int(p.SigninWindow.Seconds())))
		p.render(w, r, rq, http.StatusTooManyRequests, "forgot.html", forgotData{Email: email, Error: "forgot.limited"})
		return nil
	}
	if err := p.db().SigninAttempt(r.Context(), "", ip, p.Now(), false); err != nil {
		return err
	}
	p.mail.Add(1)
	go func() {
		defer p.mail.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
		defer cancel()
		if err := p.sendReset(ctx, email); err != nil {
			p.Log.Error("password reset e-mail", "error", err)
		}
	}()
	p.render(w, r, rq, http.StatusOK, "forgot.html", forgotData{Email: email, Sent: true})
	return nil
}

func (p *Portal) sendReset(ctx context.Context, email string) error {
	u, err := p.db().PortalUserByEmail(ctx, email)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		p.Log.Info("password reset for an unknown address")
		return nil
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return nil
	}
	now := p.Now()
	token := site.NewToken()
	ok, err := p.db().CreatePasswordReset(ctx, sqldb.PasswordReset{TokenHash: site.HashToken(token), UserID: u.ID, CreatedAt: now,
		ExpiresAt: now.Add(ResetTTL)}, now.Add(-ResetWindow), ResetLimit)
	if err != nil || !ok {
		return err
	}
	lang := u.Language
	if !validLang(lang) {
		lang = billing.Latvian
	}
	exp := now.Add(ResetTTL).In(calendar.Riga)
	body := mailText(lang, "mail.reset.body", u.Name, p.link("/password/reset/"+token),
		formatDate(lang, calendar.DateOf(exp))+" "+exp.Format("15:04"))
	return p.App.SendMail(ctx, u.Email, text(lang, "mail.reset.subject"), body)
}

// WaitMail waits for the e-mails being sent in the background (tests, shutdown).
func (p *Portal) WaitMail() { p.mail.Wait() }

type resetData struct {
	Errors map[string]string
}

func (p *Portal) resetOpen(w http.ResponseWriter, r *http.Request, rq *request) bool {
	pr, err := p.db().PasswordResetByToken(r.Context(), site.HashToken(r.PathValue("token")))
	if err != nil || !pr.UsedAt.IsZero() || !p.Now().Before(pr.ExpiresAt) {
		if err != nil && billing.ErrorCode(err) != billing.ErrNotFound {
			p.Log.Error("password reset lookup", "error", err)
		}
		p.render(w, r, rq, http.StatusNotFound, "linkgone.html", nil)
		return false
	}
	return true
}

func (p *Portal) resetForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !p.resetOpen(w, r, rq) {
		return nil
	}
	if rq.Session == nil {
		if err := p.startSession(w, r, rq, 0, 0); err != nil {
			return err
		}
	}
	p.render(w, r, rq, http.StatusOK, "reset.html", resetData{})
	return nil
}

// reset sets a new password with a reset link, once; every session of the user ends and a
// new one starts here.
func (p *Portal) reset(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !p.resetOpen(w, r, rq) {
		return nil
	}
	pw := r.PostFormValue("password")
	if e := passwordError(pw, r.PostFormValue("password2")); e != "" {
		p.render(w, r, rq, http.StatusUnprocessableEntity, "reset.html", resetData{Errors: map[string]string{"password": e}})
		return nil
	}
	hash, err := HashPassword(pw, p.Argon2)
	if err != nil {
		return err
	}
	u, err := p.db().ResetPassword(r.Context(), site.HashToken(r.PathValue("token")), hash, p.Now())
	if billing.ErrorCode(err) == billing.ErrNotFound {
		p.render(w, r, rq, http.StatusNotFound, "linkgone.html", nil)
		return nil
	}
	if err != nil {
		return err
	}
	ms, err := p.db().Memberships(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if len(ms) == 0 || u.Disabled {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	// A new password is not a second factor: with one on, the code is still asked for.
	if asked, err := p.secondFactorFirst(w, r, rq, u.ID, "/"); asked || err != nil {
		return err
	}
	if err := p.startSession(w, r, rq, u.ID, firstCustomer(ms)); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
