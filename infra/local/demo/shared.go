package demo

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/publicsuffix"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// Files of the shared data pack that FromSharedData reads, relative to its
// folder.
const (
	forenamesFile = "names/common-forenames-by-country.csv"
	surnamesFile  = "names/common-surnames-by-country.csv"
	companiesFile = "companies.csv"
	titlesFile    = "job-titles.txt"
	phonesFile    = "validation/libphonenumber-js-examples.mobile.json"
)

// SharedDataSource is the source name of every contact FromSharedData makes.
const SharedDataSource = "shared-data fixture"

// FromSharedData builds a realistic seed from the shared data pack in dir
// (the project's shared/data folder): up to perCountry people for every
// country that appears in both name lists, each named with the list's
// localized forename and surname (the romanized form where no localized one
// is given), so that every script of the lists appears once perCountry is at
// least 3.
//
// The name lists already spell countries as ISO 3166-1 alpha-2 codes. A
// country is skipped when its code is not two capital letters or the phone
// examples have no valid number for it; with the pack as shipped none is, and XK
// (Kosovo, not an ISO code) appears only in the surname list, so it is never
// paired anyway.
//
// Each person works at a Fortune 1000 company from companies.csv, under the
// company's registrable domain (https://www.stock.walmart.com gives
// walmart.com), and has the address first.last@ that domain, folded to
// lower-case ASCII from the romanized names ("p<n>" when neither has a Latin
// letter). The phone is the country's example mobile number with its last
// digits changed, the title is from job-titles.txt, the city is the
// company's for US people and a large city of the country for the others,
// and the source is public-web, named SharedDataSource.
//
// The people are made up, but the domains are real companies': load these
// contacts into the local stack only, where mail goes to the SES stand-in.
// The result is the same for the same files, perCountry and seed.
func FromSharedData(dir string, perCountry int, seed int64) ([]contact.Candidate, error) {
	if perCountry <= 0 {
		return nil, fmt.Errorf("people per country must be positive, got %d", perCountry)
	}

	// Read the pack.
	forenames, err := readNames(filepath.Join(dir, forenamesFile))
	if err != nil {
		return nil, err
	}
	surnames, err := readNames(filepath.Join(dir, surnamesFile))
	if err != nil {
		return nil, err
	}
	employers, err := readCompanies(filepath.Join(dir, companiesFile))
	if err != nil {
		return nil, err
	}
	jobTitles, err := readLines(filepath.Join(dir, titlesFile))
	if err != nil {
		return nil, err
	}
	examples, err := readPhoneExamples(filepath.Join(dir, phonesFile))
	if err != nil {
		return nil, err
	}

	// Pair names country by country, in code order. A country listed with
	// only one kind of name uses it for both (as in patronymic naming), so
	// that every script of the lists appears.
	var codes []string
	for _, names := range []map[string][]listedName{forenames, surnames} {
		for code := range names {
			if isRegion(code) && validNumber(examples[code], code) &&
				!slices.Contains(codes, code) {
				codes = append(codes, code)
			}
		}
	}
	sort.Strings(codes)
	var out []contact.Candidate
	emails := newEmailSet()
	for _, code := range codes {
		r := rand.New(rand.NewPCG(uint64(seed), stringHash(code)))
		given, family := forenames[code], surnames[code]
		if len(family) == 0 {
			family = given
		}
		if len(given) == 0 {
			given = family
		}
		p := sharedPeople{
			code: code, forenames: given, surnames: family,
			scripts: scriptsByUse(given, family),
		}
		for i := range perCountry {
			out = append(out, p.person(r, i, len(out)+1, employers, jobTitles,
				examples[code], emails))
		}
	}
	return out, nil
}

// sharedPeople makes up the people of one country.
type sharedPeople struct {
	code                string
	forenames, surnames []listedName
	scripts             []string // of both lists, most used first
}

// person makes up the i-th person of the country, the n-th overall.
func (p sharedPeople) person(r *rand.Rand, i, n int, employers []employer,
	jobTitles []string, phoneExample string, emails emailSet) contact.Candidate {
	// Cycle through the scripts so that each appears.
	script := p.scripts[i%len(p.scripts)]
	first := pickInScript(r, p.forenames, script)
	last := pickInScript(r, p.surnames, script)

	co := employers[r.IntN(len(employers))]
	local := foldJoin(".", first.romanized, last.romanized)
	if local == "" {
		local = "p" + strconv.Itoa(n)
	}
	city := bigCity[p.code]
	if p.code == "US" {
		city = co.city
	}
	span := collectedTo.Sub(collectedFrom)
	collected := collectedFrom.Add(time.Duration(r.Int64N(int64(span))))
	return contact.Candidate{
		FirstName:     first.shown(),
		LastName:      last.shown(),
		Email:         emails.unique(local, co.domain),
		Phone:         variedPhone(r, phoneExample, p.code, n),
		Title:         jobTitles[r.IntN(len(jobTitles))],
		Company:       co.name,
		CompanyDomain: co.domain,
		City:          city,
		Country:       p.code,
		Source: contact.Source{
			Kind:        contact.PublicWeb,
			Name:        SharedDataSource,
			URL:         "https://shared-data.example/names/" + strings.ToLower(p.code),
			CollectedAt: collected.Truncate(time.Second),
		},
	}
}

// listedName is one row of a name list.
type listedName struct {
	localized, romanized string
	script               string // of the shown form's first letter
}

// shown is the form to display: the localized one, or else the romanized.
func (n listedName) shown() string {
	if n.localized != "" {
		return n.localized
	}
	return n.romanized
}

// readNames reads a name list into its rows by country code.
func readNames(path string) (map[string][]listedName, error) {
	rows, err := readCSVFile(path, "country", "localized name", "romanized name")
	if err != nil {
		return nil, err
	}
	out := map[string][]listedName{}
	for _, row := range rows {
		n := listedName{localized: row[1], romanized: row[2]}
		if n.shown() == "" {
			continue
		}
		n.script = scriptOf(n.shown())
		out[row[0]] = append(out[row[0]], n)
	}
	return out, nil
}

// scriptsByUse lists the scripts of the names, most used first, ties by
// name.
func scriptsByUse(lists ...[]listedName) []string {
	count := map[string]int{}
	for _, l := range lists {
		for _, n := range l {
			count[n.script]++
		}
	}
	var out []string
	for s := range count {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if count[out[i]] != count[out[j]] {
			return count[out[i]] > count[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// pickInScript picks a name in the script, or in the list's most used
// script when it has none in that one.
func pickInScript(r *rand.Rand, names []listedName, script string) listedName {
	var in []listedName
	for _, n := range names {
		if n.script == script {
			in = append(in, n)
		}
	}
	if len(in) == 0 {
		main := scriptsByUse(names)[0]
		for _, n := range names {
			if n.script == main {
				in = append(in, n)
			}
		}
	}
	return in[r.IntN(len(in))]
}

// scriptNames are the names of Unicode's scripts, sorted so that a look-up
// is deterministic.
var scriptNames = func() []string {
	names := make([]string, 0, len(unicode.Scripts))
	for name := range unicode.Scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}()

// scriptOf names the Unicode script of the first letter of s, or "" when s
// has no letter.
func scriptOf(s string) string {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		for _, name := range scriptNames {
			if unicode.Is(unicode.Scripts[name], r) {
				return name
			}
		}
		return ""
	}
	return ""
}

// employer is a company of companies.csv.
type employer struct {
	name, domain, city string
}

// readCompanies reads the companies, with their names unescaped and their
// websites reduced to registrable domains. A company whose website gives no
// usable domain is left out.
func readCompanies(path string) ([]employer, error) {
	rows, err := readCSVFile(path, "company", "city", "website")
	if err != nil {
		return nil, err
	}
	var out []employer
	for _, row := range rows {
		domain, err := registrableDomain(row[2])
		if err != nil {
			continue
		}
		out = append(out, employer{
			name:   strings.TrimSpace(html.UnescapeString(row[0])),
			domain: domain,
			city:   row[1],
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading %s: no company has a usable website", path)
	}
	return out, nil
}

// registrableDomain reduces a website address such as
// https://www.stock.walmart.com/about to the domain a company registered,
// walmart.com, by the public suffix list.
func registrableDomain(website string) (string, error) {
	website = strings.TrimSpace(website)
	if !strings.Contains(website, "://") {
		website = "https://" + website
	}
	u, err := url.Parse(website)
	if err != nil {
		return "", fmt.Errorf("parsing website: %w", err)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	domain, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", fmt.Errorf("finding registrable domain: %w", err)
	}
	if _, err := matchkey.Email("x@" + domain); err != nil {
		return "", fmt.Errorf("checking domain: %w", err)
	}
	return domain, nil
}

// readCSVFile reads a CSV file with a header (a byte order mark is allowed)
// and returns, for each row, the named columns in the order asked. Header
// names are matched without regard to case.
func readCSVFile(path string, columns ...string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header of %s: %w", filepath.Base(path), err)
	}
	index := make([]int, len(columns))
	for i, c := range columns {
		index[i] = slices.IndexFunc(header, func(h string) bool {
			return strings.EqualFold(strings.TrimSpace(h), c)
		})
		if index[i] < 0 {
			return nil, fmt.Errorf("reading %s: no %q column", filepath.Base(path), c)
		}
	}
	var out [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
		}
		row := make([]string, len(columns))
		for i, at := range index {
			row[i] = strings.TrimSpace(rec[at])
		}
		out = append(out, row)
	}
}

// readLines reads the non-blank lines of a text file.
func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading %s: no lines", filepath.Base(path))
	}
	return out, nil
}

// readPhoneExamples reads the example mobile numbers, national format by
// region.
func readPhoneExamples(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	var out map[string]string
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", filepath.Base(path), err)
	}
	return out, nil
}

// isRegion reports whether code is two capital ASCII letters that the phone
// library knows as a region.
func isRegion(code string) bool {
	for i := range len(code) {
		if len(code) != 2 || code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return phonenumbers.GetCountryCodeForRegion(code) != 0
}

// validNumber reports whether raw is a valid phone number of the region.
func validNumber(raw, region string) bool {
	num, err := phonenumbers.Parse(raw, region)
	return err == nil && phonenumbers.IsValidNumber(num)
}

// variedPhone changes the last three digits of the region's example number
// until it is valid, and writes it in the style numbered i. It falls back to the
// example itself, which the caller checked is valid.
func variedPhone(r *rand.Rand, example, region string, i int) string {
	digits := []byte(example)
	if len(digits) < 6 {
		num, _ := phonenumbers.Parse(example, region)
		return writePhone(num, region, i)
	}
	start := r.IntN(1000)
	for try := range 1000 {
		end := strconv.Itoa(1000 + (start+try*7)%1000)[1:]
		copy(digits[len(digits)-3:], end)
		num, err := phonenumbers.Parse(string(digits), region)
		if err == nil && phonenumbers.IsValidNumber(num) {
			return writePhone(num, region, i)
		}
	}
	num, _ := phonenumbers.Parse(example, region)
	return writePhone(num, region, i)
}

// stringHash turns s into a random stream number.
func stringHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = io.WriteString(h, s)
	return h.Sum64()
}

// bigCity is a large business city of each country in both name lists,
// except the US, whose people take their company's city.
var bigCity = map[string]string{
	"AL": "Tirana", "AM": "Yerevan", "AR": "Buenos Aires", "AT": "Vienna",
	"AU": "Sydney", "AZ": "Baku", "BA": "Sarajevo", "BD": "Dhaka",
	"BE": "Brussels", "BG": "Sofia", "BR": "São Paulo", "BY": "Minsk",
	"CA": "Toronto", "CH": "Zürich", "CL": "Santiago", "CN": "Shanghai",
	"CO": "Bogotá", "CZ": "Prague", "DE": "Frankfurt am Main", "DK": "Copenhagen",
	"EE": "Tallinn", "ES": "Madrid", "FI": "Helsinki", "FO": "Tórshavn",
	"FR": "Paris", "GB": "London", "GE": "Tbilisi", "GR": "Athens",
	"HR": "Zagreb", "HU": "Budapest", "IE": "Dublin", "IL": "Tel Aviv",
	"IN": "Mumbai", "IS": "Reykjavík", "IT": "Milan", "JP": "Tokyo",
	"KR": "Seoul", "KZ": "Almaty", "LT": "Vilnius", "LU": "Luxembourg",
	"LV": "Riga", "MD": "Chișinău", "ME": "Podgorica", "MK": "Skopje",
	"MT": "Valletta", "MX": "Mexico City", "NL": "Amsterdam", "NO": "Oslo",
	"NP": "Kathmandu", "NZ": "Auckland", "PE": "Lima", "PH": "Manila",
	"PL": "Warsaw", "PT": "Lisbon", "PY": "Asunción", "RO": "Bucharest",
	"RS": "Belgrade", "RU": "Moscow", "SI": "Ljubljana", "SK": "Bratislava",
	"SV": "San Salvador", "TR": "Istanbul", "TW": "Taipei", "UA": "Kyiv",
}
