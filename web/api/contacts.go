package api

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/web/portal"
)

type contactJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Role  string `json:"role"`
}

type companyJSON struct {
	Name               string           `json:"name"`
	RegistrationNumber string           `json:"registration_number"`
	VATNumber          string           `json:"vat_number"`
	Language           string           `json:"language"`
	Address            billing.Address  `json:"address"`
	PostalAddress      *billing.Address `json:"postal_address"`
}

type contactsJSON struct {
	Customer companyJSON   `json:"customer"`
	Contacts []contactJSON `json:"contacts"`
}

// contacts shows the customer's company details (read only) and contact persons.
func (api *API) contacts(w http.ResponseWriter, r *http.Request, c *caller) error {
	cu, err := api.App.DB.Customer(r.Context(), c.Token.CustomerID)
	if err != nil {
		return err
	}
	out := contactsJSON{Customer: companyJSON{Name: cu.Name, RegistrationNumber: cu.RegistrationNumber, VATNumber: cu.VATNumber,
		Language: cu.Language, Address: cu.Address, PostalAddress: cu.PostalAddress}, Contacts: []contactJSON{}}
	for _, ct := range cu.Contacts {
		out.Contacts = append(out.Contacts, contactJSON(ct))
	}
	writeJSON(w, http.StatusOK, marshal(out))
	return nil
}

// setContacts replaces the contact persons, with the portal's checks (portal.ValidateContact)
// and its store call, which writes the contacts.update audit entry in the same transaction.
func (api *API) setContacts(w http.ResponseWriter, r *http.Request, c *caller) error {
	body, err := readBody(w, r, maxBody)
	if err != nil {
		return err
	}
	var in struct {
		Contacts []json.RawMessage `json:"contacts"`
	}
	if err := decodeStrict(body, &in, ""); err != nil {
		return err
	}
	switch {
	case len(in.Contacts) == 0:
		return invalid("contacts", portal.ContactMessage("contacts.err.none"))
	case len(in.Contacts) > portal.MaxContacts:
		return invalid("contacts", "at most "+strconv.Itoa(portal.MaxContacts)+" contact persons")
	}
	var contacts []billing.Contact
	var errs []rowError
	for i, raw := range in.Contacts {
		prefix := "contacts[" + strconv.Itoa(i) + "]"
		var cj contactJSON
		if string(raw) == "null" {
			errs = append(errs, rowError{Index: i, Code: billing.ErrInvalid, Field: prefix, Message: "must be an object"})
			continue
		}
		if e := decodeStrict(raw, &cj, prefix); e != nil {
			errs = append(errs, rowError{Index: i, Code: billing.ErrInvalid, Field: e.Field, Message: e.Message})
			continue
		}
		ct := billing.Contact{Name: strings.TrimSpace(cj.Name), Email: strings.TrimSpace(cj.Email), Phone: strings.TrimSpace(cj.Phone),
			Role: strings.TrimSpace(cj.Role)}
		found := portal.ValidateContact(ct)
		fields := make([]string, 0, len(found))
		for f := range found {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			errs = append(errs, rowError{Index: i, Code: billing.ErrInvalid, Field: prefix + "." + f, Message: portal.ContactMessage(found[f])})
		}
		contacts = append(contacts, ct)
	}
	if len(errs) > 0 {
		e := rowsError("the contacts are not valid; nothing was changed", errs)
		e.Field = errs[0].Field
		return e
	}
	if err := api.App.DB.SetContacts(r.Context(), c.Token.CustomerID, contacts, c.Actor, api.Now()); err != nil {
		return err
	}
	return api.contacts(w, r, c)
}
