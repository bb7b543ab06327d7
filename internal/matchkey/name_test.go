package matchkey

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestFullName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ASCII", "John DOE", "john doe"},
		{"blanks trimmed and collapsed", "  Jean-Luc\t\n  PICARD  ", "jean-luc picard"},
		{"no-break and ideographic spaces", "Anne\u00a0Marie\u3000Dupont",
			"anne marie dupont"},
		{"Danish letters kept", "Ærøskøbing", "ærøskøbing"},
		{"umlaut kept", "MÜLLER", "müller"},
		{"accent not stripped", "Muller", "muller"},
		{"sharp s folds to ss", "Straße", "strasse"},
		{"capital sharp s folds to ss", "STRAẞE", "strasse"},
		{"NFD input gives NFC key", "Zoe\u0308", "zo\u00eb"},
		{"angstrom sign", "\u212bngstr\u00f6m", "\u00e5ngstr\u00f6m"},
		{"Turkish dotted capital I keeps its dot", "İstanbul", "i\u0307stanbul"},
		{"Turkish dotless i kept", "ışık", "ışık"},
		{"Turkish capital I folds to dotted i", "IŞIK", "işik"},
		{"Cyrillic", "Дмитрий ИВАНОВ", "дмитрий иванов"},
		{"Greek final sigma", "ΣΩΚΡΆΤΗΣ", "σωκράτησ"},
		{"Arabic", "  محمد   علي ", "محمد علي"},
		{"CJK", "王  小明", "王 小明"},
		{"Devanagari", "देवनागरी", "देवनागरी"},
		{"Devanagari nukta composition exclusion", "\u0958", "\u0915\u093c"},
		{"Cherokee capital stays capital", "\u13DD", "\u13DD"},
		{"Cherokee small folds to capital", "\uABAD\u13F8", "\u13DD\u13F0"},
		{"empty", "", ""},
		{"blanks only", " \t\n", ""},
		{"invalid UTF-8", "Ana\xffSilva", "ana\ufffdsilva"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FullName(tc.in); got != tc.want {
				t.Errorf("FullName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestFullNameMatches lists pairs of spellings that must share a key and
// pairs that must not.
func TestFullNameMatches(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"umlaut in both cases", "Müller", "MÜLLER", true},
		{"umlaut against plain u", "Müller", "Muller", false},
		{"umlaut against ue", "Müller", "Mueller", false},
		{"NFC against NFD", norm.NFC.String("Renée Çelik"),
			norm.NFD.String("Renée Çelik"), true},
		{"sharp s against ss", "Weiß", "WEISS", true},
		{"Danish letters against their case", "ÆRØSKØBING", "ærøskøbing", true},
		{"Danish ø against o", "Ærøskøbing", "Aeroskobing", false},
		{"Cyrillic case", "ИВАНОВ", "Иванов", true},
		{"Cyrillic against Latin transliteration", "Иванов", "Ivanov", false},
		{"Greek sigmas", "ΟΔΥΣΣΕΥΣ", "οδυσσευς", true},
		{"Greek tonos kept", "Σωκράτης", "Σωκρατης", false},
		{"Turkish İ against i", "İstanbul", "istanbul", false},
		{"Turkish I against ı", "IŞIK", "ışık", false},
		{"Devanagari precomposed against decomposed", "\u0929", "\u0928\u093c", true},
		{"Cherokee cases", "\u13DD\u13A0", "\uABAD\uAB70", true},
		{"Arabic with extra blanks", "محمد علي", " محمد  علي", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ka, kb := FullName(tc.a), FullName(tc.b)
			if got := ka == kb; got != tc.want {
				t.Errorf("FullName(%q) = %q, FullName(%q) = %q: equal %v, want %v",
					tc.a, ka, tc.b, kb, got, tc.want)
			}
		})
	}
}

func TestName(t *testing.T) {
	tests := []struct {
		name        string
		first, last string
		want        string
	}{
		{"both", "Ana", "SILVA", "ana silva"},
		{"blanks around both", "  Ana ", " Silva  ", "ana silva"},
		{"first only", "Ana", "", "ana"},
		{"last only", "", "Silva", "silva"},
		{"neither", " ", "", ""},
		{"compound names", "Jean  Luc", "de la Tour", "jean luc de la tour"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Name(tc.first, tc.last)
			if got != tc.want {
				t.Errorf("Name(%q, %q) = %q, want %q", tc.first, tc.last, got, tc.want)
			}
			if full := FullName(tc.first + " " + tc.last); got != full {
				t.Errorf("Name(%q, %q) = %q, but FullName of both = %q",
					tc.first, tc.last, got, full)
			}
		})
	}
}

// FuzzFullName checks that FullName never panics, returns valid NFC UTF-8
// and is its own key.
func FuzzFullName(f *testing.F) {
	for _, s := range []string{
		"Ærøskøbing", "MÜLLER", "STRAẞE", "İstanbul", "ΟΔΥΣΣΕΥΣ", "Zoe\u0308",
		"\u0958", "ᾼ\u0345", "  a \t b ", "\xff", "0\u13D6", "\uABA6",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		key := FullName(in)
		if !norm.NFC.IsNormalString(key) {
			t.Errorf("FullName(%q) = %q, not NFC", in, key)
		}
		if again := FullName(key); again != key {
			t.Errorf("FullName(%q) = %q, but FullName(%q) = %q", in, key, key, again)
		}
	})
}
