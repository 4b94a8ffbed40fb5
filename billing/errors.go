package billing

import (
	"errors"
	"fmt"
)

// Error codes shared by the CLI, the portal and the API; each maps to one exit status and
// one HTTP status in the adapters.
const (
	ErrInvalid      = "invalid"
	ErrNotFound     = "not_found"
	ErrConflict     = "conflict"
	ErrForbidden    = "forbidden"
	ErrNeedsConfirm = "needs_confirmation"
	ErrInternal     = "internal"
)

// Error is a domain error with a stable code, the field at fault and a message a user can act on.
//
// Message is English, for the CLI, the API and the logs. An error that people see in the
// portal also has a Key naming its message and the Args the message is made of (the values
// of Message's verbs, in order), so that the portal says it in the person's language and
// formats numbers and dates the way they read them, without parsing Message.
type Error struct {
	Code    string
	Field   string
	Message string
	Key     string // a Msg… constant; empty for messages without translations
	Args    []any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf builds an Error.
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...), Args: args}
}

// Keyed builds an Error whose message has a key: format is its English text and args its
// values.
func Keyed(key, code, field, format string, args ...any) *Error {
	e := Errorf(code, field, format, args...)
	e.Key = key
	return e
}

// Message keys of the reading rules (Rules.Accept, Advance) and of a reading's register.
// A translation receives the Args listed with each, in this order.
const (
	MsgNegative       = "reading.negative"        // (none)
	MsgDecimals       = "reading.decimals"        // value
	MsgTooManyDigits  = "reading.digits"          // value, digits
	MsgOutsideWindow  = "reading.outside_window"  // date, open day, close day
	MsgAfterSubmitted = "reading.after_submitted" // date, submission date
	MsgLegacyBilled   = "reading.legacy_billed"   // month (YYYY-MM)
	MsgEstimated      = "reading.estimated"       // month, register key
	MsgExists         = "reading.exists"          // register key, value, date, month
	MsgBilled         = "reading.billed"          // month
	MsgRollover       = "reading.rollover"        // value, last actual value, digits
	MsgImplausible    = "reading.implausible"     // consumption kWh, factor, average kWh
	MsgAboveLater     = "reading.above_later"     // value, later value, later date
	MsgNoPoint        = "reading.no_point"        // metering point code
	MsgNoRegister     = "reading.no_register"     // metering point code, register
)

// ErrorCode is the code of the first *Error in err's chain, ErrInternal otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return ErrInternal
}

// NotFound is the error for a missing thing, named by kind and key.
func NotFound(kind, key string) *Error {
	return Errorf(ErrNotFound, "", "%s %q not found", kind, key)
}

// UnknownRegister is the error for a reading of a register that does not exist: of a
// metering point that does not exist (or that the submitter may not see: the two must look
// alike), or that has no such register.
func UnknownRegister(key RegisterKey, pointExists bool) *Error {
	if !pointExists {
		return Keyed(MsgNoPoint, ErrNotFound, "metering_point", "metering point %q not found", key.MeteringPoint)
	}
	return Keyed(MsgNoRegister, ErrNotFound, "register", "metering point %s has no register %q", key.MeteringPoint, key.Register)
}
