package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/internal/webtest"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestBrowserUpload is a person submitting readings from a file: opens the upload from the
// readings page, uploads a CSV with a mistake and reads the row's error, uploads the fixed
// file, submits all and sees them received, then reads the register's consumption chart.
// Every page is checked by axe-core and shot at desktop and 360 px.
func TestBrowserUpload(t *testing.T) {
	b := webtest.NewBrowser(t)
	w := newWorld(t, sqldbtest.New(t, "sqlite"))
	u, step, read := w.Srv.URL, b.Step, b.Read
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	ms, err := w.App.DB.CustomerMeters(context.Background(), customerID(t, w, w.A.Reg))
	if err != nil || len(ms) < 2 {
		t.Fatalf("customer A has %d meters, err %v; want two", len(ms), err)
	}
	first := w.A.Point + ";" + w.A.Register + ";28.11.2026;" + strings.Replace(w.lastValue(w.A.Point, w.A.Register).Add(decimal.NewFromInt(7)).String(), ".", ",", 1)
	second := ms[1].Code + ";" + ms[1].Registers[0] + ";28.11.2026;"
	file := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const header = "uzskaites_punkts;zona;datums;rādījums;apstiprināt;iemesls\n"
	wrong := file("rādījumi.csv", header+first+"\n"+second+"1\n")
	fixed := file("rādījumi-labots.csv", header+first+"\n"+second+w.lastValue(ms[1].Code, ms[1].Registers[0]).Add(decimal.NewFromInt(3)).String()+"\n")

	step("sign in", chromedp.Navigate(u+"/signin"), chromedp.WaitVisible(css(`#email`)), chromedp.SendKeys(css(`#email`), email("readings")),
		chromedp.SendKeys(css(`#password`), password), chromedp.Click(css(`form.stack button[type=submit]`)), chromedp.WaitVisible(css(`nav`)))
	step("readings", chromedp.Navigate(u+"/readings"), chromedp.WaitVisible(css(`#upload-link`)),
		chromedp.Click(css(`#upload-link`)), chromedp.WaitVisible(css(`#file`)))
	b.Shoot("upload-form")

	step("upload with a mistake", chromedp.SetUploadFiles(css(`#file`), []string{wrong}),
		chromedp.Click(css(`form[action="/readings/upload"] button[type=submit]`)), chromedp.WaitVisible(css(`#preview`)))
	if got := read(`#row-3 td.result`); !strings.Contains(got, "mazāks par pēdējo faktisko rādījumu") {
		t.Errorf("line 3: %q, want lower than the previous", got)
	}
	if got := read(`#row-2 td.result`); !strings.Contains(got, "derīgs") {
		t.Errorf("line 2: %q, want valid", got)
	}
	b.Shoot("upload-preview-error")

	step("upload the fixed file", chromedp.SetUploadFiles(css(`#file`), []string{fixed}),
		chromedp.Click(css(`form[action="/readings/upload"] button[type=submit]`)), chromedp.WaitVisible(css(`#send`)))
	b.Shoot("upload-preview")
	if n := w.portalReadings(); n != 0 {
		t.Fatalf("the preview stored %d readings", n)
	}
	step("submit all", chromedp.Click(css(`#send`)), chromedp.WaitVisible(css(`#uploaded`)))
	if n := w.portalReadings(); n != 2 {
		t.Errorf("%d readings stored, want 2", n)
	}
	b.Shoot("upload-stored")

	step("register chart", chromedp.Navigate(u+"/readings/"+w.A.Point+"/"+w.A.Register), chromedp.WaitVisible(css(`#chart`)))
	if n := b.Count(`#chart rect.bar`); n == 0 {
		t.Error("the chart has no bars")
	}
	b.Shoot("register-chart")
}
