package portal

import (
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

// maxContacts is how many contact persons a customer keeps.
const maxContacts = 5

type contactRow struct {
	billing.Contact
	Errors map[string]string // field → message key
}

type contactsData struct {
	Customer billing.Customer
	Rows     []contactRow
	History  []sqldb.Audit
	Saved    bool
	Invalid  bool
}

func (p *Portal) contactsPage(w http.ResponseWriter, r *http.Request, rq *request, status int, rows []contactRow, invalid bool) error {
	c, err := p.db().Customer(r.Context(), rq.Current.CustomerID)
	if err != nil {
		return err
	}
	d := contactsData{Customer: c, Rows: rows, Invalid: invalid, Saved: r.URL.Query().Get("saved") == "1"}
	if rows == nil {
		for _, ct := range c.Contacts {
			d.Rows = append(d.Rows, contactRow{Contact: ct})
		}
	}
	// One empty row to add a person, as long as there is room.
	if len(d.Rows) < maxContacts && !invalid && Can(rq.Current.Role, permEditContacts) {
		d.Rows = append(d.Rows, contactRow{})
	}
	all, err := p.db().AuditLog(r.Context(), "customer", c.RegistrationNumber)
	if err != nil {
		return err
	}
	for i := len(all) - 1; i >= 0; i-- { // newest first
		if all[i].Action == "contacts.update" {
			d.History = append(d.History, all[i])
		}
	}
	p.render(w, r, rq, status, "contacts.html", d)
	return nil
}

func (p *Portal) contacts(w http.ResponseWriter, r *http.Request, rq *request) error {
	return p.contactsPage(w, r, rq, http.StatusOK, nil, false)
}

var phoneRE = regexp.MustCompile(`^\+?[0-9 ()-]{6,20}$`)

// ValidateContact checks one person and returns field → message key (ContactMessage gives
// the English text); a row left entirely empty is dropped by the caller. The portal's form
// and the REST API share it.
func ValidateContact(c billing.Contact) map[string]string {
	errs := map[string]string{}
	if c.Name == "" {
		errs["name"] = "contacts.err.name"
	} else if len(c.Name) > 200 {
		errs["name"] = "contacts.err.long"
	}
	if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || !strings.Contains(c.Email[strings.LastIndex(c.Email, "@"):], ".") {
		errs["email"] = "contacts.err.email"
	}
	if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		errs["phone"] = "contacts.err.phone"
	}
	if len(c.Role) > 100 {
		errs["role"] = "contacts.err.long"
	}
	return errs
}

// MaxContacts is how many contact persons a customer keeps.
const MaxContacts = maxContacts

// ContactMessage is the English text of a ValidateContact message key, for the REST API.
func ContactMessage(key string) string { return text(billing.English, key) }

func (p *Portal) saveContacts(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return billing.Errorf(billing.ErrInvalid, "", "bad form")
	}
	var rows []contactRow
	var contacts []billing.Contact
	invalid := false
	for i := range maxContacts {
		k := strconv.Itoa(i)
		c := billing.Contact{Name: strings.TrimSpace(r.PostFormValue("name" + k)), Email: strings.TrimSpace(r.PostFormValue("email" + k)),
			Phone: strings.TrimSpace(r.PostFormValue("phone" + k)), Role: strings.TrimSpace(r.PostFormValue("role" + k))}
		if c == (billing.Contact{}) {
			continue
		}
		row := contactRow{Contact: c, Errors: ValidateContact(c)}
		invalid = invalid || len(row.Errors) > 0
		rows = append(rows, row)
		contacts = append(contacts, c)
	}
	if len(contacts) == 0 {
		invalid = true
		rows = []contactRow{{Errors: map[string]string{"name": "contacts.err.none"}}}
	}
	if invalid {
		return p.contactsPage(w, r, rq, http.StatusUnprocessableEntity, rows, true)
	}
	if err := p.db().SetContacts(r.Context(), rq.Current.CustomerID, contacts, rq.User.Email, p.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/contacts?saved=1", http.StatusSeeOther)
	return nil
}
