// Package site holds the mechanics the two server-rendered sites — the customer portal and
// the back office — share: session tokens and their lifetime, the CSRF check, the wrapper
// that loads who asks before a handler runs, the rendering of a page from templates, and
// the client's address behind trusted proxies (clientip.go).
// What is each site's own stays there: its session table, cookie name and path, request
// type, templates and error page (docs/portal.md, "Sessions").
package site
