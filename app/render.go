package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"runtime"
	"sync"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/jsondoc"
	"github.com/erekins/erekins/document/pdf"
	"github.com/erekins/erekins/document/ubl"
)

// Formats are the stored forms of every issued document.
var Formats = []string{billing.FormatPDF, billing.FormatUBL, billing.FormatCSV, "json"}

// renderer renders every format of a document; it is built once per App.
type renderer struct {
	pdf *pdf.Renderer
}

func newRenderer() (*renderer, error) {
	p, err := pdf.New()
	if err != nil {
		return nil, fmt.Errorf("pdf renderer: %w", err)
	}
	return &renderer{pdf: p}, nil
}

// PDFName is the file name of a document's PDF, as attachments and downloads carry it.
func PDFName(inv *billing.Invoice) string { return inv.Number + ".pdf" }

// one renders the documents of one invoice: PDF first, since the UBL embeds it.
func (r *renderer) one(inv *billing.Invoice) ([]billing.Document, error) {
	p, err := r.pdf.Render(inv)
	if err != nil {
		return nil, fmt.Errorf("%s pdf: %w", inv.Number, err)
	}
	x, err := ubl.Render(inv, p, PDFName(inv))
	if err != nil {
		return nil, fmt.Errorf("%s ubl: %w", inv.Number, err)
	}
	c, err := csvdoc.Render(inv, csvdoc.Options{Language: inv.Language})
	if err != nil {
		return nil, fmt.Errorf("%s csv: %w", inv.Number, err)
	}
	j, err := jsondoc.Render(inv)
	if err != nil {
		return nil, fmt.Errorf("%s json: %w", inv.Number, err)
	}
	ublDoc := billing.NewDocument(billing.FormatUBL, x)
	// Where the UBL carries the PDF: found by the base64 of its first bytes (a multiple of
	// three, so no padding); storage checks the whole copy before it leaves it out.
	if at := bytes.Index(x, []byte(base64.StdEncoding.EncodeToString(p[:min(len(p), 57)]))); at >= 0 {
		ublDoc.Embeds, ublDoc.EmbedAt = billing.FormatPDF, at
	}
	return []billing.Document{
		billing.NewDocument(billing.FormatPDF, p), ublDoc,
		billing.NewDocument(billing.FormatCSV, c), billing.NewDocument("json", j),
	}, nil
}

// all renders a batch on every core; it is the billing.Renderer of the App.
func (r *renderer) all(invs []*billing.Invoice) ([][]billing.Document, error) {
	out := make([][]billing.Document, len(invs))
	errs := make([]error, len(invs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = r.one(invs[i])
			}
		})
	}
	for i := range invs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RenderAll renders every stored form of a batch of numbered documents.
func (a *App) RenderAll(invs []*billing.Invoice) ([][]billing.Document, error) {
	return a.render.all(invs)
}

// Document returns a stored document of an invoice: pdf, ubl, csv or json.
func (a *App) Document(ctx context.Context, number, format string) ([]byte, error) {
	switch format {
	case billing.FormatPDF, billing.FormatUBL, billing.FormatCSV, "json":
	default:
		return nil, billing.Errorf(billing.ErrInvalid, "format", "%q: must be pdf, ubl, csv or json", format)
	}
	doc, err := a.DB.Document(ctx, number, format)
	if err != nil {
		return nil, err
	}
	return doc.Content, nil
}
