package contact

import (
	"regexp"
	"strings"
)

// Seniority is the level of a job title.
type Seniority string

// The seniority levels, highest first.
const (
	CLevel   Seniority = "c_level"
	VP       Seniority = "vp"
	Director Seniority = "director"
	Manager  Seniority = "manager"
	Senior   Seniority = "senior"
	Entry    Seniority = "entry"
)

var seniorityRules = []struct {
	level Seniority
	re    *regexp.Regexp
}{
	{CLevel, regexp.MustCompile(`\b(chief|ceo|cto|cfo|coo|cio|cmo|cso|cpo|cdo|president|founder|owner)\b`)},
	{VP, regexp.MustCompile(`\b(vice president|vp|svp|evp|head of)\b`)},
	{Director, regexp.MustCompile(`\b(director|principal)\b`)},
	{Manager, regexp.MustCompile(`\b(manager|lead|supervisor)\b`)},
	{Senior, regexp.MustCompile(`\b(senior|sr\.?|staff)\b`)},
}

// SeniorityOf infers the level of a job title; a title that names no level is
// entry level, and an empty title has none.
func SeniorityOf(title string) Seniority {
	t := strings.ToLower(strings.TrimSpace(title))
	if t == "" {
		return ""
	}
	// "Vice President" contains "president": test the VP rule first for it.
	if seniorityRules[1].re.MatchString(t) {
		return VP
	}
	for _, r := range seniorityRules {
		if r.re.MatchString(t) {
			return r.level
		}
	}
	return Entry
}
