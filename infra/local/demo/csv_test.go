package demo

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/immagnify/immagnify/internal/contact"
)

const header = "first_name,last_name,email,phone,title,company,company_domain,city," +
	"country,source\n"

// Rows of personal data used below; no error or reason may repeat them.
const (
	zoeRow = "Zoë,Ångström,zoe.angstrom@northwind-traders.example,+46 8 501 234 56," +
		"Chief Privacy Officer,Northwind Traders,northwind-traders.example,Stockholm," +
		"SE,partner\n"
	hanakoRow = "花子,山田,hanako.yamada@sakura-logistics.example,03-5555-0123," +
		"Head of Procurement,Sakura Logistics,sakura-logistics.example,東京,JP,\n"
)

var personal = []string{"Zoë", "Ångström", "zoe.angstrom", "501 234", "花子", "山田",
	"hanako", "5555", "Olena", "olena", "Stockholm"}

var (
	zoe = contact.Candidate{
		FirstName: "Zoë", LastName: "Ångström",
		Email: "zoe.angstrom@northwind-traders.example", Phone: "+46 8 501 234 56",
		Title: "Chief Privacy Officer", Company: "Northwind Traders",
		CompanyDomain: "northwind-traders.example", City: "Stockholm", Country: "SE",
		Source: contact.Source{Kind: contact.Partner, Name: "test file"},
	}
	hanako = contact.Candidate{
		FirstName: "花子", LastName: "山田",
		Email: "hanako.yamada@sakura-logistics.example", Phone: "03-5555-0123",
		Title: "Head of Procurement", Company: "Sakura Logistics",
		CompanyDomain: "sakura-logistics.example", City: "東京", Country: "JP",
		Source: contact.Source{Kind: contact.PublicWeb, Name: "test file"},
	}
)

// with returns c changed by f.
func with(c contact.Candidate, f func(*contact.Candidate)) contact.Candidate {
	f(&c)
	return c
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		kind    contact.SourceKind
		want    []contact.Candidate
		wantBad []RowError
		wantErr string // a part of the error; empty when none is wanted
	}{
		{
			name: "good file",
			in:   header + zoeRow + hanakoRow,
			kind: contact.PublicWeb,
			want: []contact.Candidate{zoe, hanako},
		},
		{
			name: "byte order mark and CRLF",
			in:   "\uFEFF" + strings.ReplaceAll(header+zoeRow+hanakoRow, "\n", "\r\n"),
			kind: contact.PublicWeb,
			want: []contact.Candidate{zoe, hanako},
		},
		{
			name: "reordered columns, header in capitals, blanks trimmed",
			in: "Source, EMAIL ,Phone,First_Name,last_name,title,company," +
				"company_domain,city,COUNTRY\n" +
				"community, olena.kovalenko@dnipro-agro.example ,,Олена,Коваленко," +
				"Senior Data Engineer,Dnipro Agro,dnipro-agro.example,Київ,UA\n",
			kind: contact.PublicWeb,
			want: []contact.Candidate{{
				FirstName: "Олена", LastName: "Коваленко",
				Email: "olena.kovalenko@dnipro-agro.example", Title: "Senior Data Engineer",
				Company: "Dnipro Agro", CompanyDomain: "dnipro-agro.example", City: "Київ",
				Country: "UA",
				Source:  contact.Source{Kind: contact.Community, Name: "test file"},
			}},
		},
		{
			name: "phone only and email only",
			in: header + "Sam,Taylor,,(312) 555-0142,,,,,US,\n" +
				"Sam,Taylor,sam.taylor@kestrel-payments.example,,,,,,,\n",
			kind: contact.Community,
			want: []contact.Candidate{
				{FirstName: "Sam", LastName: "Taylor", Phone: "(312) 555-0142",
					Country: "US",
					Source:  contact.Source{Kind: contact.Community, Name: "test file"}},
				{FirstName: "Sam", LastName: "Taylor",
					Email:  "sam.taylor@kestrel-payments.example",
					Source: contact.Source{Kind: contact.Community, Name: "test file"}},
			},
		},
		{
			name: "bad rows are skipped with their line",
			in: header + zoeRow +
				"Zoë,Ångström,zoe.angstrom@northwind-traders.example\n" +
				"Olena,Kovalenko,,,Engineer,Dnipro Agro,dnipro-agro.example,Kyiv,UA,\n" +
				zoeRow + ",,,,,,,,,,,,\n" + hanakoRow,
			kind: contact.PublicWeb,
			want: []contact.Candidate{zoe, zoe, hanako},
			wantBad: []RowError{
				{Line: 3, Reason: "has 3 fields, want 10"},
				{Line: 4, Reason: "has neither an email nor a phone"},
				{Line: 6, Reason: "has 13 fields, want 10"},
			},
		},
		{
			name: "source kind: row overrides, bad kind and no kind are row errors",
			in: header + zoeRow +
				strings.Replace(zoeRow, ",partner\n", ",PUBLIC-WEB\n", 1) +
				strings.Replace(zoeRow, ",partner\n", ",scraped\n", 1) +
				strings.Replace(zoeRow, ",partner\n", ",zoe.angstrom\n", 1) + hanakoRow,
			kind: "",
			want: []contact.Candidate{zoe, with(zoe, func(c *contact.Candidate) {
				c.Source.Kind = contact.PublicWeb
			})},
			wantBad: []RowError{
				{Line: 4, Reason: `invalid source kind: source kind must be ` +
					`"public-web", "partner" or "community"`},
				{Line: 5, Reason: `invalid source kind: source kind must be ` +
					`"public-web", "partner" or "community"`},
				{Line: 6, Reason: "no source kind: the source column is empty and no " +
					"default was given"},
			},
		},
		{
			name: "quoted fields with commas, quotes and newlines",
			in: header +
				`"Zoë","Ångström","zoe.angstrom@northwind-traders.example",` +
				`"+46 8 501 234 56","Chief Privacy Officer, ""Nordics""",` +
				`"Northwind Traders,` + "\n" + `Stockholm office",` +
				"northwind-traders.example,Stockholm,SE,partner\n" +
				"Zoë,Ångström\n" + hanakoRow,
			kind: contact.PublicWeb,
			want: []contact.Candidate{
				with(zoe, func(c *contact.Candidate) {
					c.Title = `Chief Privacy Officer, "Nordics"`
					c.Company = "Northwind Traders,\nStockholm office"
				}),
				hanako,
			},
			wantBad: []RowError{{Line: 4, Reason: "has 2 fields, want 10"}},
		},
		{
			name: "malformed quotes are row errors and reading goes on",
			in: header + `Zoë,Ång"ström,zoe.angstrom@northwind-traders.example,,,,,,,` +
				"\n" + hanakoRow,
			kind: contact.PublicWeb,
			want: []contact.Candidate{hanako},
			wantBad: []RowError{
				{Line: 2, Reason: `malformed CSV: bare " in non-quoted-field`},
			},
		},
		{
			name: "missing header columns are named",
			in: "first_name,last_name,email,title,company,city,country," +
				"source\n" + zoeRow,
			kind:    contact.PublicWeb,
			wantErr: "missing columns phone, company_domain",
		},
		{
			name:    "no header at all",
			in:      zoeRow + hanakoRow,
			kind:    contact.PublicWeb,
			wantErr: "missing columns first_name, last_name, email, phone",
		},
		{
			name:    "an unknown column",
			in:      strings.TrimSuffix(header, "\n") + ",notes\n" + zoeRow,
			kind:    contact.PublicWeb,
			wantErr: "1 columns are not in the seed format",
		},
		{
			name:    "a column twice",
			in:      strings.TrimSuffix(header, "\n") + ",Email\n" + zoeRow,
			kind:    contact.PublicWeb,
			wantErr: "column email appears twice",
		},
		{
			name:    "empty file",
			in:      "",
			kind:    contact.PublicWeb,
			wantErr: "the file is empty",
		},
		{
			name:    "invalid default source kind",
			in:      header + zoeRow,
			kind:    "web",
			wantErr: "default source kind",
		},
		{
			name: "header only",
			in:   header,
			kind: contact.PublicWeb,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, bad, err := ReadCSV(strings.NewReader(tc.in), tc.kind, "test file")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				checkNoPersonalData(t, err.Error())
				return
			}
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("candidates:\n got %+v\nwant %+v", got, tc.want)
			}
			if !reflect.DeepEqual(bad, tc.wantBad) {
				t.Errorf("row errors:\n got %+v\nwant %+v", bad, tc.wantBad)
			}
			for _, e := range bad {
				checkNoPersonalData(t, e.Error())
			}
		})
	}
}

// checkNoPersonalData fails the test when a message repeats personal data.
func checkNoPersonalData(t *testing.T, msg string) {
	t.Helper()
	for _, p := range personal {
		if strings.Contains(msg, p) {
			t.Errorf("message %q repeats personal data %q", msg, p)
		}
	}
}

func TestReadCSVRowLimit(t *testing.T) {
	const bad = "Zoë,Ångström\n"
	tests := []struct {
		name     string
		body     string
		wantRead int
		wantErr  error
	}{
		{"under the limit", strings.Repeat(zoeRow, 2), 2, nil},
		{"at the limit", strings.Repeat(zoeRow, 3), 3, nil},
		{"over the limit", strings.Repeat(zoeRow, 4), 0, ErrTooManyRows},
		{"bad rows count too", strings.Repeat(zoeRow, 3) + bad, 0, ErrTooManyRows},
		{"blank lines do not count", strings.Repeat(zoeRow+"\n", 3), 3, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := readCSV(strings.NewReader(header+tc.body), contact.PublicWeb,
				"f", 3)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			if len(got) != tc.wantRead {
				t.Errorf("read %d rows, want %d", len(got), tc.wantRead)
			}
		})
	}
}

func TestReadCSVRoundTripsDemoPeople(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for _, p := range DemoPeople() {
		b.WriteString(strings.Join([]string{p.FirstName, p.LastName, p.Email, p.Phone,
			p.Title, p.Company, p.CompanyDomain, p.City, p.Country,
			string(p.Source.Kind)}, ",") + "\n")
	}
	got, bad, err := ReadCSV(strings.NewReader(b.String()), "", "demo")
	if err != nil || len(bad) > 0 {
		t.Fatalf("ReadCSV: %v, row errors %v", err, bad)
	}
	want := DemoPeople()
	for i := range want {
		want[i].Source = contact.Source{Kind: want[i].Source.Kind, Name: "demo"}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
