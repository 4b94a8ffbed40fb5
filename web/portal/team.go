package portal

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

type usersData struct {
	Users       []sqldb.CustomerUser
	Pending     []sqldb.Invitation
	History     []sqldb.Audit
	Roles       []string
	Me          int64
	Email, Role string            // the invitation form as entered
	Errors      map[string]string // field → message key
	Done        string            // message key of what was just done
}

func (p *Portal) usersPage(w http.ResponseWriter, r *http.Request, rq *request, status int, d usersData) error {
	ctx := r.Context()
	var err error
	if d.Users, err = p.db().CustomerUsers(ctx, rq.Current.CustomerID); err != nil {
		return err
	}
	if d.Pending, err = p.db().PendingInvitations(ctx, rq.Current.CustomerID, p.Now()); err != nil {
		return err
	}
	if d.History, err = p.db().CustomerUserAudit(ctx, rq.Current.Registration, 20); err != nil {
		return err
	}
	d.Roles, d.Me = sqldb.Roles, rq.User.ID
	if d.Role == "" {
		d.Role = sqldb.RoleViewer
	}
	if d.Errors == nil {
		switch k := r.URL.Query().Get("done"); k {
		case "invited", "role", "removed":
			d.Done = "users.done." + k
		}
	}
	p.render(w, r, rq, status, "users.html", d)
	return nil
}

func (p *Portal) users(w http.ResponseWriter, r *http.Request, rq *request) error {
	return p.usersPage(w, r, rq, http.StatusOK, usersData{})
}

// invite stores an invitation and e-mails its single-use link to the address.
func (p *Portal) invite(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	d := usersData{Email: strings.TrimSpace(r.PostFormValue("email")), Role: r.PostFormValue("role"), Errors: map[string]string{}}
	addr, err := delivery.ParseAddress(d.Email)
	if err != nil {
		d.Errors["email"] = "contacts.err.email"
	}
	if !slices.Contains(sqldb.Roles, d.Role) {
		d.Errors["role"] = "users.err.role"
	}
	if len(d.Errors) == 0 {
		us, err := p.db().CustomerUsers(ctx, rq.Current.CustomerID)
		if err != nil {
			return err
		}
		for _, u := range us {
			if u.Email == addr {
				d.Errors["email"] = "users.err.member"
			}
		}
	}
	if len(d.Errors) > 0 {
		return p.usersPage(w, r, rq, http.StatusUnprocessableEntity, d)
	}
	cust, err := p.db().Customer(ctx, rq.Current.CustomerID)
	if err != nil {
		return err
	}
	token, now := site.NewToken(), p.Now()
	inv := sqldb.Invitation{TokenHash: site.HashToken(token), CustomerID: rq.Current.CustomerID, Email: addr, Role: d.Role,
		InvitedBy: rq.User.Email, CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
	if err := p.db().CreateInvitation(ctx, inv); err != nil {
		return err
	}
	lang := cust.Language
	if !validLang(lang) {
		lang = billing.Latvian
	}
	body := mailText(lang, "mail.invite.body", rq.User.Name, cust.Name, text(lang, "role."+d.Role), p.link("/invitation/"+token),
		formatDate(lang, calendar.DateOf(inv.ExpiresAt)))
	if err := p.App.SendMail(ctx, addr, mailText(lang, "mail.invite.subject", cust.Name), body); err != nil {
		return err
	}
	http.Redirect(w, r, "/users?done=invited", http.StatusSeeOther)
	return nil
}

// memberID is the user id in the path; the store finds it only among the customer's users.
func memberID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, billing.NotFound("user", r.PathValue("id"))
	}
	return id, nil
}

func (p *Portal) setRole(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := memberID(r)
	if err != nil {
		return err
	}
	role := r.PostFormValue("role")
	if !slices.Contains(sqldb.Roles, role) {
		return billing.Errorf(billing.ErrInvalid, "role", "%q is not a role", role)
	}
	return p.changeMember(w, r, rq, id, role, "role")
}

func (p *Portal) removeUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := memberID(r)
	if err != nil {
		return err
	}
	return p.changeMember(w, r, rq, id, "", "removed")
}

func (p *Portal) changeMember(w http.ResponseWriter, r *http.Request, rq *request, id int64, role, done string) error {
	err := p.db().SetMemberRole(r.Context(), rq.Current.CustomerID, id, role, rq.User.Email, p.Now())
	if billing.ErrorCode(err) == billing.ErrConflict {
		return p.usersPage(w, r, rq, http.StatusConflict, usersData{Errors: map[string]string{"users": "users.err.lastadmin"}})
	}
	if err != nil {
		return err
	}
	if id == rq.User.ID && role == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther) // removed oneself from the customer
		return nil
	}
	http.Redirect(w, r, "/users?done="+done, http.StatusSeeOther)
	return nil
}

type invitationData struct {
	Invitation sqldb.Invitation
	Existing   bool // the address is a user already: no name or password asked
	Name       string
	Errors     map[string]string
}

// invitation shows an invitation's acceptance form; a used, expired or unknown link gets
// one and the same answer.
func (p *Portal) invitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := p.openInvitation(w, r, rq)
	if err != nil || d == nil {
		return err
	}
	p.render(w, r, rq, http.StatusOK, "invitation.html", d)
	return nil
}

func (p *Portal) openInvitation(w http.ResponseWriter, r *http.Request, rq *request) (*invitationData, error) {
	inv, err := p.db().InvitationByToken(r.Context(), site.HashToken(r.PathValue("token")))
	if billing.ErrorCode(err) == billing.ErrNotFound || (err == nil && (!inv.AcceptedAt.IsZero() || !p.Now().Before(inv.ExpiresAt))) {
		p.render(w, r, rq, http.StatusNotFound, "linkgone.html", nil)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if rq.Session == nil {
		if err := p.startSession(w, r, rq, 0, 0); err != nil {
			return nil, err
		}
	}
	_, err = p.db().PortalUserByEmail(r.Context(), inv.Email)
	if err != nil && billing.ErrorCode(err) != billing.ErrNotFound {
		return nil, err
	}
	return &invitationData{Invitation: inv, Existing: err == nil}, nil
}

// acceptInvitation makes the invited address a user of the customer and signs it in.
func (p *Portal) acceptInvitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := p.openInvitation(w, r, rq)
	if err != nil || d == nil {
		return err
	}
	d.Name, d.Errors = strings.TrimSpace(r.PostFormValue("name")), map[string]string{}
	hash := ""
	if !d.Existing {
		if d.Name == "" || len(d.Name) > 200 {
			d.Errors["name"] = "contacts.err.name"
		}
		if e := passwordError(r.PostFormValue("password"), r.PostFormValue("password2")); e != "" {
			d.Errors["password"] = e
		}
		if len(d.Errors) > 0 {
			p.render(w, r, rq, http.StatusUnprocessableEntity, "invitation.html", d)
			return nil
		}
		if hash, err = HashPassword(r.PostFormValue("password"), p.Argon2); err != nil {
			return err
		}
	}
	u, err := p.db().AcceptInvitation(r.Context(), site.HashToken(r.PathValue("token")), d.Name, hash, p.Now())
	if billing.ErrorCode(err) == billing.ErrNotFound {
		p.render(w, r, rq, http.StatusNotFound, "linkgone.html", nil)
		return nil
	}
	if err != nil {
		return err
	}
	if d.Existing {
		// An existing user proves who they are by signing in, not by the link alone.
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	if err := p.startSession(w, r, rq, u.ID, d.Invitation.CustomerID); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// passwordError is the message key of what is wrong with a new password, or "".
func passwordError(pw, again string) string {
	switch {
	case len(pw) < MinPasswordLength:
		return "password.err.short"
	case len(pw) > 1024:
		return "password.err.long"
	case pw != again:
		return "password.err.mismatch"
	}
	return ""
}

// link is an absolute link to a portal path under the configured base URL; never the
// request's Host header, which a client chooses.
func (p *Portal) link(path string) string {
	return strings.TrimRight(p.App.Config.Mail.BaseURL, "/") + path
}
