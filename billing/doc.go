// Package billing holds the domain of erekins and every billing rule of the product
// specification: periods and readings windows in Europe/Riga, consumption with roll-over and
// multiplier, plausibility, estimates, prices that change inside a period, EN 16931 rounding,
// payment terms and invoice assembly. It imports no database, HTTP or SMTP code: storage and
// delivery adapt to it, never the other way round.
//
// The rules are pure functions over values, so they are tested with tables and properties;
// the Biller drives them over a Store to issue invoices idempotently.
package billing
