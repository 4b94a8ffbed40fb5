package admin

// Switching off a portal user's second factor: the way back for a user who lost both the
// phone and the recovery codes. The operator confirms on a page of its own that says what
// it does and that the person's identity must have been verified by other means, and gives
// the reason; the store deletes the key and the recovery codes and ends the user's
// sessions in one transaction with the audit entry, and the user is told by e-mail.

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/portal"
)

type twoFactorData struct {
	CustomerID  int64
	Customer    string
	UserID      int64
	Email, Name string
	On          bool   // the second factor is on
	Done        string // "sent", or "unsent" when the notice failed
	Reason      string
	Error       string
}

// customerUser reads the customer and the user of the path; a user not the customer's is
// not found.
func (ad *Admin) customerUser(r *http.Request) (twoFactorData, error) {
	ctx, db := r.Context(), ad.App.DB
	id, err := customerID(r)
	if err != nil {
		return twoFactorData{}, err
	}
	userID, err := strconv.ParseInt(r.PathValue("user"), 10, 64)
	if err != nil || userID <= 0 {
		return twoFactorData{}, billing.NotFound("portal user", r.PathValue("user"))
	}
	c, err := db.Customer(ctx, id)
	if err != nil {
		return twoFactorData{}, err
	}
	u, err := db.CustomerPortalUser(ctx, id, userID)
	if err != nil {
		return twoFactorData{}, err
	}
	return twoFactorData{CustomerID: id, Customer: c.Name, UserID: u.ID, Email: u.Email, Name: u.Name}, nil
}

func (ad *Admin) twoFactorPage(w http.ResponseWriter, r *http.Request, rq *request, status int, d twoFactorData) error {
	on, err := ad.App.DB.CustomerTwoFactorUsers(r.Context(), d.CustomerID)
	if err != nil {
		return err
	}
	d.On = on[d.UserID]
	ad.render(w, r, rq, status, "twofactor.html", "Second factor of "+d.Email, d)
	return nil
}

// twoFactor shows a user's second factor and, when it is on, the form that switches it off.
func (ad *Admin) twoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := ad.customerUser(r)
	if err != nil {
		return err
	}
	if done := r.URL.Query().Get("done"); done == "sent" || done == "unsent" {
		d.Done = done
	}
	return ad.twoFactorPage(w, r, rq, http.StatusOK, d)
}

// disableTwoFactor switches the user's second factor off (see the file's comment) and
// e-mails the user a notice in the user's language; a notice that cannot be sent is logged
// and said on the page, and does not undo the change.
func (ad *Admin) disableTwoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	d, err := ad.customerUser(r)
	if err != nil {
		return err
	}
	d.Reason = r.PostFormValue("reason")
	u, err := ad.App.DB.OperatorDisableTOTP(ctx, d.CustomerID, d.UserID, rq.Operator.Email, d.Reason, ad.Now())
	if billing.ErrorCode(err) == billing.ErrInvalid {
		d.Error = err.Error()
		return ad.twoFactorPage(w, r, rq, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	done := "sent"
	if err := ad.notifyTwoFactorOff(r, u); err != nil {
		done = "unsent"
		ad.Log.ErrorContext(ctx, "second factor switched off, but the notice to the user failed", "user", u.ID, "error", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/customers/%d/users/%d/second-factor?done=%s", d.CustomerID, d.UserID, done), http.StatusSeeOther)
	return nil
}

func (ad *Admin) notifyTwoFactorOff(r *http.Request, u sqldb.PortalUser) error {
	subject, body := portal.SecondFactorOffMail(u.Language, u.Name, ad.App.Config.Mail.BaseURL)
	return ad.App.SendMail(r.Context(), u.Email, subject, body)
}
