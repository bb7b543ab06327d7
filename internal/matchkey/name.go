package matchkey

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FullName returns the matching key of a name written as one string: NFC,
// case-folded, trimmed, with runs of white space collapsed to one space. No
// letter is dropped or transliterated. Invalid UTF-8 becomes U+FFFD.
func FullName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")

	// Decompose first so that folding sees every combining mark, as Unicode
	// canonical caseless matching does, then recompose. A Caser keeps state,
	// so each call makes its own.
	s = fixCherokee(cases.Fold().String(norm.NFD.String(s)))
	s = norm.NFC.String(s)
	return strings.Join(strings.Fields(s), " ")
}

// fixCherokee maps Cherokee small letters to their capitals, which is what
// Unicode case folding does for Cherokee (the capitals were encoded first).
//
// TODO: drop this once golang.org/x/text/cases folds Cherokee as Unicode
// says (golang/go#46101): it folds capitals to small letters and small
// letters to capitals, so a folded Cherokee name would not be its own key.
func fixCherokee(s string) string {
	if !strings.ContainsFunc(s, isCherokeeSmall) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isCherokeeSmall(r) {
			return unicode.ToUpper(r)
		}
		return r
	}, s)
}

// isCherokeeSmall reports whether r is a Cherokee small letter.
func isCherokeeSmall(r rune) bool {
	return 0x13F8 <= r && r <= 0x13FD || 0xAB70 <= r && r <= 0xABBF
}

// Name returns the matching key of a first and a last name: the FullName key
// of the two joined by a space, so Name("Ana", "Silva") equals
// FullName("ana  SILVA").
func Name(first, last string) string {
	return FullName(first + " " + last)
}
