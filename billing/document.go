package billing

import (
	"crypto/sha256"
	"encoding/hex"
)

// Document is one rendered form of an issued invoice (pdf, ubl, csv, json), stored once with
// its SHA-256 and served from storage ever after.
type Document struct {
	Format  string
	Content []byte
	SHA256  string
	// Embeds names another form of the same invoice that Content carries base64-encoded
	// at byte offset EmbedAt (the UBL carries its PDF). Storage keeps that copy out and
	// splices it back when the document is read, so the PDF is stored once.
	Embeds  string
	EmbedAt int
}

// NewDocument wraps rendered content with its digest.
func NewDocument(format string, content []byte) Document {
	sum := sha256.Sum256(content)
	return Document{Format: format, Content: content, SHA256: hex.EncodeToString(sum[:])}
}

// Renderer renders the documents of a batch of numbered invoices, in the same order; the
// store calls it inside the issuing transaction, so an invoice never exists without them.
type Renderer func(invs []*Invoice) ([][]Document, error)
