// Package ubl renders issued invoices and credit notes as UBL 2.1 documents following
// EN 16931 and Peppol BIS Billing 3.0, and checks documents against the EN 16931 and Peppol
// rules that erekins' documents touch.
//
// Render writes the XML by hand into one buffer: the layout is fixed, and a hand-written
// writer is several times faster than encoding/xml's reflection. Every text value passes
// through one escaping function, which also replaces characters that XML 1.0 cannot carry.
//
// Check parses a document with encoding/xml and reports Findings named after the official
// rule identifiers (BR-CO-10, BR-S-08, PEPPOL-EN16931-R020, …), so a finding can be looked
// up in the specification. The official validation artefacts remain the oracle; Check is the
// subset the project's own CI can run. docs/ubl.md tells how to run the oracle.
package ubl
