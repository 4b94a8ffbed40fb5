// Package delivery gets issued invoices to their customers: one delivery per invoice and
// e-mail recipient, queued in the transaction that issues the invoice, sent by a worker
// through a Mailer (SMTP, or the built-in outbox), with every attempt recorded and an honest
// status: queued, sending, sent (only once the server accepted the message), retrying,
// failed. Temporary failures (connection errors, SMTP 4xx) are retried with exponential
// back-off within a window (72 hours by default); permanent ones (SMTP 5xx) fail at once.
//
// The package also owns a contract's delivery settings (paper or e-invoice, recipients,
// formats): their validation, and the confirmation e-mail each new recipient receives.
//
// It holds no SQL and no SMTP: storage is the Store interface (store/sqldb implements it),
// and sending is the Mailer interface (delivery/mailer implements it with go-mail).
package delivery
