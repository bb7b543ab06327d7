package demo

import (
	"math/rand/v2"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/nyaruka/phonenumbers"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// checkIngestible fails the test when a candidate would not pass ingestion's
// normalisation or lacks a field that demo data always has.
func checkIngestible(t *testing.T, i int, c contact.Candidate) {
	t.Helper()
	if _, err := matchkey.Email(c.Email); err != nil {
		t.Errorf("candidate %d: email %q: %v", i, c.Email, err)
	}
	if _, err := matchkey.Phone(c.Phone, c.Country); err != nil {
		t.Errorf("candidate %d: phone %q in %s: %v", i, c.Phone, c.Country, err)
	}
	if _, err := contact.KeysOf(c.Email, c.Phone, c.Country, c.FirstName,
		c.LastName); err != nil {
		t.Errorf("candidate %d: keys: %v", i, err)
	}
	if _, err := contact.ParseSourceKind(string(c.Source.Kind)); err != nil {
		t.Errorf("candidate %d: source kind %q: %v", i, c.Source.Kind, err)
	}
	if _, domain, _ := strings.Cut(c.Email, "@"); domain != c.CompanyDomain {
		t.Errorf("candidate %d: email domain %q, company domain %q", i, domain,
			c.CompanyDomain)
	}
	if c.FirstName == "" || c.LastName == "" || c.Title == "" || c.Company == "" ||
		c.Source.Name == "" {
		t.Errorf("candidate %d: a field is empty: %+v", i, c)
	}
	if len(c.Country) != 2 || strings.ToUpper(c.Country) != c.Country {
		t.Errorf("candidate %d: country %q is not an alpha-2 code", i, c.Country)
	}
	if u, err := url.Parse(c.Source.URL); err != nil || u.Scheme != "https" {
		t.Errorf("candidate %d: source URL %q is not https (%v)", i, c.Source.URL, err)
	}
	if y := c.Source.CollectedAt.Year(); y < 2025 || y > 2026 ||
		c.Source.CollectedAt.Location() != time.UTC {
		t.Errorf("candidate %d: collected at %v, want a UTC time in 2025-2026", i,
			c.Source.CollectedAt)
	}
}

// checkUniqueEmails fails the test when two candidates share an email key.
func checkUniqueEmails(t *testing.T, cs []contact.Candidate) {
	t.Helper()
	seen := map[string]int{}
	for i, c := range cs {
		key, _ := matchkey.Email(c.Email)
		if j, dup := seen[key]; dup {
			t.Errorf("candidates %d and %d share the email %q", j, i, c.Email)
		}
		seen[key] = i
	}
}

// scriptsOf returns the scripts of the first letters of the candidates'
// names, with the number of names in each.
func scriptsOf(t *testing.T, cs []contact.Candidate) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, c := range cs {
		for _, n := range []string{c.FirstName, c.LastName} {
			got[firstLetterScript(n)]++
		}
	}
	return got
}

// firstLetterScript names the script of the first letter of s, found
// independently of the code under test.
func firstLetterScript(s string) string {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		for name, table := range unicode.Scripts {
			if unicode.Is(table, r) {
				return name
			}
		}
		return "unknown"
	}
	return "none"
}

func TestGenerateCount(t *testing.T) {
	demo := len(DemoPeople())
	tests := []struct {
		name string
		n    int
		want int
	}{
		{"negative", -1, 0},
		{"zero", 0, 0},
		{"fewer than the demo people", 3, 3},
		{"just the demo people", demo, demo},
		{"one more", demo + 1, demo + 1},
		{"many", 2500, 2500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Generate(tc.n, 1)
			if len(got) != tc.want {
				t.Fatalf("Generate(%d, 1) gave %d contacts, want %d", tc.n, len(got),
					tc.want)
			}
			people := DemoPeople()
			for i := 0; i < len(got) && i < len(people); i++ {
				if !reflect.DeepEqual(got[i], people[i]) {
					t.Errorf("contact %d = %+v, want demo person %+v", i, got[i],
						people[i])
				}
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	tests := []struct {
		name          string
		seedA, seedB  int64
		wantDifferent bool
	}{
		{"same seed", 7, 7, false},
		{"zero seed twice", 0, 0, false},
		{"other seed", 7, 8, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := Generate(300, tc.seedA), Generate(300, tc.seedB)
			if got := !reflect.DeepEqual(a, b); got != tc.wantDifferent {
				t.Errorf("outputs differ = %v, want %v", got, tc.wantDifferent)
			}
		})
	}
}

func TestGenerateValid(t *testing.T) {
	tests := []struct {
		name string
		n    int
		seed int64
	}{
		{"default demo size", 200, 1},
		{"large", 2000, 42},
		{"negative seed", 500, -3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := Generate(tc.n, tc.seed)
			for i, c := range cs {
				checkIngestible(t, i, c)
				if !strings.HasSuffix(c.CompanyDomain, ".example") {
					t.Errorf("candidate %d: domain %q is not under .example", i,
						c.CompanyDomain)
				}
				if u, _ := url.Parse(c.Source.URL); !strings.HasSuffix(u.Hostname(),
					".example") {
					t.Errorf("candidate %d: source URL %q is not under .example", i,
						c.Source.URL)
				}
			}
			checkUniqueEmails(t, cs)
		})
	}
}

// TestGenerateSpread checks that a demo set has every script, seniority,
// source kind and phone style the lists offer.
func TestGenerateSpread(t *testing.T) {
	cs := Generate(2000, 1)

	scripts := scriptsOf(t, cs)
	for _, want := range []string{"Latin", "Cyrillic", "Greek", "Han", "Hiragana",
		"Katakana", "Hangul", "Devanagari", "Arabic"} {
		if scripts[want] == 0 {
			t.Errorf("no name in %s script; got %v", want, scripts)
		}
	}

	seniorities := map[contact.Seniority]int{}
	kinds := map[contact.SourceKind]int{}
	countries := map[string]int{}
	diacritics, international, national := 0, 0, 0
	for _, c := range cs {
		seniorities[contact.SeniorityOf(c.Title)]++
		kinds[c.Source.Kind]++
		countries[c.Country]++
		if firstLetterScript(c.LastName) == "Latin" &&
			strings.IndexFunc(c.LastName+c.FirstName, func(r rune) bool {
				return r > unicode.MaxASCII
			}) >= 0 {
			diacritics++
		}
		if strings.HasPrefix(c.Phone, "+") {
			international++
		} else {
			national++
		}
	}
	for _, want := range []contact.Seniority{contact.CLevel, contact.VP,
		contact.Director, contact.Manager, contact.Senior, contact.Entry} {
		if seniorities[want] == 0 {
			t.Errorf("no %s title; got %v", want, seniorities)
		}
	}
	for _, want := range []contact.SourceKind{contact.PublicWeb, contact.Partner,
		contact.Community} {
		if kinds[want] == 0 {
			t.Errorf("no %s source; got %v", want, kinds)
		}
	}
	if got, want := len(countries), len(countriesList()); got != want {
		t.Errorf("contacts from %d countries, want %d", got, want)
	}
	if got := len(countriesList()); got < 8 {
		t.Errorf("the lists cover %d countries, want at least 8", got)
	}
	if diacritics == 0 || international == 0 || national == 0 {
		t.Errorf("Latin names with diacritics %d, international phones %d, "+
			"national phones %d; want some of each", diacritics, international, national)
	}
}

// countriesList returns the codes of the built-in countries.
func countriesList() []string {
	var out []string
	for _, c := range countries {
		out = append(out, c.code)
	}
	return out
}

func TestDemoPeople(t *testing.T) {
	people := DemoPeople()
	wantEmails := []string{
		"zoe.angstrom@northwind-traders.example",
		"hanako.yamada@sakura-logistics.example",
		"layla.haddad@desert-rose-trading.example",
		"olena.kovalenko@dnipro-agro.example",
		"lukasz.wisniewski@wisla-robotics.example",
		"soren.kjaergaard@nordlys-bank.example",
		"sam.taylor@kestrel-payments.example",
	}
	if len(people) != len(wantEmails) {
		t.Fatalf("%d demo people, want %d", len(people), len(wantEmails))
	}
	for i, p := range people {
		t.Run(p.Email, func(t *testing.T) {
			if p.Email != wantEmails[i] {
				t.Errorf("email = %q, want %q", p.Email, wantEmails[i])
			}
			checkIngestible(t, i, p)
		})
	}
	checkUniqueEmails(t, people)

	// Callers may change what they get without changing the next call's.
	people[0].FirstName = "changed"
	if got := DemoPeople()[0].FirstName; got != "Zoë" {
		t.Errorf("DemoPeople()[0].FirstName = %q after a caller's change, want Zoë", got)
	}
}

// TestPhoneFormats checks that every phone format of every country gives
// valid numbers only, and that every style writes a number that parses back
// to the same one.
func TestPhoneFormats(t *testing.T) {
	for _, c := range countries {
		for _, format := range c.phones {
			t.Run(c.code+" "+format, func(t *testing.T) {
				t.Parallel()
				r := rand.New(rand.NewPCG(1, stringHash(format)))
				for i := range 100 {
					raw := fillDigits(r, format)
					num, err := phonenumbers.Parse(raw, c.code)
					if err != nil || !phonenumbers.IsValidNumber(num) {
						t.Fatalf("%q is not a valid %s number (%v)", raw, c.code, err)
					}
					if i%10 != 0 {
						continue
					}
					want := phonenumbers.Format(num, phonenumbers.E164)
					for style := range phoneStyles {
						written := formatPhone(num, style)
						if got, err := matchkey.Phone(written, c.code); got != want {
							t.Fatalf("style %d wrote %q, key %q (%v), want %q", style,
								written, got, err, want)
						}
					}
				}
			})
		}
	}
}

func TestTitleSeniority(t *testing.T) {
	for _, level := range titles {
		for _, title := range level.titles {
			t.Run(title, func(t *testing.T) {
				if got := contact.SeniorityOf(title); got != level.level {
					t.Errorf("SeniorityOf(%q) = %q, want %q", title, got, level.level)
				}
			})
		}
	}
}

// TestBuiltInLists checks the lists' own shape: names and cities per
// country, romanisations that give an address, .example domains.
func TestBuiltInLists(t *testing.T) {
	for _, c := range countries {
		t.Run(c.code, func(t *testing.T) {
			if len(c.cities) == 0 || len(c.phones) == 0 || len(c.female) == 0 ||
				len(c.male) == 0 || len(c.surnames) == 0 {
				t.Fatalf("a list is empty: %+v", c)
			}
			var names []name
			for _, s := range append(c.female, c.male...) {
				names = append(names, parseName(s))
			}
			for _, s := range c.surnames {
				m, f := parseSurname(s)
				names = append(names, m, f)
			}
			for _, n := range names {
				if asciiFold(n.latin) == "" {
					t.Errorf("%q has no romanisation", n.native)
				}
				if firstLetterScript(n.native) != "Latin" && n.latin == n.native {
					t.Errorf("%q is not in Latin script and has no romanisation",
						n.native)
				}
			}
		})
	}
	for _, co := range companies {
		if _, err := matchkey.Email("x@" + co.domain); err != nil ||
			!strings.HasSuffix(co.domain, ".example") {
			t.Errorf("company %q: domain %q is not a valid .example domain (%v)",
				co.name, co.domain, err)
		}
	}
}

func TestASCIIFold(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Zoë", "zoe"},
		{"Ångström", "angstrom"},
		{"Søren", "soren"},
		{"Kjærgaard", "kjaergaard"},
		{"Łukasz", "lukasz"},
		{"Weiß", "weiss"},
		{"Ñíguez", "niguez"},
		{"O'Connor", "oconnor"},
		{"Ó Súilleabháin", "o-suilleabhain"},
		{"Al Mansoori", "al-mansoori"},
		{"Jean--Luc ", "jean-luc"},
		{" -Anne- ", "anne"},
		{"Иванов", ""},
		{"山田", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := asciiFold(tc.in); got != tc.want {
				t.Errorf("asciiFold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestEmailSetUnique(t *testing.T) {
	long := strings.Repeat("a", 70)
	tests := []struct {
		name  string
		taken []string
		local string
		want  string
	}{
		{"free", nil, "ann.lee", "ann.lee@x.example"},
		{"taken once", []string{"ann.lee@x.example"}, "ann.lee", "ann.lee2@x.example"},
		{"taken twice", []string{"ann.lee@x.example", "ann.lee2@x.example"}, "ann.lee",
			"ann.lee3@x.example"},
		{"taken in capitals", []string{"Ann.Lee@X.example"}, "ann.lee",
			"ann.lee2@x.example"},
		{"too long", nil, long, strings.Repeat("a", maxLocal) + "@x.example"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newEmailSet()
			for _, a := range tc.taken {
				s.add(a)
			}
			got := s.unique(tc.local, "x.example")
			if got != tc.want {
				t.Errorf("unique(%q) = %q, want %q", tc.local, got, tc.want)
			}
			if _, err := matchkey.Email(got); err != nil {
				t.Errorf("matchkey.Email(%q): %v", got, err)
			}
			if !s[got] {
				t.Errorf("unique(%q) did not record %q as taken", tc.local, got)
			}
		})
	}
}
