// Package matchkey derives the normalised matching keys that find a contact in
// the contact database and the keyed hashes that make up a suppression entry.
//
// Every function here only produces keys. The value a person gave is kept as
// given for display; a key is compared, never shown.
//
// # Email
//
// Email trims surrounding blanks, lower-cases the address, strips a "+tag"
// from the local part, converts an internationalised domain to punycode with
// the IDNA lookup profile, ignores dots in the local part at gmail.com, and
// maps googlemail.com to gmail.com so that both match.
//
// It accepts the common, deliverable subset of RFC 5321/5322 addresses, not
// the whole grammar:
//
//   - exactly one "@" and a non-empty local part of at most 64 octets;
//   - the local part is a dot-atom of ASCII atext: letters, digits and
//     !#$%&'*+-/=?^_`{|}~, with dots only between characters. Quoted local
//     parts, comments, folding white space and internationalised (non-ASCII)
//     local parts are rejected: few mail systems deliver them and a contact
//     feed that holds one is more likely broken than exotic;
//   - the domain is a host name with at least one dot: letters, digits and
//     hyphens in labels of 1 to 63 octets (after punycode), no hyphen at either
//     end of a label, an all-digit top-level label is refused (so dotted IPv4
//     addresses are too), and no trailing dot. IP literals ("[1.2.3.4]") are
//     rejected, as are single-label domains such as "user@localhost";
//   - the whole address, with the domain in punycode, is at most 254 octets
//     (and the input at most 1024 octets, a bound on the work per call);
//   - no space or control character anywhere. Only blanks (spaces, tabs and
//     Unicode space separators such as U+00A0) at either end are trimmed; a
//     line break is never trimmed, because it means a field was split wrongly
//     or a header is being injected.
//
// A "+tag" is kept when stripping it would leave an empty or malformed local
// part ("+news@example.com", "a.+news@example.com"), so that the key of a key
// is always the key itself.
//
// # Names
//
// FullName and Name decompose (NFD), apply full Unicode case folding
// (language-independent), recompose (NFC), trim and collapse white space to
// single spaces. No letter is dropped: accents are not stripped and no
// script is transliterated, so "Müller" and "Muller" are different keys while
// "Müller" and "MÜLLER" are the same, and "Straße" matches "STRASSE".
//
// Folding does not know the language. Turkish dotted capital İ (U+0130) folds
// to "i" followed by U+0307 COMBINING DOT ABOVE and dotless ı (U+0131) stays
// ı, so "İstanbul" does not match "istanbul" and "IŞIK" does not match
// "ışık". Matching those needs the contact's language, which a key does not
// carry; we prefer a missed match to a false one. Cherokee folds to its
// capital letters, as Unicode specifies (x/text gets this wrong; see
// fixCherokee).
//
// # Phones
//
// Phone parses with github.com/nyaruka/phonenumbers, the contact's country
// (ISO 3166-1 alpha-2) as the default region, and returns the E.164 form. A
// number that does not parse or is not valid for its region is refused.
//
// # Suppression hashes
//
// A Hasher turns a normalised key into an HMAC-SHA256, hex encoded, with a
// prefix per kind ("email:", "phone:", "name:") so that the same text hashed
// as two kinds never collides. Callers pass keys from Email, Phone and Name,
// never raw values.
package matchkey
