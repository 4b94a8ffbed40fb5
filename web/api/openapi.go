package api

import (
	_ "embed"
	"net/http"
	"strconv"
)

// openAPIDoc describes every route of routes(); TestOpenAPI keeps the two equal and checks
// every response of the scenario tests against it.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI is the API's OpenAPI 3.1 document.
func OpenAPI() []byte { return openAPIDoc }

func (api *API) openAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Length", strconv.Itoa(len(openAPIDoc)))
	w.Write(openAPIDoc)
}
