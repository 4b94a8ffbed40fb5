package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
)

// ParsePages parses every templates/*.html of assets with the layouts in templates/layout
// and funcs, each page into its own template set, keyed by its file name.
func ParsePages(assets fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(assets, f)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", f, err)
		}
		pages[path.Base(f)] = t
	}
	return pages, nil
}

// Render executes the page's "layout" template with v and sends it with status, uncached,
// in lang. Nothing is sent before the page is whole: when it fails, the answer is a plain
// internal error and the error is returned for the caller to log.
func Render(w http.ResponseWriter, pages map[string]*template.Template, page string, status int, lang string, v any) error {
	t := pages[page]
	if t == nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return fmt.Errorf("no such template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return fmt.Errorf("execute %s: %w", page, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", lang)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}
