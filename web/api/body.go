package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
)

// Body size limits: a readings batch may be long, everything else is small.
const (
	maxBody         = 64 << 10
	maxReadingsBody = 1 << 20
)

// readBody reads a JSON request body of at most limit bytes. A body that is not JSON by
// its Content-Type is refused; a missing Content-Type is taken as JSON.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, newError(http.StatusUnsupportedMediaType, codeMediaType, "Content-Type", "send the body as application/json")
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, newError(http.StatusRequestEntityTooLarge, codeTooLarge, "body", fmt.Sprintf("the body is larger than %d bytes", limit))
	}
	if err != nil {
		return nil, newError(http.StatusBadRequest, codeMalformed, "body", "the body could not be read")
	}
	return b, nil
}

// decodeStrict decodes one JSON value into v. Unknown fields, values of the wrong type and
// anything after the value are refused, with the field named under prefix ("readings[3]").
func decodeStrict(data []byte, v any, prefix string) *apiError {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return newError(http.StatusBadRequest, codeMalformed, fieldOr(prefix, "body"), "unexpected data after the JSON value")
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ):
		return invalid(join(prefix, typ.Field), "must be "+kindOf(typ.Type)+", not "+typ.Value)
	case errors.As(err, &syntax):
		return newError(http.StatusBadRequest, codeMalformed, fieldOr(prefix, "body"), fmt.Sprintf("not valid JSON at byte %d: %v", syntax.Offset, err))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return newError(http.StatusBadRequest, codeMalformed, fieldOr(prefix, "body"), "the JSON value is missing or cut short")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalid(join(prefix, name), "unknown field")
	}
	return newError(http.StatusBadRequest, codeMalformed, fieldOr(prefix, "body"), "not valid JSON")
}

func join(prefix, field string) string {
	switch {
	case prefix == "":
		return fieldOr(field, "body")
	case field == "":
		return prefix
	}
	return prefix + "." + field
}

func fieldOr(f, alt string) string {
	if f == "" {
		return alt
	}
	return f
}

// kindOf names a Go type the way a JSON client thinks of it.
func kindOf(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	}
	return "another type"
}
