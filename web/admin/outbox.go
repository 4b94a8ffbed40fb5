package admin

import (
	"net/http"
	"strconv"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

// outbox lists the built-in outbox, where e-mail goes when no SMTP server is set.
func (ad *Admin) outbox(w http.ResponseWriter, r *http.Request, rq *request) error {
	ms, err := ad.App.Deliveries.Outbox(r.Context(), 200)
	if err != nil {
		return err
	}
	ad.render(w, r, rq, http.StatusOK, "outbox.html", "Outbox", ms)
	return nil
}

type outboxMessageData struct {
	Message   delivery.OutboxMessage
	Text      string
	Truncated bool
}

// maxShown is how much of a stored message the page shows; attachments make the rest.
const maxShown = 64 << 10

func (ad *Admin) outboxMessage(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return billing.NotFound("outbox message", r.PathValue("id"))
	}
	m, err := ad.App.Deliveries.OutboxMessage(r.Context(), id)
	if err != nil {
		return err
	}
	d := outboxMessageData{Message: m, Text: string(m.Raw)}
	if len(d.Text) > maxShown {
		d.Text, d.Truncated = d.Text[:maxShown], true
	}
	ad.render(w, r, rq, http.StatusOK, "outboxmessage.html", "Outbox message", d)
	return nil
}
