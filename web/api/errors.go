package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/erekins/erekins/billing"
)

// Error codes of the API besides billing's (invalid, not_found, conflict, forbidden,
// needs_confirmation, internal). They are part of the contract: clients switch on them.
const (
	codeUnauthorized  = "unauthorized"
	codeMalformed     = "malformed"
	codeMethod        = "method_not_allowed"
	codeTooLarge      = "too_large"
	codeMediaType     = "unsupported_media_type"
	codeRateLimited   = "rate_limited"
	codeKeyReused     = "idempotency_key_reused"
	codeKeyInProgress = "idempotency_key_in_progress"
)

// apiError is an error answered as JSON: the status, a stable code, a message and the field
// at fault; a readings batch adds one entry per refused row.
type apiError struct {
	Status  int
	Code    string
	Message string
	Field   string
	Rows    []rowError
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// rowError is what is wrong with one row of a batch.
type rowError struct {
	Index   int    `json:"index"`
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func newError(status int, code, field, msg string) *apiError {
	return &apiError{Status: status, Code: code, Field: field, Message: msg}
}

func invalid(field, msg string) *apiError {
	return newError(http.StatusUnprocessableEntity, billing.ErrInvalid, field, msg)
}

// statusOf is the HTTP status of a domain error code: the one place they are mapped.
func statusOf(code string) int {
	switch code {
	case billing.ErrInvalid, billing.ErrNeedsConfirm:
		return http.StatusUnprocessableEntity
	case billing.ErrNotFound:
		return http.StatusNotFound
	case billing.ErrConflict:
		return http.StatusConflict
	case billing.ErrForbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// asAPIError turns any error into the answer: API errors as they are, domain errors by
// their code (a foreign id is not found, like a missing one), anything else internal.
func asAPIError(err error) (*apiError, bool) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae, true
	}
	var be *billing.Error
	if errors.As(err, &be) && be.Code != billing.ErrInternal {
		return &apiError{Status: statusOf(be.Code), Code: be.Code, Field: be.Field, Message: be.Message}, true
	}
	return &apiError{Status: http.StatusInternalServerError, Code: billing.ErrInternal, Message: "something went wrong; the request can be retried"}, false
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
	Rows []rowError `json:"rows,omitempty"`
}

func errorJSON(e *apiError) []byte {
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Field, b.Rows = e.Code, e.Message, e.Field, e.Rows
	out, _ := json.Marshal(b)
	return out
}

// fail answers err as JSON; internal errors are logged with their cause and answered
// without it.
func (api *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, known := asAPIError(err)
	if !known {
		api.Log.ErrorContext(r.Context(), "api request failed", "method", r.Method, "route", r.Pattern, "error", err)
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="erekins"`)
	}
	writeJSON(w, e.Status, errorJSON(e))
}

// writeJSON writes a JSON body that is never cached by shared caches.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

// marshal is json.Marshal for the API's own plain response types, which cannot fail.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("api: marshal response: " + err.Error())
	}
	return b
}
