package admin

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

func (ad *Admin) printBatches(w http.ResponseWriter, r *http.Request, rq *request) error {
	bs, err := ad.App.Deliveries.PrintBatches(r.Context())
	if err != nil {
		return err
	}
	ad.render(w, r, rq, http.StatusOK, "printbatches.html", "Print batches", bs)
	return nil
}

func batchID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, billing.NotFound("print batch", r.PathValue("id"))
	}
	return id, nil
}

type printBatchData struct {
	Batch sqldb.PrintBatch
	Done  bool
}

func (ad *Admin) printBatch(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	b, err := ad.App.Deliveries.PrintBatch(r.Context(), id)
	if err != nil {
		return err
	}
	ad.render(w, r, rq, http.StatusOK, "printbatch.html", fmt.Sprintf("Print batch %d", id),
		printBatchData{Batch: b, Done: r.URL.Query().Get("handed") != ""})
	return nil
}

// handOver marks the batch handed to the print house (once), audited with the operator.
func (ad *Admin) handOver(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	if err := ad.App.Deliveries.HandOver(r.Context(), id, rq.Operator.Email, ad.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/print-batches/%d?handed=1", id), http.StatusSeeOther)
	return nil
}

// printFile writes the batch's bundle or manifest, as `erekins print-batch bundle|manifest` does.
func (ad *Admin) printFile(w http.ResponseWriter, r *http.Request, name, contentType string,
	write func(*bytes.Buffer, sqldb.PrintBatch, []delivery.PrintEntry) error) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	b, err := ad.App.Deliveries.PrintBatch(r.Context(), id)
	if err != nil {
		return err
	}
	es, err := ad.App.Deliveries.PrintEntries(r.Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(&buf, b, es); err != nil {
		return billing.Errorf(billing.ErrConflict, "", "%v", err)
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="print-batch-%s-%d-%s"`, b.Date, id, name))
	h.Set("Cache-Control", "private, no-cache")
	w.Write(buf.Bytes())
	return nil
}

func (ad *Admin) printBundle(w http.ResponseWriter, r *http.Request, rq *request) error {
	return ad.printFile(w, r, "bundle.pdf", "application/pdf", func(buf *bytes.Buffer, b sqldb.PrintBatch, es []delivery.PrintEntry) error {
		return delivery.Bundle(buf, b.Date.Time(), es)
	})
}

func (ad *Admin) printManifest(w http.ResponseWriter, r *http.Request, rq *request) error {
	return ad.printFile(w, r, "manifest.csv", "text/csv; charset=utf-8", func(buf *bytes.Buffer, _ sqldb.PrintBatch, es []delivery.PrintEntry) error {
		return delivery.Manifest(buf, es)
	})
}
