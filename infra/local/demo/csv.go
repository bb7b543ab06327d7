package demo

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/immagnify/immagnify/internal/contact"
)

// Columns are the header of a seed file. Every column is required, in any
// order; header names are matched without regard to case.
var Columns = []string{
	"first_name", "last_name", "email", "phone", "title", "company",
	"company_domain", "city", "country", "source",
}

// MaxRows is the most data rows ReadCSV reads from one file.
const MaxRows = 1_000_000

// ErrTooManyRows is returned when a seed file holds more than MaxRows rows.
var ErrTooManyRows = errors.New("too many rows")

// RowError is a row of a seed file that was skipped, and why. The reason
// never repeats the row's data.
type RowError struct {
	Line   int    // where the row starts, counting the header as line 1
	Reason string // what is wrong with it
}

// Error says which line was skipped and why.
func (e RowError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// ReadCSV reads contacts from a seed file: CSV in UTF-8 (a byte order mark
// is allowed) whose header holds exactly the Columns. The source column holds
// the row's source kind; when it is empty, kind applies. Every candidate's
// source is named sourceName and has no collected-at time, so ingestion
// stamps it.
//
// A row with the wrong number of fields, with neither an email nor a phone,
// with an invalid or no source kind, or that is not well-formed CSV is
// skipped and reported as a RowError. Emails and phones are not checked
// here: ingestion rejects those it cannot normalise. A header that lacks a
// column, a kind that is not empty and not valid, more than MaxRows rows or
// a read error fail the whole file.
func ReadCSV(r io.Reader, kind contact.SourceKind, sourceName string) (
	[]contact.Candidate, []RowError, error) {
	return readCSV(r, kind, sourceName, MaxRows)
}

// readCSV is ReadCSV with the row limit as a parameter, for tests.
func readCSV(r io.Reader, kind contact.SourceKind, sourceName string, maxRows int) (
	[]contact.Candidate, []RowError, error) {
	if kind != "" {
		if _, err := contact.ParseSourceKind(string(kind)); err != nil {
			return nil, nil, fmt.Errorf("default source kind: %w", err)
		}
	}

	// Skip a byte order mark, then map the header's columns.
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, errors.New("reading header: the file is empty")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading header: %w", err)
	}
	col, err := headerColumns(header)
	if err != nil {
		return nil, nil, err
	}

	// Read the rows, skipping bad ones.
	var out []contact.Candidate
	var bad []RowError
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if rows == maxRows {
			return nil, nil, fmt.Errorf("reading rows: %w: at most %d", ErrTooManyRows,
				maxRows)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// The parser's messages say what is wrong without the data.
			bad = append(bad, RowError{Line: pe.StartLine,
				Reason: "malformed CSV: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading rows: %w", err)
		}
		line, _ := cr.FieldPos(0)
		c, reason := rowCandidate(rec, col, kind, sourceName)
		if reason != "" {
			bad = append(bad, RowError{Line: line, Reason: reason})
			continue
		}
		out = append(out, c)
	}
	return out, bad, nil
}

// headerColumns maps each of Columns to its index in the header.
func headerColumns(header []string) (map[string]int, error) {
	col := map[string]int{}
	unknown := 0
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range Columns {
			known = known || c == h
		}
		if !known {
			unknown++
			continue
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("header: column %s appears twice", h)
		}
		col[h] = i
	}
	var missing []string
	for _, c := range Columns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	// Unknown names are not repeated: a file without a header would show its
	// first row of personal data here.
	if len(missing) > 0 {
		return nil, fmt.Errorf("header: missing columns %s (want %s)",
			strings.Join(missing, ", "), strings.Join(Columns, ","))
	}
	if unknown > 0 {
		return nil, fmt.Errorf("header: %d columns are not in the seed format (want %s)",
			unknown, strings.Join(Columns, ","))
	}
	return col, nil
}

// rowCandidate turns a row into a candidate, or says why it cannot.
func rowCandidate(rec []string, col map[string]int, kind contact.SourceKind,
	sourceName string) (contact.Candidate, string) {
	if len(rec) != len(col) {
		return contact.Candidate{}, fmt.Sprintf("has %d fields, want %d",
			len(rec), len(col))
	}
	get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
	c := contact.Candidate{
		FirstName:     get("first_name"),
		LastName:      get("last_name"),
		Email:         get("email"),
		Phone:         get("phone"),
		Title:         get("title"),
		Company:       get("company"),
		CompanyDomain: get("company_domain"),
		City:          get("city"),
		Country:       get("country"),
		Source:        contact.Source{Kind: kind, Name: sourceName},
	}
	if c.Email == "" && c.Phone == "" {
		return contact.Candidate{}, "has neither an email nor a phone"
	}
	if s := strings.ToLower(get("source")); s != "" {
		k, err := contact.ParseSourceKind(s)
		if err != nil {
			return contact.Candidate{}, "invalid source kind: " + err.Error()
		}
		c.Source.Kind = k
	}
	if c.Source.Kind == "" {
		return contact.Candidate{}, "no source kind: the source column is empty " +
			"and no default was given"
	}
	return c, ""
}
