package delivery

import "time"

// OutboxMessage is one message in the built-in outbox, where e-mail goes when no SMTP
// server is configured.
type OutboxMessage struct {
	ID        int64     `json:"id"`
	MessageID string    `json:"message_id"`
	CreatedAt time.Time `json:"created_at"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Raw       []byte    `json:"-"`
	Size      int       `json:"size"`
}
