package demo

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// sharedDataDir returns the shared data pack, a sibling of the repository
// root (the folder with go.mod), or skips the test when it is absent.
func sharedDataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("finding the working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the package directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(data); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("shared data pack %s is absent (expected beside the repository); "+
			"skipping the FromSharedData tests", data)
	}
	return data
}

// namesByCountry reads a name list of the pack on its own terms: the script
// of each name's shown form, by country.
func namesByCountry(t *testing.T, path string) map[string]map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	rows, err := csv.NewReader(strings.NewReader(
		strings.TrimPrefix(string(b), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]map[string]bool{}
	for _, row := range rows[1:] {
		shown := row[col["Localized Name"]]
		if shown == "" {
			shown = row[col["Romanized Name"]]
		}
		country := row[col["Country"]]
		if out[country] == nil {
			out[country] = map[string]bool{}
		}
		out[country][firstLetterScript(shown)] = true
	}
	return out
}

func TestFromSharedData(t *testing.T) {
	dir := sharedDataDir(t)
	const perCountry = 3
	got, err := FromSharedData(dir, perCountry, 1)
	if err != nil {
		t.Fatalf("FromSharedData: %v", err)
	}

	// The countries of the forename list, and the scripts of their names;
	// a country without surnames takes a second forename as family name.
	fore := namesByCountry(t, filepath.Join(dir, forenamesFile))
	sur := namesByCountry(t, filepath.Join(dir, surnamesFile))
	wantScripts := map[string]bool{}
	wantCountries := map[string]int{}
	for country, scripts := range sur {
		if fore[country] == nil {
			fore[country] = scripts
		}
	}
	for country, scripts := range fore {
		wantCountries[country] = perCountry
		for s := range scripts {
			wantScripts[s] = true
		}
		for s := range sur[country] {
			wantScripts[s] = true
		}
	}
	if len(wantScripts) < 8 {
		t.Errorf("the lists have only %d scripts (%v); is the pack complete?",
			len(wantScripts), wantScripts)
	}

	gotCountries := map[string]int{}
	for i, c := range got {
		checkIngestible(t, i, c)
		gotCountries[c.Country]++
		if c.Source.Kind != contact.PublicWeb || c.Source.Name != SharedDataSource {
			t.Errorf("candidate %d: source %+v, want public-web %q", i, c.Source,
				SharedDataSource)
		}
		if c.Email != strings.ToLower(c.Email) {
			t.Errorf("candidate %d: email %q is not lower-case", i, c.Email)
		}
		d := c.CompanyDomain
		if etld1, err := publicsuffix.EffectiveTLDPlusOne(d); err != nil || etld1 != d ||
			strings.HasPrefix(d, "www.") || strings.ContainsAny(d, "/:") {
			t.Errorf("candidate %d: domain %q is not a registrable domain", i, d)
		}
		if strings.Contains(c.Company, "&#") || strings.Contains(c.Company, "&amp;") {
			t.Errorf("candidate %d: company %q has an HTML entity", i, c.Company)
		}
	}
	checkUniqueEmails(t, got)
	if !reflect.DeepEqual(gotCountries, wantCountries) {
		t.Errorf("people per country:\n got %v\nwant %v", gotCountries, wantCountries)
	}
	gotScripts := scriptsOf(t, got)
	for s := range wantScripts {
		if gotScripts[s] == 0 {
			t.Errorf("no name in %s script; got %v", s, gotScripts)
		}
	}

	// Every country's phones vary.
	phones := map[string]map[string]bool{}
	for _, c := range got {
		key, _ := matchkey.Phone(c.Phone, c.Country)
		if phones[c.Country] == nil {
			phones[c.Country] = map[string]bool{}
		}
		phones[c.Country][key] = true
	}
	for country, keys := range phones {
		if len(keys) < 2 {
			t.Errorf("%s: all %d people share one phone", country, perCountry)
		}
	}
}

func TestFromSharedDataDeterministic(t *testing.T) {
	dir := sharedDataDir(t)
	tests := []struct {
		name          string
		seedA, seedB  int64
		wantDifferent bool
	}{
		{"same seed", 5, 5, false},
		{"other seed", 5, 6, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, errA := FromSharedData(dir, 2, tc.seedA)
			b, errB := FromSharedData(dir, 2, tc.seedB)
			if errA != nil || errB != nil {
				t.Fatalf("FromSharedData: %v, %v", errA, errB)
			}
			if got := !reflect.DeepEqual(a, b); got != tc.wantDifferent {
				t.Errorf("outputs differ = %v, want %v", got, tc.wantDifferent)
			}
		})
	}
}

func TestFromSharedDataErrors(t *testing.T) {
	tests := []struct {
		name       string
		dir        func(t *testing.T) string
		perCountry int
		wantErr    string
	}{
		{"no people", sharedDataDir, 0, "must be positive"},
		{"empty folder", func(t *testing.T) string { return t.TempDir() }, 1,
			"common-forenames-by-country.csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromSharedData(tc.dir(t), tc.perCountry, 1)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestReadCompanies(t *testing.T) {
	dir := sharedDataDir(t)
	got, err := readCompanies(filepath.Join(dir, companiesFile))
	if err != nil {
		t.Fatalf("readCompanies: %v", err)
	}
	if len(got) < 990 {
		t.Errorf("%d companies, want nearly all of the 1,000", len(got))
	}
	byName := map[string]employer{}
	for _, e := range got {
		byName[e.name] = e
		if strings.Contains(e.name, "&#") {
			t.Errorf("company %q has an HTML entity", e.name)
		}
	}
	tests := []struct {
		company string
		want    employer
	}{
		{"Walmart", employer{"Walmart", "walmart.com", "Bentonville"}},
		{"Lowe’s", employer{"Lowe’s", "lowes.com", "Mooresville"}},
		{"AT&T", employer{"AT&T", "att.com", "Dallas"}},
		{"Best Buy", employer{"Best Buy", "bestbuy.com", "Richfield"}},
	}
	for _, tc := range tests {
		t.Run(tc.company, func(t *testing.T) {
			if got := byName[tc.company]; got != tc.want {
				t.Errorf("company %q = %+v, want %+v", tc.company, got, tc.want)
			}
		})
	}
}

func TestRegistrableDomain(t *testing.T) {
	tests := []struct {
		website string
		want    string
		wantErr bool
	}{
		{"https://www.stock.walmart.com", "walmart.com", false},
		{"https://investors.bestbuy.com/investor-relations/overview/default.aspx",
			"bestbuy.com", false},
		{"https://www.us.jll.com", "jll.com", false},
		{"https://www.edwardjones.com/index.html", "edwardjones.com", false},
		{"http://WWW.Example.CO.UK:8080/a?b=c", "example.co.uk", false},
		{"www.amazon.com", "amazon.com", false},
		{"https://apple.com.", "apple.com", false},
		{"", "", true},
		{"https://localhost", "", true},
		{"https://com", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.website, func(t *testing.T) {
			got, err := registrableDomain(tc.website)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("registrableDomain(%q) = %q, %v; want %q, error %v",
					tc.website, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
