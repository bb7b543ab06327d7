package states

import (
	"log/slog"
	"strings"
	"testing"
)

func TestRegisterRefuses(t *testing.T) {
	const task = `"Type":"Task","Resource":"arn:aws:lambda:us-east-1:0:function:f"`
	// machine builds a definition whose state A is given and whose state B
	// is a Succeed state.
	machine := func(a string) string {
		return `{"StartAt":"A","States":{"A":{` + a + `},"B":{"Type":"Succeed"}}}`
	}
	tests := []struct {
		name       string
		definition string
		subs       map[string]string
		want       string
	}{
		{"Parallel state", `{"StartAt":"Fan","States":{"Fan":{"Type":"Parallel",` +
			`"Branches":[],"End":true}}}`, nil,
			`state "Fan": type "Parallel" is not supported`},
		{"Map state", machine(`"Type":"Map","ItemsPath":"$.x","Next":"B"`), nil,
			`state "A": type "Map" is not supported`},
		{"unknown field", machine(`"Type":"Pass","ItemsPath":"$.x","Next":"B"`), nil,
			`state "A": field "ItemsPath" is not supported`},
		{"JSONata field", machine(task + `,"Arguments":{},"Next":"B"`), nil,
			`state "A": field "Arguments" is not supported`},
		{"variables", machine(`"Type":"Pass","Assign":{"x":1},"Next":"B"`), nil,
			`state "A": field "Assign" is not supported`},
		{"JSONata machine", `{"QueryLanguage":"JSONata","StartAt":"A","States":` +
			`{"A":{"Type":"Succeed"}}}`, nil, `QueryLanguage JSONata is not supported`},
		{"JSONata state", machine(`"Type":"Pass","QueryLanguage":"JSONata",` +
			`"Next":"B"`), nil, `state "A": QueryLanguage JSONata is not supported`},
		{"intrinsic in Parameters", machine(`"Type":"Pass","Parameters":` +
			`{"m.$":"States.Format('hi {}', $.n)"},"Next":"B"`), nil,
			`intrinsic function States.Format is not supported`},
		{"intrinsic in a path field", machine(task + `,"TimeoutSecondsPath":` +
			`"States.MathAdd($.a, 1)","Next":"B"`), nil,
			`intrinsic function States.MathAdd is not supported`},
		{"deep scan", machine(`"Type":"Pass","InputPath":"$..a","Next":"B"`), nil,
			`field "InputPath": unsupported JSONPath syntax "$..a"`},
		{"wildcard", machine(`"Type":"Pass","Parameters":{"ids.$":"$.items[*].id"},` +
			`"Next":"B"`), nil, `unsupported JSONPath syntax "$.items[*].id"`},
		{"filter", machine(`"Type":"Pass","OutputPath":"$.a[?(@.x)]","Next":"B"`), nil,
			`unsupported JSONPath syntax "$.a[?(@.x)]"`},
		{"variable reference", machine(`"Type":"Pass","InputPath":"$x","Next":"B"`), nil,
			`unsupported JSONPath syntax "$x"`},
		{"array index in ResultPath", machine(`"Type":"Pass","ResultPath":"$.a[0]",` +
			`"Next":"B"`), nil, `field "ResultPath": unsupported JSONPath syntax "$.a[0]"`},
		{"unknown resource", machine(`"Type":"Task","Resource":` +
			`"arn:aws:states:::sqs:sendMessage","Next":"B"`), nil,
			`resource "arn:aws:states:::sqs:sendMessage" is not supported`},
		{"activity resource", machine(`"Type":"Task","Resource":` +
			`"arn:aws:states:us-east-1:0:activity:a","Next":"B"`), nil,
			`is not supported`},
		{"lambda:invoke without FunctionName", machine(`"Type":"Task","Resource":` +
			`"arn:aws:states:::lambda:invoke","Parameters":{"Payload":{}},"Next":"B"`), nil,
			`Parameters needs FunctionName`},
		{"lambda:invoke parameter", machine(`"Type":"Task","Resource":` +
			`"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f",` +
			`"InvocationType":"Event"},"Next":"B"`), nil,
			`Parameters field "InvocationType" is not supported`},
		{"callback without the token", machine(`"Type":"Task","Resource":` +
			`"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":` +
			`{"FunctionName":"f","Payload":{}},"Next":"B"`), nil, `$$.Task.Token`},
		{"heartbeat not below timeout", machine(task + `,"TimeoutSeconds":5,` +
			`"HeartbeatSeconds":5,"Next":"B"`), nil,
			`HeartbeatSeconds must be smaller than TimeoutSeconds`},
		{"missing StartAt state", `{"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}}`,
			nil, `StartAt "Nope" is not a state`},
		{"missing Next state", machine(`"Type":"Pass","Next":"C"`), nil,
			`state "A": Next "C" is not a state`},
		{"missing Catch Next state", machine(task + `,"Catch":[{"ErrorEquals":` +
			`["States.ALL"],"Next":"C"}],"Next":"B"`), nil, `Catch Next "C" is not a state`},
		{"missing Default state", machine(`"Type":"Choice","Choices":[{"Variable":"$.a",` +
			`"IsNull":true,"Next":"B"}],"Default":"C"`), nil, `Default "C" is not a state`},
		{"neither Next nor End", machine(`"Type":"Pass"`), nil,
			`exactly one of "Next" and "End": true is required`},
		{"both Next and End", machine(`"Type":"Pass","Next":"B","End":true`), nil,
			`exactly one of "Next" and "End": true is required`},
		{"End on a Choice", machine(`"Type":"Choice","End":true,"Choices":[]`), nil,
			`field "End" is not supported`},
		{"unreachable state", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},` +
			`"B":{"Type":"Succeed"}}}`, nil, `state "B" cannot be reached`},
		{"States.ALL not alone", machine(task + `,"Retry":[{"ErrorEquals":` +
			`["States.ALL","X"]}],"Next":"B"`), nil, `States.ALL must appear alone`},
		{"States.ALL not last", machine(task + `,"Catch":[{"ErrorEquals":` +
			`["States.ALL"],"Next":"B"},{"ErrorEquals":["X"],"Next":"B"}],"Next":"B"`), nil,
			`States.ALL must appear alone and in the last entry`},
		{"empty ErrorEquals", machine(task + `,"Retry":[{"ErrorEquals":[]}],"Next":"B"`),
			nil, `ErrorEquals must name at least one error`},
		{"BackoffRate below one", machine(task + `,"Retry":[{"ErrorEquals":["X"],` +
			`"BackoffRate":0.5}],"Next":"B"`), nil, `BackoffRate must be at least 1.0`},
		{"choice rule without Next", machine(`"Type":"Choice","Choices":[` +
			`{"Variable":"$.a","IsNull":true}],"Default":"B"`), nil,
			`a choice rule needs Next`},
		{"nested rule with Next", machine(`"Type":"Choice","Choices":[{"Not":` +
			`{"Variable":"$.a","IsNull":true,"Next":"B"},"Next":"B"}]`), nil,
			`a nested choice rule must not have Next`},
		{"unknown choice operator", machine(`"Type":"Choice","Choices":[` +
			`{"Variable":"$.a","StringContains":"x","Next":"B"}]`), nil,
			`choice operator "StringContains" is not supported`},
		{"wrong operand type", machine(`"Type":"Choice","Choices":[` +
			`{"Variable":"$.a","NumericEquals":"1","Next":"B"}]`), nil,
			`the value of NumericEquals is not valid`},
		{"bad timestamp operand", machine(`"Type":"Choice","Choices":[` +
			`{"Variable":"$.a","TimestampEquals":"2024-01-01","Next":"B"}]`), nil,
			`the value of TimestampEquals is not valid`},
		{"Wait with two durations", machine(`"Type":"Wait","Seconds":1,` +
			`"SecondsPath":"$.s","Next":"B"`), nil, `exactly one of Seconds`},
		{"Fail with Error and ErrorPath", machine(`"Type":"Fail","Error":"E",` +
			`"ErrorPath":"$.e"`), nil, `Error and ErrorPath exclude each other`},
		{"missing substitution", machine(`"Type":"Task","Resource":"${Fn}",` +
			`"Next":"B"`), map[string]string{"Other": "x"}, `no substitution for ${Fn}`},
		{"not JSON", `{"StartAt":`, nil, `definition: must be a JSON object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(newFakeInvoker(), Options{Logger: slog.New(slog.DiscardHandler)})
			defer e.Close()
			err := e.Register("m", []byte(tt.definition), tt.subs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Register error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRegisterAccepts(t *testing.T) {
	tests := []struct {
		name       string
		definition string
		subs       map[string]string
	}{
		{"substituted Lambda ARN", `{"StartAt":"A","States":{"A":{"Type":"Task",` +
			`"Resource":"${FnArn}","End":true}}}`,
			map[string]string{"FnArn": "arn:aws:lambda:us-east-1:0:function:f:$LATEST"}},
		{"JSONPath query language", `{"QueryLanguage":"JSONPath","Comment":"c",` +
			`"Version":"1.0","StartAt":"A","States":{"A":{"Type":"Succeed",` +
			`"Comment":"done"}}}`, nil},
		{"bracket notation", `{"StartAt":"A","States":{"A":{"Type":"Pass",` +
			`"InputPath":"$['a b'][\"c\"][2]","End":true}}}`, nil},
		{"a loop through Choice", `{"StartAt":"A","States":{"A":{"Type":"Wait",` +
			`"Seconds":1,"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":` +
			`"$.done","BooleanEquals":true,"Next":"D"}],"Default":"A"},` +
			`"D":{"Type":"Succeed"}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(newFakeInvoker(), Options{Logger: slog.New(slog.DiscardHandler)})
			defer e.Close()
			if err := e.Register("m", []byte(tt.definition), tt.subs); err != nil {
				t.Errorf("Register: %v", err)
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		path  string
		input string
		want  string // the JSON found, or "" when nothing is
	}{
		{"$", `{"a":1}`, `{"a":1}`},
		{"$.a.b", `{"a":{"b":[1]}}`, `[1]`},
		{"$.a-b_c", `{"a-b_c":true}`, `true`},
		{"$['a b'].c", `{"a b":{"c":"x"}}`, `"x"`},
		{`$["q"][1]`, `{"q":[0,{"r":null}]}`, `{"r":null}`},
		{"$.a[1]", `{"a":[0]}`, ``},
		{"$.a.b", `{"a":"text"}`, ``},
		{"$.missing", `{}`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := parsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			data, err := decodeJSON([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if v, ok := p.lookup(data, nil); ok {
				b, _ := encodeJSON(v)
				got = string(b)
			}
			if got != tt.want {
				t.Errorf("lookup = %q, want %q", got, tt.want)
			}
		})
	}
}
