package portal

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

// profileEvents are the audit entries the profile lists as the account's security history.
var profileEvents = []string{"user.profile", "user.password_change", "user.password_reset", "user.totp_enable", "user.totp_disable",
	"user.totp_recovery", "user.totp_recovery_used"}

type profileData struct {
	Name, Language string // the account form's values
	TwoFactor      bool   // the second factor is on
	CodesLeft      int    // unused recovery codes
	History        []sqldb.Audit
	Errors         map[string]string
	Done           string // the text key of what was just done
}

// profileDone are the confirmations a redirect to the profile may ask for.
var profileDone = map[string]string{"account": "profile.done.account", "password": "profile.done.password", "disabled": "twofa.done.disabled"}

// profile shows the signed-in user's account: name, address, language, the password form
// and the second factor's state with what can be done with it.
func (p *Portal) profile(w http.ResponseWriter, r *http.Request, rq *request) error {
	return p.renderProfile(w, r, rq, http.StatusOK, profileData{Done: profileDone[r.URL.Query().Get("done")]})
}

func (p *Portal) renderProfile(w http.ResponseWriter, r *http.Request, rq *request, status int, d profileData) error {
	ctx := r.Context()
	if d.Name == "" && d.Errors["name"] == "" {
		d.Name, d.Language = rq.User.Name, rq.User.Language
	}
	var err error
	if d.TwoFactor, err = p.hasSecondFactor(ctx, rq.User.ID); err != nil {
		return err
	}
	if d.TwoFactor {
		if d.CodesLeft, err = p.db().RecoveryCodesLeft(ctx, rq.User.ID); err != nil {
			return err
		}
	}
	all, err := p.db().AuditLog(ctx, "portal_user", rq.User.Email)
	if err != nil {
		return err
	}
	for i := len(all) - 1; i >= 0 && len(d.History) < 20; i-- {
		if slices.Contains(profileEvents, all[i].Action) {
			d.History = append(d.History, all[i])
		}
	}
	p.render(w, r, rq, status, "profile.html", d)
	return nil
}

// saveProfile changes the user's own name and the language of the e-mails the portal
// sends them. The address is the account's identity and is not changed here.
func (p *Portal) saveProfile(w http.ResponseWriter, r *http.Request, rq *request) error {
	d := profileData{Name: strings.TrimSpace(r.PostFormValue("name")), Language: r.PostFormValue("language"), Errors: map[string]string{}}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 200 {
		d.Errors["name"] = "profile.err.name"
	}
	if !validLang(d.Language) {
		d.Errors["language"] = "profile.err.language"
	}
	if len(d.Errors) > 0 {
		return p.renderProfile(w, r, rq, http.StatusUnprocessableEntity, d)
	}
	if err := p.db().UpdateProfile(r.Context(), rq.User.ID, d.Name, d.Language, p.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/profile?done=account", http.StatusSeeOther)
	return nil
}

// checkPassword checks the signed-in user's password given on the profile page. Wrong ones
// count in the sign-in rate limit, so a borrowed session cannot be used to guess them; it
// returns the error's text key, or "".
func (p *Portal) checkPassword(ctx context.Context, w http.ResponseWriter, r *http.Request, rq *request, pw string) (string, error) {
	if limited, err := p.signinLimited(ctx, w, rq.User.Email, clientIP(r)); err != nil || limited {
		if limited {
			return "signin.limited", err
		}
		return "", err
	}
	if pw != "" && len(pw) <= 1024 {
		ok, err := CheckPassword(rq.User.PasswordHash, pw)
		if err != nil {
			p.Log.Error("stored password hash unreadable", "user", rq.User.ID, "error", err)
		}
		if ok {
			return "", nil
		}
	}
	return "profile.err.current", p.failedCheck(ctx, r, rq)
}

// failedCheck counts a wrong password or code given on the profile page.
func (p *Portal) failedCheck(ctx context.Context, r *http.Request, rq *request) error {
	p.Log.InfoContext(r.Context(), "portal profile check failed", "ip", clientIP(r))
	return p.db().SigninAttempt(ctx, rq.User.Email, clientIP(r), p.Now(), false)
}

// statusOf is the status of a form answered with an error key.
func statusOf(key string) int {
	if key == "signin.limited" {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

// changePassword sets a new password after checking the current one. Every session of the
// user ends, this one included, and a fresh one starts here: whoever else was signed in
// with the old password is out.
func (p *Portal) changePassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	pw := r.PostFormValue("password")
	errs := map[string]string{}
	if e := passwordError(pw, r.PostFormValue("password2")); e != "" {
		errs["password"] = e
	}
	current := r.PostFormValue("current")
	if current == "" {
		errs["current"] = "profile.err.current"
	}
	if len(errs) == 0 {
		key, err := p.checkPassword(ctx, w, r, rq, current)
		if err != nil {
			return err
		}
		if key != "" {
			errs["current"] = key
		}
	}
	if len(errs) > 0 {
		status := statusOf(errs["current"])
		return p.renderProfile(w, r, rq, status, profileData{Errors: errs})
	}
	hash, err := HashPassword(pw, p.Argon2)
	if err != nil {
		return err
	}
	if err := p.db().ChangePassword(ctx, rq.User.ID, hash, p.Now()); err != nil {
		return err
	}
	if err := p.startSession(w, r, rq, rq.User.ID, rq.Current.CustomerID); err != nil {
		return err
	}
	http.Redirect(w, r, "/profile?done=password", http.StatusSeeOther)
	return nil
}

type setupData struct {
	URI    string
	Secret string       // in groups of four
	QR     template.URL // the QR code as an image
	Error  string
}

// startTwoFactor makes a new key for the user to confirm (replacing one not confirmed) and
// shows it on the set-up page.
func (p *Portal) startTwoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	secret, err := newTOTPSecret(rq.User.Email)
	if err != nil {
		return err
	}
	stored, err := sealSecret(p.App.Config.SecretKey, rq.User.ID, secret)
	if err != nil {
		return err
	}
	if err := p.db().StartTOTP(r.Context(), rq.User.ID, stored, p.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/profile/2fa", http.StatusSeeOther)
	return nil
}

// pendingKey is the user's key waiting for confirmation; ok is false when there is none.
func (p *Portal) pendingKey(ctx context.Context, userID int64) (sqldb.TOTP, bool, error) {
	key, err := p.userKey(ctx, userID)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return key, false, nil
	}
	return key, err == nil && !key.Enabled(), err
}

func (p *Portal) renderSetup(w http.ResponseWriter, r *http.Request, rq *request, status int, key sqldb.TOTP, errKey string) error {
	uri, err := totpURI(key.Secret, rq.User.Email)
	if err != nil {
		return err
	}
	qr, err := qrImage(uri)
	if err != nil {
		return err
	}
	p.render(w, r, rq, status, "totp_setup.html", setupData{URI: uri, Secret: groupSecret(key.Secret), QR: qr, Error: errKey})
	return nil
}

// twoFactorSetup shows the pending key as a QR code, a link and typed groups, with the
// form that confirms it.
func (p *Portal) twoFactorSetup(w http.ResponseWriter, r *http.Request, rq *request) error {
	key, ok, err := p.pendingKey(r.Context(), rq.User.ID)
	if err != nil || !ok {
		if err == nil {
			http.Redirect(w, r, "/profile", http.StatusSeeOther)
		}
		return err
	}
	return p.renderSetup(w, r, rq, http.StatusOK, key, "")
}

type codesData struct {
	Codes []string
	New   bool // the second factor was switched on just now
}

// enableTwoFactor switches the pending key on when the code fits it, and shows the
// recovery codes, once: only their hashes are kept.
func (p *Portal) enableTwoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	key, ok, err := p.pendingKey(ctx, rq.User.ID)
	if err != nil || !ok {
		if err == nil {
			http.Redirect(w, r, "/profile", http.StatusSeeOther)
		}
		return err
	}
	if limited, err := p.signinLimited(ctx, w, rq.User.Email, clientIP(r)); err != nil || limited {
		if limited {
			return p.renderSetup(w, r, rq, http.StatusTooManyRequests, key, "signin.limited")
		}
		return err
	}
	step, good := totpStep(key.Secret, cleanCode(r.PostFormValue("code")), p.Now(), key.LastStep)
	if !good {
		if err := p.failedCheck(ctx, r, rq); err != nil {
			return err
		}
		return p.renderSetup(w, r, rq, http.StatusUnprocessableEntity, key, "twofa.err.code")
	}
	codes := newRecoveryCodes()
	if err := p.db().EnableTOTP(ctx, rq.User.ID, step, recoveryHashes(rq.User.ID, codes), rq.User.Email, p.Now()); err != nil {
		return err
	}
	p.render(w, r, rq, http.StatusOK, "totp_codes.html", codesData{Codes: codes, New: true})
	return nil
}

// regenerateCodes replaces the recovery codes, on a current code (or an unused recovery
// code), and shows the new ones once.
func (p *Portal) regenerateCodes(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	codes := newRecoveryCodes()
	errKey, err := p.checkFactor(ctx, w, r, rq, func(f sqldb.SecondFactor) error {
		return p.db().RegenerateRecoveryCodes(ctx, rq.User.ID, f, recoveryHashes(rq.User.ID, codes), rq.User.Email, p.Now())
	})
	if err != nil {
		return err
	}
	if errKey != "" {
		return p.renderProfile(w, r, rq, statusOf(errKey), profileData{Errors: map[string]string{"regen-code": errKey}})
	}
	p.render(w, r, rq, http.StatusOK, "totp_codes.html", codesData{Codes: codes})
	return nil
}

// disableTwoFactor switches the second factor off, on the password and a current code (or
// a recovery code, for a lost phone). One message for either being wrong.
func (p *Portal) disableTwoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	errKey, err := p.checkPassword(ctx, w, r, rq, r.PostFormValue("password"))
	if err != nil {
		return err
	}
	if errKey == "" {
		errKey, err = p.checkFactor(ctx, w, r, rq, func(f sqldb.SecondFactor) error {
			return p.db().DisableTOTP(ctx, rq.User.ID, f, rq.User.Email, p.Now())
		})
		if err != nil {
			return err
		}
	}
	if errKey != "" {
		if errKey != "signin.limited" {
			errKey = "twofa.err.both"
		}
		return p.renderProfile(w, r, rq, statusOf(errKey), profileData{Errors: map[string]string{"disable": errKey}})
	}
	http.Redirect(w, r, "/profile?done=disabled", http.StatusSeeOther)
	return nil
}

// checkFactor checks the form's code against the user's second factor under the rate limit
// and, when right, spends it with spend; it returns the error's text key, or "".
func (p *Portal) checkFactor(ctx context.Context, w http.ResponseWriter, r *http.Request, rq *request, spend func(sqldb.SecondFactor) error) (string, error) {
	if limited, err := p.signinLimited(ctx, w, rq.User.Email, clientIP(r)); err != nil || limited {
		if limited {
			return "signin.limited", err
		}
		return "", err
	}
	good, err := p.useSecondFactor(ctx, rq.User.ID, r.PostFormValue("code"), spend)
	if err != nil || good {
		return "", err
	}
	return "twofa.err.code", p.failedCheck(ctx, r, rq)
}
