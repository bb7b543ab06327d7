package matchkey

import "testing"

// Package-level sinks keep the compiler from dropping benchmarked calls.
var (
	sinkKey string
	sinkErr error
)

func BenchmarkEmail(b *testing.B) {
	for _, in := range []struct{ name, addr string }{
		{"ascii", "john.doe@example.com"},
		{"gmail", "  John.Doe+news@GMail.com "},
		{"idn", "info@Bücher.example"},
	} {
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				sinkKey, sinkErr = Email(in.addr)
			}
		})
	}
}

func BenchmarkPhone(b *testing.B) {
	for _, in := range []struct{ name, raw, region string }{
		{"international", "+49 151 23456789", "DE"},
		{"national", "(201) 555-0123", "US"},
	} {
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				sinkKey, sinkErr = Phone(in.raw, in.region)
			}
		})
	}
}

func BenchmarkName(b *testing.B) {
	for _, in := range []struct{ name, first, last string }{
		{"ascii", "John", "Doe"},
		{"latin", "Søren", "MÜLLER-Straße"},
		{"cyrillic", "Дмитрий", "Иванов"},
	} {
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				sinkKey = Name(in.first, in.last)
			}
		})
	}
}

func BenchmarkHasher(b *testing.B) {
	h, err := NewHasher(make([]byte, MinHashKeyLen))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sinkKey = h.Email("johndoe@gmail.com")
	}
}
