package dynamo

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// MaxItemSize is the largest item DynamoDB stores, in bytes.
const MaxItemSize = 400 * 1024

// itemSize is the size DynamoDB counts for an item: the UTF-8 length of each
// attribute name plus the size of its value.
func itemSize(item map[string]types.AttributeValue) int {
	n := 0
	for name, v := range item {
		n += len(name) + valueSize(v)
	}
	return n
}

// valueSize follows the rules DynamoDB documents for item sizes; a document
// type costs 3 bytes plus 1 per element besides its contents.
func valueSize(v types.AttributeValue) int {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return len(v.Value)
	case *types.AttributeValueMemberN:
		return numberSize(v.Value)
	case *types.AttributeValueMemberB:
		return len(v.Value)
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberSS:
		n := 0
		for _, s := range v.Value {
			n += len(s)
		}
		return n
	case *types.AttributeValueMemberNS:
		n := 0
		for _, s := range v.Value {
			n += numberSize(s)
		}
		return n
	case *types.AttributeValueMemberBS:
		n := 0
		for _, b := range v.Value {
			n += len(b)
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range v.Value {
			n += 1 + valueSize(e)
		}
		return n
	case *types.AttributeValueMemberM:
		n := 3
		for k, e := range v.Value {
			n += 1 + len(k) + valueSize(e)
		}
		return n
	}
	return 0
}

// numberSize is what DynamoDB stores for a number: 1 byte per two
// significant digits, 1 more, 1 more for a negative number, and 1 more for
// an even count of digits that starts at an even power of ten.
func numberSize(s string) int {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, _ = strconv.Atoi(s[i+1:])
		s = s[:i]
	}
	intPart, fracPart, _ := strings.Cut(s, ".")
	all := intPart + fracPart
	first := strings.IndexFunc(all, func(r rune) bool { return r != '0' })
	if first < 0 {
		return 1 // zero
	}
	exp += len(intPart) - 1 - first
	n := len(strings.TrimRight(all[first:], "0"))
	size := 1 + (n+1)/2
	if n%2 == 0 && exp%2 == 0 {
		size++
	}
	if neg {
		size++
	}
	return size
}
