package api_test

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/erekins/erekins/web/api"
)

// spec is the OpenAPI document with a router over it, to check requests and responses.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

var registerDecoders sync.Once

// loadSpec loads the embedded document as an OpenAPI 3.1 document and validates it.
func loadSpec(t *testing.T) *spec {
	t.Helper()
	registerDecoders.Do(func() {
		// The documents are bytes to compare, not values to decode.
		for _, ct := range []string{"application/pdf", "application/xml", "text/csv"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
	})
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.json is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid: %v", err)
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &spec{doc: doc, router: r}
}

var checkOptions = &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}

// check validates a response against the document, and the request too when it was
// answered as a valid one (a scenario's invalid requests are meant to break the document's
// rules). A path the document does not have must have been answered 404.
func (s *spec) check(t *testing.T, sent *http.Request, body string, res response) {
	t.Helper()
	req, _ := http.NewRequest(sent.Method, sent.URL.String(), strings.NewReader(body))
	req.Header = sent.Header.Clone()
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		if res.Status != http.StatusNotFound && res.Status != http.StatusMethodNotAllowed {
			t.Errorf("%s %s is not in openapi.json but answered %d", sent.Method, sent.URL.Path, res.Status)
		}
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: checkOptions}
	ctx := context.Background()
	if res.Status < 400 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			t.Errorf("%s %s: the request breaks openapi.json: %v", sent.Method, sent.URL, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.Status, Header: res.Header, Options: checkOptions}
	out.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%s %s → %d: the response breaks openapi.json: %v\n%s", sent.Method, sent.URL, res.Status, err, cut(res.Body))
	}
}

func cut(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// TestOpenAPIRoutes checks that openapi.json has every route the API registers, and no
// other.
func TestOpenAPIRoutes(t *testing.T) {
	s := loadSpec(t)
	var documented []string
	for path, item := range s.doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	registered := api.RoutePatterns()
	sort.Strings(documented)
	sort.Strings(registered)
	if !slices.Equal(documented, registered) {
		t.Errorf("openapi.json has\n%s\nthe mux has\n%s", strings.Join(documented, "\n"), strings.Join(registered, "\n"))
	}
}
