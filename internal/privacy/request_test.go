package privacy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/contact"
)

func TestDueDate(t *testing.T) {
	day := func(s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name   string
		regime Regime
		in     string
		want   string
	}{
		{"gdpr same day next month", GDPR, "2026-03-15T10:00:00Z", "2026-04-15T10:00:00Z"},
		{"gdpr 31st into a 30-day month", GDPR, "2026-05-31T08:00:00Z", "2026-06-30T08:00:00Z"},
		{"gdpr 31 January into February", GDPR, "2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z"},
		{"gdpr leap year", GDPR, "2028-01-30T12:00:00Z", "2028-02-29T12:00:00Z"},
		{"gdpr december", GDPR, "2026-12-04T16:00:00Z", "2027-01-04T16:00:00Z"},
		{"gdpr other zone", GDPR, "2026-03-01T00:30:00+02:00", "2026-03-28T22:30:00Z"},
		{"ccpa 45 days", CCPA, "2026-12-04T16:00:00Z", "2027-01-18T16:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DueDate(tt.regime, day(tt.in))
			if want := day(tt.want); !got.Equal(want) {
				t.Errorf("DueDate(%s, %s) = %s, want %s", tt.regime, tt.in, got, want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	s := &Service{Now: func() time.Time { return time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) }}
	ok := Submission{Type: "access", Email: "zoe@example.com", Name: "Zoë"}
	tests := []struct {
		name      string
		edit      func(*Submission)
		wantField string
	}{
		{"valid", func(*Submission) {}, ""},
		{"ccpa", func(s *Submission) { s.Regime = "CCPA" }, ""},
		{"missing type", func(s *Submission) { s.Type = "" }, "type"},
		{"unknown type", func(s *Submission) { s.Type = "delete-everything" }, "type"},
		{"type in capitals", func(s *Submission) { s.Type = "ACCESS" }, "type"},
		{"unknown regime", func(s *Submission) { s.Regime = "lgpd" }, "regime"},
		{"missing email", func(s *Submission) { s.Email = " " }, "email"},
		{"invalid email", func(s *Submission) { s.Email = "zoe@" }, "email"},
		{"email with newline", func(s *Submission) { s.Email = "zoe@example.com\nBcc: x@y.z" }, "email"},
		{"missing name", func(s *Submission) { s.Name = "" }, "name"},
		{"long name", func(s *Submission) { s.Name = strings.Repeat("n", 201) }, "name"},
		{"control characters", func(s *Submission) { s.Details = "a\x00b" }, "details"},
		{"rectification without what", func(s *Submission) { s.Type = "rectification" }, "corrections"},
		{"name on two lines", func(s *Submission) { s.Name = "a\r\nBcc: x@example.com" }, "name"},
		{"name without letters", func(s *Submission) { s.Name = "\u200b\u200b" }, "name"},
		{"corrections on access", func(s *Submission) {
			s.Corrections = map[string]string{"title": "CEO"}
		}, "corrections"},
		{"rectification with corrections", func(s *Submission) {
			s.Type, s.Corrections = "rectification", map[string]string{"title": "CEO"}
		}, ""},
		{"rectification with details", func(s *Submission) {
			s.Type, s.Details = "rectification", "my title is wrong"
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := ok
			tt.edit(&sub)
			r, err := s.Validate(sub)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				if r.Status != AwaitingVerification || r.ID == "" || r.DueAt.IsZero() {
					t.Errorf("Validate() = %+v, want a new request", r)
				}
				return
			}
			var inv *InvalidError
			if !errors.As(err, &inv) || inv.Field != tt.wantField {
				t.Fatalf("Validate() = %v, want an InvalidError on %q", err, tt.wantField)
			}
			if strings.Contains(inv.Error(), "zoe@") {
				t.Errorf("error %q repeats the address", inv.Error())
			}
		})
	}
}

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"+49 151 23456789", "+49 151 23456789"},
		{"-5", "-5"},
		{"+cmd", "'+cmd"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"+1+cmd|x", "'+1+cmd|x"},
		{"(312) 555-0142", "(312) 555-0142"},
		{"\nx", "'\nx"},
		{"Zoë", "Zoë"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRecipientsOf(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 5, 1, h, 0, 0, 0, time.UTC) }
	ds := []contact.Disclosure{
		{CustomerID: "b", DisclosedAt: at(5), Fields: []contact.Field{contact.Email}, Channel: "search"},
		{CustomerID: "a", DisclosedAt: at(3), Fields: []contact.Field{contact.Phone}, Channel: "enrichment"},
		{CustomerID: "b", DisclosedAt: at(1), Fields: []contact.Field{contact.Email, contact.Title}, Channel: "list"},
		{CustomerID: "b", DisclosedAt: at(9), Fields: []contact.Field{contact.Email}, Channel: "search"},
	}
	for i := 0; i < 3000; i++ { // many disclosures to one customer make one entry
		ds = append(ds, contact.Disclosure{CustomerID: "a", DisclosedAt: at(4),
			Fields: []contact.Field{contact.Phone}, Channel: "enrichment"})
	}
	got, err := recipientsOf("c1", ds, func(id string) (string, error) { return "Customer " + id, nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d recipients, want 2: %+v", len(got), got)
	}
	b, a := got[0], got[1]
	if b.Recipient != "Customer b" || b.Disclosures != 3 || !b.FirstDisclosedAt.Equal(at(1)) ||
		!b.LastDisclosedAt.Equal(at(9)) || len(b.Fields) != 2 || len(b.Channels) != 2 {
		t.Errorf("first recipient = %+v", b)
	}
	if a.Recipient != "Customer a" || a.Disclosures != 3001 || len(a.Fields) != 1 {
		t.Errorf("second recipient = %+v", a)
	}
	if _, err := recipientsOf("c1", ds, func(string) (string, error) {
		return "", errors.New("customers table down")
	}); err == nil {
		t.Error("a failed customer lookup was ignored")
	}
}
