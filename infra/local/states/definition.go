package states

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// The state types this engine runs.
const (
	typeTask    = "Task"
	typePass    = "Pass"
	typeWait    = "Wait"
	typeChoice  = "Choice"
	typeSucceed = "Succeed"
	typeFail    = "Fail"
)

// maxSeconds is the largest number of seconds ASL accepts in a timeout.
const maxSeconds = 99999999

// A definition is a parsed and validated state machine.
type definition struct {
	startAt string
	states  map[string]*state
	timeout int // machine TimeoutSeconds; 0 when unset
}

// A state is one parsed state of a definition. Paths that may be null are
// nil when the definition gave null.
type state struct {
	name string
	typ  string
	next string
	end  bool

	inputPath      *path
	outputPath     *path
	resultPath     *path
	parameters     template
	resultSelector template
	result         any
	hasResult      bool

	task  *taskSpec
	retry []retrier
	catch []catcher
	wait  waitSpec

	choices     []*choiceRule
	defaultNext string

	errorName string
	cause     string
	errorPath *path
	causePath *path
}

// The Task resources this engine runs.
const (
	resourceLambda         = "lambda"
	resourceLambdaInvoke   = "lambda:invoke"
	resourceLambdaCallback = "lambda:invoke.waitForTaskToken"
)

// A taskSpec holds the fields particular to a Task state.
type taskSpec struct {
	resource      string
	kind          string
	function      string // for a Lambda ARN resource
	timeout       int
	timeoutPath   *path
	heartbeat     int
	heartbeatPath *path
}

// A retrier is one entry of a Retry field.
type retrier struct {
	errorEquals []string
	interval    int
	maxAttempts int
	backoffRate float64
	maxDelay    int // 0 when unset
	fullJitter  bool
}

// A catcher is one entry of a Catch field.
type catcher struct {
	errorEquals []string
	next        string
	resultPath  *path
}

// A waitSpec holds the one field that says how long a Wait state waits.
type waitSpec struct {
	seconds       int
	secondsPath   *path
	timestamp     time.Time
	timestampPath *path
}

// stateFields lists the fields each state type accepts.
var stateFields = map[string][]string{
	typeTask: {"Next", "End", "InputPath", "OutputPath", "Parameters",
		"ResultSelector", "ResultPath", "Retry", "Catch", "Resource",
		"TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
		"HeartbeatSecondsPath"},
	typePass: {"Next", "End", "InputPath", "OutputPath", "Parameters", "Result",
		"ResultPath"},
	typeWait: {"Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath",
		"Timestamp", "TimestampPath"},
	typeChoice:  {"InputPath", "OutputPath", "Choices", "Default"},
	typeSucceed: {"InputPath", "OutputPath"},
	typeFail:    {"Error", "Cause", "ErrorPath", "CausePath"},
}

// parseDefinition parses an ASL document and checks everything the engine
// relies on, refusing by name any construct it does not run.
func parseDefinition(b []byte) (*definition, error) {
	top, err := parseObject(b, "definition")
	if err != nil {
		return nil, err
	}
	if err := top.allow("StartAt", "States", "Comment", "Version",
		"TimeoutSeconds", "QueryLanguage"); err != nil {
		return nil, err
	}
	if err := top.queryLanguage(); err != nil {
		return nil, err
	}
	def := &definition{states: map[string]*state{}}
	if def.startAt, err = top.requiredString("StartAt"); err != nil {
		return nil, err
	}
	if def.timeout, _, err = top.seconds("TimeoutSeconds"); err != nil {
		return nil, err
	}
	raw, ok := top.fields["States"]
	if !ok {
		return nil, errors.New(`definition: field "States" is required`)
	}
	var states map[string]json.RawMessage
	if err := json.Unmarshal(raw, &states); err != nil || states == nil {
		return nil, errors.New(`definition: field "States" must be an object`)
	}
	for _, name := range sortedKeys(states) {
		st, err := parseState(name, states[name])
		if err != nil {
			return nil, err
		}
		def.states[name] = st
	}
	if err := def.checkTransitions(); err != nil {
		return nil, err
	}
	return def, nil
}

// parseState parses one state.
func parseState(name string, b json.RawMessage) (*state, error) {
	if name == "" || len([]rune(name)) > 80 {
		return nil, fmt.Errorf("state %q: a state name has 1 to 80 characters", name)
	}
	o, err := parseObject(b, fmt.Sprintf("state %q", name))
	if err != nil {
		return nil, err
	}
	st := &state{name: name}
	if st.typ, err = o.requiredString("Type"); err != nil {
		return nil, err
	}
	allowed, ok := stateFields[st.typ]
	if !ok {
		return nil, fmt.Errorf("%s: type %q is not supported", o.where, st.typ)
	}
	if err := o.allow(append([]string{"Type", "Comment", "QueryLanguage"},
		allowed...)...); err != nil {
		return nil, err
	}
	if err := o.queryLanguage(); err != nil {
		return nil, err
	}
	if err := st.parseCommon(o); err != nil {
		return nil, err
	}
	switch st.typ {
	case typeTask:
		err = st.parseTask(o)
	case typePass:
		if raw, ok := o.fields["Result"]; ok {
			st.hasResult = true
			st.result, err = decodeJSON(raw)
		}
	case typeWait:
		err = st.parseWait(o)
	case typeChoice:
		err = st.parseChoice(o)
	case typeFail:
		err = st.parseFail(o)
	}
	return st, err
}

// parseCommon parses the transition and the input and output fields.
func (st *state) parseCommon(o object) error {
	var err error
	if st.next, _, err = o.string("Next"); err != nil {
		return err
	}
	if st.end, _, err = o.boolean("End"); err != nil {
		return err
	}
	if slices.Contains(stateFields[st.typ], "Next") {
		if (st.next == "") == !st.end {
			return fmt.Errorf("%s: exactly one of \"Next\" and \"End\": true "+
				"is required", o.where)
		}
	}
	if st.inputPath, err = o.path("InputPath", rootPath); err != nil {
		return err
	}
	if st.outputPath, err = o.path("OutputPath", rootPath); err != nil {
		return err
	}
	if st.resultPath, err = o.resultPath("ResultPath"); err != nil {
		return err
	}
	if st.parameters, err = o.template("Parameters"); err != nil {
		return err
	}
	st.resultSelector, err = o.template("ResultSelector")
	return err
}

// parseTask parses the fields of a Task state.
func (st *state) parseTask(o object) error {
	t := &taskSpec{}
	st.task = t
	var err error
	if t.resource, err = o.requiredString("Resource"); err != nil {
		return err
	}
	if err := t.parseResource(o.where, st.parameters); err != nil {
		return err
	}
	if t.timeout, t.timeoutPath, err = o.secondsOrPath("TimeoutSeconds"); err != nil {
		return err
	}
	if t.heartbeat, t.heartbeatPath, err = o.secondsOrPath("HeartbeatSeconds"); err != nil {
		return err
	}
	if t.timeout > 0 && t.heartbeat > 0 && t.heartbeat >= t.timeout {
		return fmt.Errorf("%s: HeartbeatSeconds must be smaller than TimeoutSeconds",
			o.where)
	}
	if st.retry, err = o.retriers(); err != nil {
		return err
	}
	st.catch, err = o.catchers()
	return err
}

// lambdaParameters lists the Parameters fields of the lambda:invoke
// integrations this engine passes on.
var lambdaParameters = []string{"FunctionName", "Payload"}

// parseResource recognises the Lambda resources and checks their
// Parameters.
func (t *taskSpec) parseResource(where string, params template) error {
	if strings.HasPrefix(t.resource, "arn:aws:lambda:") {
		parts := strings.Split(t.resource, ":")
		if len(parts) < 7 || len(parts) > 8 || parts[5] != "function" || parts[6] == "" {
			return fmt.Errorf("%s: resource %q is not a Lambda function ARN",
				where, t.resource)
		}
		t.kind, t.function = resourceLambda, parts[6]
		return nil
	}
	switch t.resource {
	case "arn:aws:states:::lambda:invoke":
		t.kind = resourceLambdaInvoke
	case "arn:aws:states:::lambda:invoke.waitForTaskToken":
		t.kind = resourceLambdaCallback
	default:
		return fmt.Errorf("%s: resource %q is not supported", where, t.resource)
	}
	obj, ok := params.(objectTemplate)
	if !ok {
		return fmt.Errorf("%s: resource %q needs Parameters with FunctionName",
			where, t.resource)
	}
	hasFunction := false
	for _, f := range obj {
		if !slices.Contains(lambdaParameters, f.name) {
			return fmt.Errorf("%s: Parameters field %q is not supported", where, f.name)
		}
		hasFunction = hasFunction || f.name == "FunctionName"
	}
	if !hasFunction {
		return fmt.Errorf("%s: Parameters needs FunctionName", where)
	}
	if t.kind == resourceLambdaCallback && !references(params, "$$.Task.Token") {
		return fmt.Errorf("%s: Parameters must pass $$.Task.Token to the function",
			where)
	}
	return nil
}

// parseWait parses the fields of a Wait state: exactly one of Seconds,
// SecondsPath, Timestamp and TimestampPath.
func (st *state) parseWait(o object) error {
	n := 0
	for _, f := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
		if _, ok := o.fields[f]; ok {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("%s: exactly one of Seconds, SecondsPath, Timestamp "+
			"and TimestampPath is required", o.where)
	}
	var err error
	w := &st.wait
	if _, ok := o.fields["Seconds"]; ok {
		if w.seconds, err = o.integer("Seconds", 0, maxSeconds); err != nil {
			return err
		}
	}
	if w.secondsPath, err = o.path("SecondsPath", nil); err != nil {
		return err
	}
	if w.timestampPath, err = o.path("TimestampPath", nil); err != nil {
		return err
	}
	s, ok, err := o.string("Timestamp")
	if err != nil || !ok {
		return err
	}
	if w.timestamp, ok = parseTimestamp(s); !ok {
		return fmt.Errorf("%s: Timestamp %q is not an RFC 3339 timestamp", o.where, s)
	}
	return nil
}

// parseFail parses the fields of a Fail state.
func (st *state) parseFail(o object) error {
	var err error
	for _, f := range []struct {
		name, pathName string
		value          *string
		path           **path
	}{
		{"Error", "ErrorPath", &st.errorName, &st.errorPath},
		{"Cause", "CausePath", &st.cause, &st.causePath},
	} {
		_, hasValue := o.fields[f.name]
		_, hasPath := o.fields[f.pathName]
		if hasValue && hasPath {
			return fmt.Errorf("%s: %s and %s exclude each other", o.where,
				f.name, f.pathName)
		}
		if *f.value, _, err = o.string(f.name); err != nil {
			return err
		}
		if *f.path, err = o.path(f.pathName, nil); err != nil {
			return err
		}
	}
	return nil
}

// checkTransitions checks that StartAt and every Next name a state, and
// that every state can be reached.
func (d *definition) checkTransitions() error {
	if _, ok := d.states[d.startAt]; !ok {
		return fmt.Errorf("StartAt %q is not a state", d.startAt)
	}
	reached := map[string]bool{d.startAt: true}
	queue := []string{d.startAt}
	for len(queue) > 0 {
		st := d.states[queue[0]]
		queue = queue[1:]
		for _, t := range st.targets() {
			if _, ok := d.states[t.next]; !ok {
				return fmt.Errorf("state %q: %s %q is not a state", st.name, t.field, t.next)
			}
			if !reached[t.next] {
				reached[t.next] = true
				queue = append(queue, t.next)
			}
		}
	}
	for _, name := range sortedKeys(d.states) {
		if !reached[name] {
			return fmt.Errorf("state %q cannot be reached from StartAt", name)
		}
	}
	return nil
}

// A transition is a state name that a field of another state points to.
type transition struct{ field, next string }

// targets lists the states st can move to.
func (st *state) targets() []transition {
	var ts []transition
	if st.next != "" {
		ts = append(ts, transition{"Next", st.next})
	}
	if st.defaultNext != "" {
		ts = append(ts, transition{"Default", st.defaultNext})
	}
	for _, c := range st.choices {
		ts = append(ts, transition{"Choices Next", c.next})
	}
	for _, c := range st.catch {
		ts = append(ts, transition{"Catch Next", c.next})
	}
	return ts
}

// An object is a JSON object of the definition, with where it stands for
// error messages.
type object struct {
	where  string
	fields map[string]json.RawMessage
}

// parseObject decodes b as a JSON object.
func parseObject(b []byte, where string) (object, error) {
	o := object{where: where}
	if err := json.Unmarshal(b, &o.fields); err != nil || o.fields == nil {
		return o, fmt.Errorf("%s: must be a JSON object", where)
	}
	return o, nil
}

// allow refuses the first field, in name order, that is not in names.
func (o object) allow(names ...string) error {
	for _, k := range sortedKeys(o.fields) {
		if !slices.Contains(names, k) {
			return fmt.Errorf("%s: field %q is not supported", o.where, k)
		}
	}
	return nil
}

// queryLanguage refuses any QueryLanguage but JSONPath.
func (o object) queryLanguage() error {
	ql, ok, err := o.string("QueryLanguage")
	if err != nil || !ok || ql == "JSONPath" {
		return err
	}
	return fmt.Errorf("%s: QueryLanguage %s is not supported", o.where, ql)
}

// string reads an optional string field.
func (o object) string(name string) (string, bool, error) {
	raw, ok := o.fields[name]
	if !ok {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, fmt.Errorf("%s: field %q must be a string", o.where, name)
	}
	return s, true, nil
}

// requiredString reads a string field that must be present and not empty.
func (o object) requiredString(name string) (string, error) {
	s, _, err := o.string(name)
	if err == nil && s == "" {
		err = fmt.Errorf("%s: field %q is required", o.where, name)
	}
	return s, err
}

// boolean reads an optional boolean field.
func (o object) boolean(name string) (bool, bool, error) {
	raw, ok := o.fields[name]
	if !ok {
		return false, false, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return false, false, fmt.Errorf("%s: field %q must be a boolean", o.where, name)
	}
	return b, true, nil
}

// number reads an optional number field.
func (o object) number(name string) (float64, bool, error) {
	raw, ok := o.fields[name]
	if !ok {
		return 0, false, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, false, fmt.Errorf("%s: field %q must be a number", o.where, name)
	}
	return f, true, nil
}

// integer reads an integer field in [lo, hi].
func (o object) integer(name string, lo, hi int) (int, error) {
	f, _, err := o.number(name)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, fmt.Errorf("%s: field %q must be an integer from %d to %d",
			o.where, name, lo, hi)
	}
	return int(f), nil
}

// seconds reads an optional positive number of seconds.
func (o object) seconds(name string) (int, bool, error) {
	if _, ok := o.fields[name]; !ok {
		return 0, false, nil
	}
	n, err := o.integer(name, 1, maxSeconds)
	return n, err == nil, err
}

// secondsOrPath reads a field of seconds such as TimeoutSeconds and its
// Path variant, which exclude each other.
func (o object) secondsOrPath(name string) (int, *path, error) {
	n, hasN, err := o.seconds(name)
	if err != nil {
		return 0, nil, err
	}
	p, err := o.path(name+"Path", nil)
	if err != nil {
		return 0, nil, err
	}
	if hasN && p != nil {
		return 0, nil, fmt.Errorf("%s: %s and %sPath exclude each other",
			o.where, name, name)
	}
	return n, p, nil
}

// path reads a path field; def is used when the field is absent and nil is
// returned for null.
func (o object) path(name string, def *path) (*path, error) {
	raw, ok := o.fields[name]
	if !ok {
		return def, nil
	}
	if string(raw) == "null" {
		return nil, nil
	}
	s, _, err := o.string(name)
	if err != nil {
		return nil, err
	}
	if fn, ok := intrinsicName(s); ok {
		return nil, fmt.Errorf("%s: field %q: intrinsic function %s is not supported",
			o.where, name, fn)
	}
	p, err := parsePath(s)
	if err != nil {
		return nil, fmt.Errorf("%s: field %q: %w", o.where, name, err)
	}
	return p, nil
}

// resultPath reads a ResultPath, which must name a node of the data by
// field names only.
func (o object) resultPath(name string) (*path, error) {
	p, err := o.path(name, rootPath)
	if err != nil || p == nil {
		return p, err
	}
	if p.context || p.hasIndex() {
		return nil, fmt.Errorf("%s: field %q: %w %q: only $ and field names "+
			"are supported", o.where, name, errUnsupportedPath, p)
	}
	return p, nil
}

// template reads a payload template field; nil when absent.
func (o object) template(name string) (template, error) {
	raw, ok := o.fields[name]
	if !ok {
		return nil, nil
	}
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: field %q: %w", o.where, name, err)
	}
	if _, isObject := v.(map[string]any); !isObject {
		return nil, fmt.Errorf("%s: field %q must be an object", o.where, name)
	}
	t, err := compileTemplate(v)
	if err != nil {
		return nil, fmt.Errorf("%s: field %q: %w", o.where, name, err)
	}
	return t, nil
}

// retriers parses the Retry field.
func (o object) retriers() ([]retrier, error) {
	items, err := o.list("Retry")
	if err != nil {
		return nil, err
	}
	rs := make([]retrier, 0, len(items))
	for i, it := range items {
		if err := it.allow("ErrorEquals", "IntervalSeconds", "MaxAttempts",
			"BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"); err != nil {
			return nil, err
		}
		r := retrier{interval: 1, maxAttempts: 3, backoffRate: 2}
		if r.errorEquals, err = it.errorEquals(i == len(items)-1); err != nil {
			return nil, err
		}
		if _, ok := it.fields["IntervalSeconds"]; ok {
			if r.interval, err = it.integer("IntervalSeconds", 1, maxSeconds); err != nil {
				return nil, err
			}
		}
		if _, ok := it.fields["MaxAttempts"]; ok {
			if r.maxAttempts, err = it.integer("MaxAttempts", 0, maxSeconds); err != nil {
				return nil, err
			}
		}
		if rate, ok, err := it.number("BackoffRate"); err != nil {
			return nil, err
		} else if ok {
			if rate < 1 {
				return nil, fmt.Errorf("%s: BackoffRate must be at least 1.0", it.where)
			}
			r.backoffRate = rate
		}
		if r.maxDelay, _, err = it.seconds("MaxDelaySeconds"); err != nil {
			return nil, err
		}
		jitter, _, err := it.string("JitterStrategy")
		if err != nil {
			return nil, err
		}
		switch jitter {
		case "", "NONE":
		case "FULL":
			r.fullJitter = true
		default:
			return nil, fmt.Errorf("%s: JitterStrategy %q is not FULL or NONE",
				it.where, jitter)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// catchers parses the Catch field.
func (o object) catchers() ([]catcher, error) {
	items, err := o.list("Catch")
	if err != nil {
		return nil, err
	}
	cs := make([]catcher, 0, len(items))
	for i, it := range items {
		if err := it.allow("ErrorEquals", "Next", "ResultPath", "Comment"); err != nil {
			return nil, err
		}
		var c catcher
		if c.errorEquals, err = it.errorEquals(i == len(items)-1); err != nil {
			return nil, err
		}
		if c.next, err = it.requiredString("Next"); err != nil {
			return nil, err
		}
		if c.resultPath, err = it.resultPath("ResultPath"); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// list reads an optional array of objects, such as Retry or Catch.
func (o object) list(name string) ([]object, error) {
	raw, ok := o.fields[name]
	if !ok {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("%s: field %q must be an array", o.where, name)
	}
	objs := make([]object, len(items))
	for i, b := range items {
		where := fmt.Sprintf("%s: %s[%d]", o.where, name, i)
		var err error
		if objs[i], err = parseObject(b, where); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// errorEquals reads ErrorEquals of a retrier or catcher; States.ALL must be
// alone and in the last one.
func (o object) errorEquals(last bool) ([]string, error) {
	raw, ok := o.fields["ErrorEquals"]
	var names []string
	if ok {
		if err := json.Unmarshal(raw, &names); err != nil {
			return nil, fmt.Errorf("%s: ErrorEquals must be an array of strings", o.where)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: ErrorEquals must name at least one error", o.where)
	}
	if slices.Contains(names, errAll) && (len(names) > 1 || !last) {
		return nil, fmt.Errorf("%s: %s must appear alone and in the last entry",
			o.where, errAll)
	}
	return names, nil
}

// parseTimestamp parses an ASL timestamp: RFC 3339 with an uppercase T and
// a Z or numeric offset.
func parseTimestamp(s string) (time.Time, bool) {
	if strings.ContainsAny(s, "tz") {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// sortedKeys returns the keys of m in order, so messages are stable.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
