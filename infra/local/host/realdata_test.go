package host

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode"

	"github.com/immagnify/immagnify/infra/local/demo"
	"github.com/immagnify/immagnify/internal/contact"
)

// scriptOf names the Unicode script of the first letter of s.
func scriptOf(s string) string {
	for _, r := range s {
		for name, table := range unicode.Scripts {
			if unicode.Is(table, r) && name != "Common" && name != "Inherited" {
				return name
			}
		}
	}
	return "none"
}

// TestRealNamesAndCompanies seeds people built from the shared name lists
// (every script in them) and real company domains, then makes access
// requests for one person of each script and finds their data.
func TestRealNamesAndCompanies(t *testing.T) {
	needStack(t)
	dir, err := filepath.Abs("../../../../shared/data")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the shared data folder %s is absent; skipping the real-input test", dir)
	}
	cs, err := demo.FromSharedData(dir, 3, 7)
	if err != nil {
		t.Fatalf("building the seed: %v", err)
	}
	seed(t, cs...)

	// One person per pair of scripts of their names, and a few more.
	sample := map[string]contact.Candidate{}
	for i, c := range cs {
		key := scriptOf(c.FirstName) + "+" + scriptOf(c.LastName)
		if _, ok := sample[key]; ok && i%40 != 0 {
			continue
		}
		if _, ok := sample[key]; ok {
			key += "-" + c.Country
		}
		sample[key] = c
	}
	t.Logf("seeded %d people; sampling %d, one per script and more", len(cs), len(sample))
	for name, c := range sample {
		t.Run(name, func(t *testing.T) {
			_, result := accessFlow(t, c.Email, c.FirstName+" "+c.LastName)
			code, _, body := call(t, "GET", link(t, result.Body.Text, "/privacy/exports/"), "", "")
			if code != 200 {
				t.Fatalf("GET export = %d", code)
			}
			var doc exportDoc
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Contacts) != 1 {
				t.Fatalf("export has %d contacts, want 1", len(doc.Contacts))
			}
			f := doc.Contacts[0].Fields
			if f["firstName"].Value != c.FirstName || f["lastName"].Value != c.LastName ||
				f["companyDomain"].Value != c.CompanyDomain || f["email"].Value != c.Email {
				t.Errorf("export = %+v, want %s %s at %s", f, c.FirstName, c.LastName, c.CompanyDomain)
			}
			if f["firstName"].Source.Name != demo.SharedDataSource {
				t.Errorf("source = %+v", f["firstName"].Source)
			}
		})
	}
}
