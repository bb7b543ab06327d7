package apigw

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// DefaultRoute is the Path of the catch-all route, which answers requests
// that no other route matches.
const DefaultRoute = "$default"

// Route sends requests that match Method and Path to Function.
type Route struct {
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, or ANY for
	// every method; empty for the $default route.
	Method string
	// Path is in API Gateway syntax: literal segments, whole-segment
	// parameters such as /privacy/requests/{id}, and a greedy parameter
	// as the last segment, such as /x/{proxy+}, which matches one or more
	// segments. DefaultRoute makes a catch-all route.
	Path string
	// Function is the name the Invoker knows the function by.
	Function string
}

// Key returns the route key API Gateway puts in events: "METHOD /path", or
// "$default".
func (r Route) Key() string {
	if r.Path == DefaultRoute {
		return DefaultRoute
	}
	return r.Method + " " + r.Path
}

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}

var paramName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// segment is one segment of a route path.
type segment struct {
	literal string
	param   string // the parameter name, for a {param} or {param+} segment
	greedy  bool
}

// Segment kinds, from the most specific to the least; they rank routes.
const (
	rankLiteral = iota
	rankParam
	rankGreedy
)

func (s segment) rank() int {
	switch {
	case s.greedy:
		return rankGreedy
	case s.param != "":
		return rankParam
	}
	return rankLiteral
}

// route is a validated Route.
type route struct {
	Route
	key  string
	segs []segment
}

// parseRoute validates r.
func parseRoute(r Route) (*route, error) {
	if r.Function == "" {
		return nil, errors.New("no function")
	}
	if r.Path == DefaultRoute {
		if r.Method != "" {
			return nil, fmt.Errorf("the %s route takes no method", DefaultRoute)
		}
		return &route{Route: r, key: DefaultRoute}, nil
	}
	if !slices.Contains(methods, r.Method) {
		return nil, fmt.Errorf("method %q is not one of %s", r.Method,
			strings.Join(methods, ", "))
	}
	if !strings.HasPrefix(r.Path, "/") {
		return nil, fmt.Errorf("path %q does not start with /", r.Path)
	}
	rt := &route{Route: r, key: r.Key()}
	if r.Path == "/" {
		return rt, nil
	}
	seen := map[string]bool{}
	parts := strings.Split(r.Path[1:], "/")
	for i, p := range parts {
		seg, err := parseSegment(p)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", r.Path, err)
		}
		if seg.greedy && i != len(parts)-1 {
			return nil, fmt.Errorf("path %q: greedy parameter {%s+} must be the last segment",
				r.Path, seg.param)
		}
		if seg.param != "" {
			if seen[seg.param] {
				return nil, fmt.Errorf("path %q: parameter %q appears twice", r.Path, seg.param)
			}
			seen[seg.param] = true
		}
		rt.segs = append(rt.segs, seg)
	}
	return rt, nil
}

func parseSegment(p string) (segment, error) {
	if p == "" {
		return segment{}, errors.New("empty segment (// or a trailing /)")
	}
	inner, isParam := strings.CutPrefix(p, "{")
	if !isParam {
		if strings.ContainsAny(p, "{}") {
			return segment{}, fmt.Errorf("segment %q: a parameter must be a whole segment", p)
		}
		return segment{literal: p}, nil
	}
	inner, closed := strings.CutSuffix(inner, "}")
	if !closed {
		return segment{}, fmt.Errorf("segment %q: a parameter must be a whole segment", p)
	}
	name, greedy := strings.CutSuffix(inner, "+")
	if !paramName.MatchString(name) {
		return segment{}, fmt.Errorf("segment %q: bad parameter name", p)
	}
	return segment{param: name, greedy: greedy}, nil
}

// shape is the route's method and path with parameter names left out; two
// routes with the same shape conflict.
func (rt *route) shape() string {
	if rt.key == DefaultRoute {
		return DefaultRoute
	}
	var b strings.Builder
	b.WriteString(rt.Method + " ")
	for _, s := range rt.segs {
		b.WriteString("/")
		switch s.rank() {
		case rankGreedy:
			b.WriteString("{+}")
		case rankParam:
			b.WriteString("{}")
		default:
			b.WriteString(s.literal)
		}
	}
	return b.String()
}

// match reports whether the request path segments match the route's path,
// and returns the path parameters.
func (rt *route) match(segs []string) (map[string]string, bool) {
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, s := range rt.segs {
		if s.greedy {
			rest := strings.Join(segs[min(i, len(segs)):], "/")
			if rest == "" {
				return nil, false
			}
			set(s.param, rest)
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		switch {
		case s.param != "":
			if segs[i] == "" {
				return nil, false
			}
			set(s.param, segs[i])
		case s.literal != segs[i]:
			return nil, false
		}
	}
	return params, len(segs) == len(rt.segs)
}

// moreSpecific reports whether a should win over b when both match: the
// path that is more specific at the first segment where they differ
// (literal, then parameter, then greedy), and then a named method over ANY.
func moreSpecific(a, b *route) bool {
	for i := range min(len(a.segs), len(b.segs)) {
		if ra, rb := a.segs[i].rank(), b.segs[i].rank(); ra != rb {
			return ra < rb
		}
	}
	if len(a.segs) != len(b.segs) {
		// Only a greedy route can match with fewer segments; the longer
		// route matched the extra segments exactly.
		return len(a.segs) > len(b.segs)
	}
	return a.Method != "ANY" && b.Method == "ANY"
}

// splitPath splits a request path into segments; "/" has none.
func splitPath(p string) []string {
	if p == "/" || p == "" {
		return nil
	}
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}
