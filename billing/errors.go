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
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf builds an Error.
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

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
