package states

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A path is a parsed JSONPath of the subset this engine runs: a reference
// path that names one node, written with dot notation ($.a.b), bracket
// notation ($['a'] or $["a"]) and array indexes ($.a[0]). It starts with $
// for the state's data or with $$ for the context object.
type path struct {
	raw     string
	context bool
	steps   []step
}

// A step is one move in a path: into an object's field, or into an array's
// element when index is not negative.
type step struct {
	key   string
	index int
}

// rootPath is "$", the default of InputPath, OutputPath and ResultPath.
var rootPath = &path{raw: "$"}

// errUnsupportedPath marks path syntax that the engine refuses.
var errUnsupportedPath = errors.New("unsupported JSONPath syntax")

// parsePath parses s, refusing JSONPath features beyond reference paths
// (wildcards, filters, slices, unions, deep scan, functions, variables).
func parsePath(s string) (*path, error) {
	p := &path{raw: s}
	rest, ok := strings.CutPrefix(s, "$")
	if !ok {
		return nil, fmt.Errorf("%w %q: a path starts with $", errUnsupportedPath, s)
	}
	if r, ok := strings.CutPrefix(rest, "$"); ok {
		p.context, rest = true, r
	}
	for rest != "" {
		var st step
		var err error
		switch rest[0] {
		case '.':
			st, rest, err = parseDotStep(rest[1:])
		case '[':
			st, rest, err = parseBracketStep(rest[1:])
		default:
			err = errors.New("expected . or [")
		}
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", errUnsupportedPath, s, err)
		}
		p.steps = append(p.steps, st)
	}
	return p, nil
}

// parseDotStep reads a field name written after a dot.
func parseDotStep(s string) (step, string, error) {
	end := strings.IndexAny(s, ".[")
	if end < 0 {
		end = len(s)
	}
	name := s[:end]
	if name == "" {
		return step{}, "", errors.New("empty field name (deep scan is not supported)")
	}
	if i := strings.IndexAny(name, "]*?@()',\"$\\ \t\r\n"); i >= 0 {
		return step{}, "", fmt.Errorf("character %q in a field name", name[i])
	}
	return step{key: name, index: -1}, s[end:], nil
}

// parseBracketStep reads a quoted field name or an array index written in
// brackets; s starts after the opening bracket.
func parseBracketStep(s string) (step, string, error) {
	if s != "" && (s[0] == '\'' || s[0] == '"') {
		q := s[0]
		end := strings.IndexByte(s[1:], q)
		if end < 0 || !strings.HasPrefix(s[end+2:], "]") {
			return step{}, "", errors.New("unterminated bracket")
		}
		name := s[1 : end+1]
		if name == "" || strings.ContainsAny(name, "\\") {
			return step{}, "", fmt.Errorf("field name %q", name)
		}
		return step{key: name, index: -1}, s[end+3:], nil
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return step{}, "", errors.New("unterminated bracket")
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil || n < 0 || strings.HasPrefix(s[:end], "+") {
		return step{}, "", fmt.Errorf("[%s] is not an array index", s[:end])
	}
	return step{index: n}, s[end+1:], nil
}

// String returns the path as written.
func (p *path) String() string { return p.raw }

// lookup finds the node p names in data, or in ctx for a context path. It
// reports whether the node exists.
func (p *path) lookup(data, ctx any) (any, bool) {
	v := data
	if p.context {
		v = ctx
	}
	for _, st := range p.steps {
		if st.index >= 0 {
			arr, ok := v.([]any)
			if !ok || st.index >= len(arr) {
				return nil, false
			}
			v = arr[st.index]
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[st.key]; !ok {
			return nil, false
		}
	}
	return v, true
}

// hasIndex reports whether p steps into an array.
func (p *path) hasIndex() bool {
	for _, st := range p.steps {
		if st.index >= 0 {
			return true
		}
	}
	return false
}

// selectPath applies an InputPath or OutputPath: a null path (nil) gives an
// empty object, otherwise the node must exist.
func selectPath(p *path, field string, data, ctx any) (any, *stateError) {
	if p == nil {
		return map[string]any{}, nil
	}
	v, ok := p.lookup(data, ctx)
	if !ok {
		return nil, runtimeError("Invalid path '%s' in %s: "+
			"the path does not match any node of the input", p, field)
	}
	return v, nil
}

// applyResultPath places result into a copy of input at p, creating the
// missing objects on the way. A null path (nil) keeps the input unchanged.
func applyResultPath(p *path, input, result any) (any, *stateError) {
	if p == nil {
		return input, nil
	}
	if len(p.steps) == 0 {
		return result, nil
	}
	root, ok := deepCopy(input).(map[string]any)
	if !ok {
		return nil, runtimeError("Unable to apply ResultPath '%s': "+
			"the state input is not a JSON object", p)
	}
	obj := root
	for i, st := range p.steps {
		if i == len(p.steps)-1 {
			obj[st.key] = result
			break
		}
		next, exists := obj[st.key]
		if !exists || next == nil {
			child := map[string]any{}
			obj[st.key] = child
			obj = child
			continue
		}
		if obj, ok = next.(map[string]any); !ok {
			return nil, runtimeError("Unable to apply ResultPath '%s': "+
				"field '%s' is not a JSON object", p, st.key)
		}
	}
	return root, nil
}

// deepCopy copies the objects and arrays of a decoded JSON value, so that
// a change to the copy never shows through another reference.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, e := range v {
			c[k] = deepCopy(e)
		}
		return c
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = deepCopy(e)
		}
		return c
	default:
		return v
	}
}

// decodeJSON decodes one JSON value, keeping numbers as json.Number so that
// they pass through the engine unchanged.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

// encodeJSON encodes v without escaping HTML characters, as AWS does.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// A template is a compiled payload template (Parameters, ResultSelector):
// fields whose name ends in ".$" take the value of a path.
type template interface {
	eval(data, ctx any) (any, *stateError)
}

type (
	literalTemplate struct{ v any }
	arrayTemplate   []template
	objectTemplate  []templateField
)

// A templateField is one field of an object template: a path when the
// field was written as "name.$", otherwise a nested template.
type templateField struct {
	name  string
	path  *path
	value template
}

// compileTemplate compiles a decoded payload template. Intrinsic functions
// and unsupported path syntax are refused.
func compileTemplate(v any) (template, error) {
	switch v := v.(type) {
	case map[string]any:
		var obj objectTemplate
		for _, k := range sortedKeys(v) {
			name, isPath := strings.CutSuffix(k, ".$")
			if !isPath {
				t, err := compileTemplate(v[k])
				if err != nil {
					return nil, err
				}
				obj = append(obj, templateField{name: k, value: t})
				continue
			}
			if _, dup := v[name]; dup {
				return nil, fmt.Errorf("fields %q and %q clash", name, k)
			}
			s, ok := v[k].(string)
			if !ok {
				return nil, fmt.Errorf("field %q: the value must be a path string", k)
			}
			if fn, ok := intrinsicName(s); ok {
				return nil, fmt.Errorf("field %q: intrinsic function %s is not supported",
					k, fn)
			}
			p, err := parsePath(s)
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", k, err)
			}
			obj = append(obj, templateField{name: name, path: p})
		}
		return obj, nil
	case []any:
		arr := make(arrayTemplate, len(v))
		for i, e := range v {
			t, err := compileTemplate(e)
			if err != nil {
				return nil, err
			}
			arr[i] = t
		}
		return arr, nil
	default:
		return literalTemplate{v}, nil
	}
}

// intrinsicName reports the name of the intrinsic function s calls, if any.
func intrinsicName(s string) (string, bool) {
	if !strings.HasPrefix(s, "States.") {
		return "", false
	}
	name, _, _ := strings.Cut(s, "(")
	return name, true
}

func (t literalTemplate) eval(_, _ any) (any, *stateError) { return deepCopy(t.v), nil }

func (t arrayTemplate) eval(data, ctx any) (any, *stateError) {
	out := make([]any, len(t))
	for i, e := range t {
		v, err := e.eval(data, ctx)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (t objectTemplate) eval(data, ctx any) (any, *stateError) {
	out := make(map[string]any, len(t))
	for _, f := range t {
		if f.path == nil {
			v, err := f.value.eval(data, ctx)
			if err != nil {
				return nil, err
			}
			out[f.name] = v
			continue
		}
		v, ok := f.path.lookup(data, ctx)
		if !ok {
			return nil, runtimeError("The JSONPath '%s' specified for the field "+
				"'%s.$' could not be found in the input", f.path, f.name)
		}
		out[f.name] = v
	}
	return out, nil
}

// references reports whether the template reads the path raw anywhere.
func references(t template, raw string) bool {
	switch t := t.(type) {
	case objectTemplate:
		for _, f := range t {
			if f.path != nil && f.path.raw == raw {
				return true
			}
			if f.value != nil && references(f.value, raw) {
				return true
			}
		}
	case arrayTemplate:
		for _, e := range t {
			if references(e, raw) {
				return true
			}
		}
	}
	return false
}
