package api

// RoutePatterns are the method and path of every route Register adds (the JSON 404 for
// the rest of the prefix aside), for the test that compares them with openapi.json.
func RoutePatterns() []string {
	out := []string{"GET " + openAPIPath}
	for _, rt := range (&API{}).routes() {
		out = append(out, rt.method+" "+rt.path)
	}
	return out
}
