package states

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// A choiceRule is a Choice rule: a boolean combination (And, Or, Not) or a
// comparison of the node at variable with a literal operand or with the node
// at operandPath. Only the rules of the Choices array itself have next.
type choiceRule struct {
	next string

	and []*choiceRule
	or  []*choiceRule
	not *choiceRule

	variable    *path
	op          comparison
	operand     any // string, *big.Rat, bool, time.Time or *regexp.Regexp
	operandPath *path
}

// A comparison describes one comparison operator.
type comparison struct {
	name string
	kind string // "String", "Numeric", "Boolean", "Timestamp", "Is" or "Matches"
	test func(c int) bool
}

// comparisons maps each operator name, without its Path suffix, to how it
// compares.
var comparisons = map[string]comparison{}

func init() {
	orders := map[string]func(int) bool{
		"Equals":            func(c int) bool { return c == 0 },
		"LessThan":          func(c int) bool { return c < 0 },
		"GreaterThan":       func(c int) bool { return c > 0 },
		"LessThanEquals":    func(c int) bool { return c <= 0 },
		"GreaterThanEquals": func(c int) bool { return c >= 0 },
	}
	for _, kind := range []string{"String", "Numeric", "Timestamp"} {
		for suffix, test := range orders {
			comparisons[kind+suffix] = comparison{kind + suffix, kind, test}
		}
	}
	comparisons["BooleanEquals"] = comparison{"BooleanEquals", "Boolean",
		orders["Equals"]}
	comparisons["StringMatches"] = comparison{name: "StringMatches", kind: "Matches"}
	for _, is := range []string{"IsPresent", "IsNull", "IsNumeric", "IsString",
		"IsBoolean", "IsTimestamp"} {
		comparisons[is] = comparison{name: is, kind: "Is"}
	}
}

// parseChoice parses the fields of a Choice state.
func (st *state) parseChoice(o object) error {
	items, err := o.list("Choices")
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return fmt.Errorf("%s: Choices must hold at least one rule", o.where)
	}
	for _, it := range items {
		r, err := parseChoiceRule(it, true)
		if err != nil {
			return err
		}
		st.choices = append(st.choices, r)
	}
	st.defaultNext, _, err = o.string("Default")
	return err
}

// parseChoiceRule parses one rule; top tells whether it is an entry of
// Choices, which must have Next, rather than a rule nested in And, Or or Not,
// which must not.
func parseChoiceRule(o object, top bool) (*choiceRule, error) {
	r := &choiceRule{}
	var err error
	if r.next, _, err = o.string("Next"); err != nil {
		return nil, err
	}
	if top && r.next == "" {
		return nil, fmt.Errorf("%s: a choice rule needs Next", o.where)
	}
	if !top && r.next != "" {
		return nil, fmt.Errorf("%s: a nested choice rule must not have Next", o.where)
	}
	var ops []string
	for _, k := range sortedKeys(o.fields) {
		switch k {
		case "Next", "Comment", "Variable":
		default:
			ops = append(ops, k)
		}
	}
	if len(ops) != 1 {
		return nil, fmt.Errorf("%s: a choice rule needs exactly one operator, "+
			"found %q", o.where, ops)
	}
	op := ops[0]
	switch op {
	case "And", "Or":
		err = r.parseList(o, op)
	case "Not":
		err = r.parseNot(o)
	default:
		err = r.parseComparison(o, op)
	}
	if err != nil {
		return nil, err
	}
	if _, hasVar := o.fields["Variable"]; hasVar != (r.variable != nil) {
		return nil, fmt.Errorf("%s: Variable goes with a comparison operator "+
			"and only with one", o.where)
	}
	return r, nil
}

// parseList parses the rules of And or Or.
func (r *choiceRule) parseList(o object, op string) error {
	items, err := o.list(op)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return fmt.Errorf("%s: %s must hold at least one rule", o.where, op)
	}
	rules := make([]*choiceRule, len(items))
	for i, it := range items {
		if rules[i], err = parseChoiceRule(it, false); err != nil {
			return err
		}
	}
	if op == "And" {
		r.and = rules
	} else {
		r.or = rules
	}
	return nil
}

// parseNot parses the rule of Not.
func (r *choiceRule) parseNot(o object) error {
	inner, err := parseObject(o.fields["Not"], o.where+": Not")
	if err != nil {
		return err
	}
	r.not, err = parseChoiceRule(inner, false)
	return err
}

// parseComparison parses a comparison operator and its operand.
func (r *choiceRule) parseComparison(o object, op string) error {
	name, isPath := strings.CutSuffix(op, "Path")
	cmp, ok := comparisons[name]
	if !ok || (isPath && (cmp.kind == "Is" || cmp.kind == "Matches")) {
		return fmt.Errorf("%s: choice operator %q is not supported", o.where, op)
	}
	r.op = cmp
	var err error
	if r.variable, err = o.path("Variable", nil); err != nil {
		return err
	}
	if r.variable == nil {
		return fmt.Errorf("%s: %s needs a Variable path", o.where, op)
	}
	if isPath {
		if r.operandPath, err = o.path(op, nil); err != nil {
			return err
		}
		if r.operandPath == nil {
			return fmt.Errorf("%s: %s must be a path", o.where, op)
		}
		return nil
	}
	v, err := decodeJSON(o.fields[op])
	if err != nil {
		return fmt.Errorf("%s: %s: %w", o.where, op, err)
	}
	r.operand, ok = literalOperand(cmp, v)
	if !ok {
		return fmt.Errorf("%s: the value of %s is not valid for it", o.where, op)
	}
	return nil
}

// literalOperand converts the literal value of an operator to the type it
// compares with.
func literalOperand(cmp comparison, v any) (any, bool) {
	switch cmp.kind {
	case "String":
		s, ok := v.(string)
		return s, ok
	case "Numeric":
		return toRat(v)
	case "Boolean", "Is":
		b, ok := v.(bool)
		return b, ok
	case "Timestamp":
		s, _ := v.(string)
		return parseTimestamp(s)
	case "Matches":
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		re, err := matchPattern(s)
		return re, err == nil
	}
	return nil, false
}

// matchPattern compiles a StringMatches pattern, where * matches any run of
// characters and a backslash escapes * or another backslash.
func matchPattern(s string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			b.WriteString(".*")
		case '\\':
			if i+1 == len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return nil, fmt.Errorf("invalid escape in %q", s)
			}
			i++
			b.WriteString(regexp.QuoteMeta(s[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(s[i : i+1]))
		}
	}
	b.WriteString(`)$`)
	return regexp.Compile(b.String())
}

// eval evaluates the rule on data. A Variable or operand path that matches
// nothing is a States.Runtime error, except for IsPresent.
func (r *choiceRule) eval(data, ctx any) (bool, *stateError) {
	switch {
	case r.and != nil:
		for _, c := range r.and {
			if ok, err := c.eval(data, ctx); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case r.or != nil:
		for _, c := range r.or {
			if ok, err := c.eval(data, ctx); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case r.not != nil:
		ok, err := r.not.eval(data, ctx)
		return !ok, err
	}
	v, present := r.variable.lookup(data, ctx)
	if r.op.name == "IsPresent" {
		return present == r.operand.(bool), nil
	}
	if !present {
		return false, runtimeError("Invalid path '%s': the choice state's "+
			"condition path references an invalid value", r.variable)
	}
	if r.op.kind == "Is" {
		return isType(r.op.name, v) == r.operand.(bool), nil
	}
	operand := r.operand
	if r.operandPath != nil {
		ov, ok := r.operandPath.lookup(data, ctx)
		if !ok {
			return false, runtimeError("Invalid path '%s': the choice state's "+
				"condition path references an invalid value", r.operandPath)
		}
		if operand, ok = literalOperand(r.op, ov); !ok {
			return false, nil
		}
	}
	return compare(r.op, v, operand), nil
}

// compare applies a comparison to a value; a value of another type than
// the operator compares never matches.
func compare(op comparison, v, operand any) bool {
	switch op.kind {
	case "String":
		s, ok := v.(string)
		return ok && op.test(strings.Compare(s, operand.(string)))
	case "Numeric":
		n, ok := toRat(v)
		return ok && op.test(n.Cmp(operand.(*big.Rat)))
	case "Boolean":
		b, ok := v.(bool)
		return ok && b == operand.(bool)
	case "Timestamp":
		s, _ := v.(string)
		t, ok := parseTimestamp(s)
		return ok && op.test(t.Compare(operand.(time.Time)))
	case "Matches":
		s, ok := v.(string)
		return ok && operand.(*regexp.Regexp).MatchString(s)
	}
	return false
}

// isType answers the Is* type tests.
func isType(name string, v any) bool {
	switch name {
	case "IsNull":
		return v == nil
	case "IsNumeric":
		_, ok := toRat(v)
		return ok
	case "IsString":
		_, ok := v.(string)
		return ok
	case "IsBoolean":
		_, ok := v.(bool)
		return ok
	case "IsTimestamp":
		s, ok := v.(string)
		if !ok {
			return false
		}
		_, ok = parseTimestamp(s)
		return ok
	}
	return false
}

// toRat converts a JSON number to an exact rational.
func toRat(v any) (*big.Rat, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = n.String()
	case float64:
		return new(big.Rat).SetFloat64(n), true
	case int:
		return big.NewRat(int64(n), 1), true
	default:
		return nil, false
	}
	return new(big.Rat).SetString(s)
}
