// Package dataset reads and checks an erekins dataset file, the JSON document that
// `erekins import` loads (format version 1, described in docs/dataset.md).
//
// Reading is in two steps, so that an import can list every error at once:
//
//   - Parse checks the shape: well-formed UTF-8 JSON, no unknown or duplicate fields, the right
//     JSON type for each field, dates as YYYY-MM-DD, instants as RFC 3339, and amounts as
//     JSON strings holding plain decimals. It fills the documented defaults.
//   - Validate checks the rules: formats of registration and VAT numbers, e-mail addresses,
//     unique natural keys, references between records and to what the database already
//     holds (through Known), ranges and decimal places.
//
// Load does both and returns every error of both, one FieldError per problem, each naming the
// record ("customers[0] (40003012345)") and the field ("contracts[0].number") at fault.
// LoadCompact does the same for files of millions of readings: it reads the file in one
// pass and keeps the readings in a ReadingSet, a tenth of the memory of []Reading.
//
// Billing rules about readings (roll-over, plausibility, windows) are not checked here: they
// need the reading history, which the billing package and the import service hold.
package dataset
