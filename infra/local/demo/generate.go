package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/unicode/norm"

	"github.com/immagnify/immagnify/internal/contact"
)

// DemoPeople returns the fixed demo contacts that the README tells users to
// try; Generate always puts them first. Each call returns a new slice.
func DemoPeople() []contact.Candidate {
	return []contact.Candidate{
		{
			FirstName: "Zoë", LastName: "Ångström",
			Email: "zoe.angstrom@northwind-traders.example", Phone: "+46 8 501 234 56",
			Title: "Chief Privacy Officer", Company: "Northwind Traders",
			CompanyDomain: "northwind-traders.example", City: "Stockholm", Country: "SE",
			Source: demoSource(contact.PublicWeb, "Company website",
				"https://www.northwind-traders.example/about/team", "2025-03-14T09:30:00Z"),
		},
		{
			FirstName: "花子", LastName: "山田",
			Email: "hanako.yamada@sakura-logistics.example", Phone: "03-5555-0123",
			Title: "Head of Procurement", Company: "Sakura Logistics",
			CompanyDomain: "sakura-logistics.example", City: "東京", Country: "JP",
			Source: demoSource(contact.Partner, "Lumen Data partner feed",
				"https://feeds.lumen-data.example/v2/contacts", "2025-06-02T14:00:00Z"),
		},
		{
			FirstName: "ليلى", LastName: "حداد",
			Email: "layla.haddad@desert-rose-trading.example", Phone: "+971 4 321 0987",
			Title: "Director of Partnerships", Company: "Desert Rose Trading",
			CompanyDomain: "desert-rose-trading.example", City: "دبي", Country: "AE",
			Source: demoSource(contact.Community, "Community contribution",
				"https://community.immagnify.example/contributions", "2025-09-21T08:15:00Z"),
		},
		{
			FirstName: "Олена", LastName: "Коваленко",
			Email: "olena.kovalenko@dnipro-agro.example", Phone: "044 234 56 78",
			Title: "Senior Data Engineer", Company: "Dnipro Agro",
			CompanyDomain: "dnipro-agro.example", City: "Київ", Country: "UA",
			Source: demoSource(contact.PublicWeb, "Conference speaker page",
				"https://events.example/b2b-summit-2025/speakers", "2025-11-05T16:45:00Z"),
		},
		{
			FirstName: "Łukasz", LastName: "Wiśniewski",
			Email: "lukasz.wisniewski@wisla-robotics.example", Phone: "+48 22 512 34 56",
			Title: "Sales Manager", Company: "Wisła Robotics",
			CompanyDomain: "wisla-robotics.example", City: "Kraków", Country: "PL",
			Source: demoSource(contact.Partner, "TradeFair lead exchange",
				"https://leads.tradefair.example/export", "2026-01-19T10:00:00Z"),
		},
		{
			FirstName: "Søren", LastName: "Kjærgaard",
			Email: "soren.kjaergaard@nordlys-bank.example", Phone: "33 12 34 56",
			Title: "VP of Engineering", Company: "Nordlys Bank",
			CompanyDomain: "nordlys-bank.example", City: "København", Country: "DK",
			Source: demoSource(contact.PublicWeb, "Press release",
				"https://www.nordlys-bank.example/press", "2026-04-08T12:20:00Z"),
		},
		{
			FirstName: "Sam", LastName: "Taylor",
			Email: "sam.taylor@kestrel-payments.example", Phone: "(312) 555-0142",
			Title: "Account Executive", Company: "Kestrel Payments",
			CompanyDomain: "kestrel-payments.example", City: "Chicago", Country: "US",
			Source: demoSource(contact.Community, "Browser extension capture",
				"https://community.immagnify.example/captures", "2026-07-30T07:05:00Z"),
		},
	}
}

// demoSource is the source of a demo person's details, collected at an
// RFC 3339 time.
func demoSource(kind contact.SourceKind, name, url, at string) contact.Source {
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		panic("demo: bad fixed date " + at)
	}
	return contact.Source{Kind: kind, Name: name, URL: url, CollectedAt: t}
}

// Generate returns n made-up contacts, the same for the same n and seed. The
// first are DemoPeople (all of them when n allows); the rest come from the
// built-in lists of names, companies, titles and sources. Every email is
// unique, under a .example domain, and every phone is valid for the
// contact's country. n <= 0 gives none.
func Generate(n int, seed int64) []contact.Candidate {
	if n <= 0 {
		return nil
	}
	out := make([]contact.Candidate, 0, n)
	emails := newEmailSet()
	for _, p := range DemoPeople() {
		if len(out) == n {
			return out
		}
		emails.add(p.Email)
		out = append(out, p)
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x64656d6f)) // "demo"
	for len(out) < n {
		out = append(out, generateOne(r, len(out), emails))
	}
	return out
}

// Bounds of the collected-at dates of generated contacts.
var (
	collectedFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	collectedTo   = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
)

// generateOne makes up the i-th contact.
func generateOne(r *rand.Rand, i int, emails emailSet) contact.Candidate {
	c := countries[r.IntN(len(countries))]

	// A name, with the surname in the form for the first name's gender.
	female := r.IntN(2) == 0
	given := c.male
	if female && len(c.female) > 0 || len(c.male) == 0 {
		given = c.female
	}
	first := parseName(pick(r, given))
	masc, fem := parseSurname(pick(r, c.surnames))
	last := masc
	if female {
		last = fem
	}

	// An employer at home or a global one, and an address there.
	var employers []company
	for _, co := range companies {
		if co.home == "" || co.home == c.code {
			employers = append(employers, co)
		}
	}
	co := employers[r.IntN(len(employers))]
	local := foldJoin(".", first.latin, last.latin)
	if r.IntN(5) == 0 {
		if f := asciiFold(first.latin); f != "" {
			local = foldJoin(".", f[:1], last.latin)
		}
	}
	if local == "" {
		local = "p" + strconv.Itoa(i)
	}

	src := sources[r.IntN(len(sources))]
	span := collectedTo.Sub(collectedFrom)
	collected := collectedFrom.Add(time.Duration(r.Int64N(int64(span))))
	return contact.Candidate{
		FirstName:     first.native,
		LastName:      last.native,
		Email:         emails.unique(local, co.domain),
		Phone:         randomPhone(r, c),
		Title:         randomTitle(r),
		Company:       co.name,
		CompanyDomain: co.domain,
		City:          pick(r, c.cities),
		Country:       c.code,
		Source: contact.Source{
			Kind:        src.kind,
			Name:        src.name,
			URL:         strings.ReplaceAll(src.url, "{domain}", co.domain),
			CollectedAt: collected.Truncate(time.Second),
		},
	}
}

// pick returns a random element of list.
func pick(r *rand.Rand, list []string) string {
	return list[r.IntN(len(list))]
}

// randomTitle draws a seniority by its weight, then a title of that level.
func randomTitle(r *rand.Rand) string {
	total := 0
	for _, t := range titles {
		total += t.weight
	}
	w := r.IntN(total)
	for _, t := range titles {
		if w < t.weight {
			return pick(r, t.titles)
		}
		w -= t.weight
	}
	return pick(r, titles[len(titles)-1].titles)
}

// randomPhone fills one of the country's phone formats with random digits
// until the number is valid, and writes it in a random style.
func randomPhone(r *rand.Rand, c country) string {
	for range 100 {
		num, err := phonenumbers.Parse(fillDigits(r, pick(r, c.phones)), c.code)
		if err == nil && phonenumbers.IsValidNumber(num) {
			return writePhone(num, c.code, r.IntN(phoneStyles))
		}
	}
	// The tests check that every format gives valid numbers; this is a guard.
	return formatPhone(phonenumbers.GetExampleNumberForType(c.code,
		phonenumbers.MOBILE), 0)
}

// fillDigits replaces each x of a phone format with a random digit.
func fillDigits(r *rand.Rand, format string) string {
	b := []byte(format)
	for i, c := range b {
		if c == 'x' {
			b[i] = byte('0' + r.IntN(10))
		}
	}
	return string(b)
}

// writePhone writes a number in a style, or in the international style when
// that style does not parse back to the same number in the region (as with
// Argentina's national mobile format).
func writePhone(num *phonenumbers.PhoneNumber, region string, style int) string {
	want := phonenumbers.Format(num, phonenumbers.E164)
	s := formatPhone(num, style)
	back, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(back) ||
		phonenumbers.Format(back, phonenumbers.E164) != want {
		return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	}
	return s
}

// phoneStyles is how many ways formatPhone can write a number.
const phoneStyles = 5

// formatPhone writes a number in one of the ways people write them:
// international, national, national with dashes, E.164, or international
// with dashes.
func formatPhone(num *phonenumbers.PhoneNumber, style int) string {
	dashed := func(s string) string {
		s = strings.NewReplacer("(", "", ")", "").Replace(s)
		return strings.Join(strings.Fields(s), "-")
	}
	switch style % phoneStyles {
	case 1:
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	case 2:
		return dashed(phonenumbers.Format(num, phonenumbers.NATIONAL))
	case 3:
		return phonenumbers.Format(num, phonenumbers.E164)
	case 4:
		return dashed(phonenumbers.Format(num, phonenumbers.INTERNATIONAL))
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// name is a name as written, and its Latin form for an email address.
type name struct {
	native, latin string
}

// parseName reads "Native/latin", or a Latin-script name alone.
func parseName(s string) name {
	native, latin, ok := strings.Cut(s, "/")
	if !ok {
		latin = native
	}
	return name{native: native, latin: latin}
}

// parseSurname reads "Masculine|Feminine" forms, or one form for both.
func parseSurname(s string) (masc, fem name) {
	m, f, ok := strings.Cut(s, "|")
	if !ok {
		f = m
	}
	return parseName(m), parseName(f)
}

// asciiFold lower-cases a Latin-script name and keeps only ASCII letters and
// digits, with diacritics stripped and letters such as ø and ß spelled out.
// Spaces, hyphens and dots between letters become one hyphen; anything else
// is dropped. A name with no Latin letters folds to "".
func asciiFold(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		spelled, ok := spelledOut[r]
		switch {
		case ok:
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			spelled = string(r)
		case r == ' ' || r == '-' || r == '.' || r == '_':
			sep = true
			continue
		default:
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteString(spelled)
	}
	return b.String()
}

// spelledOut holds the lower-case Latin letters that do not decompose into
// an ASCII letter and a diacritic.
var spelledOut = map[rune]string{
	'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŋ': "ng",
}

// foldJoin folds each part and joins the non-empty ones with sep.
func foldJoin(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if f := asciiFold(p); f != "" {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, sep)
}

// maxLocal is the longest local part, before a number that makes it unique.
const maxLocal = 48

// emailSet hands out addresses that were not handed out before.
type emailSet map[string]bool

func newEmailSet() emailSet { return emailSet{} }

// add records an address as taken.
func (s emailSet) add(addr string) { s[strings.ToLower(addr)] = true }

// unique returns local@domain, or local2@domain, local3@domain and so on,
// whichever is first not taken, and records it as taken.
func (s emailSet) unique(local, domain string) string {
	// Keep the local part well under the 64 octets an address allows.
	if len(local) > maxLocal {
		local = strings.TrimRight(local[:maxLocal], ".-")
	}
	addr := strings.ToLower(local + "@" + domain)
	for n := 2; s[addr]; n++ {
		addr = strings.ToLower(local + strconv.Itoa(n) + "@" + domain)
	}
	s[addr] = true
	return addr
}
