package states

import (
	"testing"
)

func TestChoice(t *testing.T) {
	const input = `{"s":"banana","n":10,"f":2.5,"b":true,"z":null,` +
		`"t":"2024-05-01T12:00:00Z","tz":"2024-05-01T14:00:00+02:00",` +
		`"other":{"s":"cherry","n":10,"b":true,"t":"2024-06-01T00:00:00Z"},` +
		`"pat":"file*.txt","list":[1,"two"]}`
	tests := []struct {
		name string
		rule string
		want string // "yes", "no", or an error name
	}{
		{"StringEquals", `"Variable":"$.s","StringEquals":"banana"`, "yes"},
		{"StringEquals other", `"Variable":"$.s","StringEquals":"apple"`, "no"},
		{"StringEqualsPath", `"Variable":"$.s","StringEqualsPath":"$.other.s"`, "no"},
		{"StringLessThan", `"Variable":"$.s","StringLessThan":"cherry"`, "yes"},
		{"StringLessThanPath", `"Variable":"$.s","StringLessThanPath":"$.other.s"`, "yes"},
		{"StringGreaterThan", `"Variable":"$.s","StringGreaterThan":"cherry"`, "no"},
		{"StringGreaterThanPath", `"Variable":"$.other.s",` +
			`"StringGreaterThanPath":"$.s"`, "yes"},
		{"StringLessThanEquals", `"Variable":"$.s","StringLessThanEquals":"banana"`, "yes"},
		{"StringLessThanEqualsPath", `"Variable":"$.s",` +
			`"StringLessThanEqualsPath":"$.s"`, "yes"},
		{"StringGreaterThanEquals", `"Variable":"$.s",` +
			`"StringGreaterThanEquals":"banana"`, "yes"},
		{"StringGreaterThanEqualsPath", `"Variable":"$.s",` +
			`"StringGreaterThanEqualsPath":"$.other.s"`, "no"},
		{"StringMatches wildcard", `"Variable":"$.s","StringMatches":"b*n*a"`, "yes"},
		{"StringMatches anchored", `"Variable":"$.s","StringMatches":"an*"`, "no"},
		{"StringMatches escaped star", `"Variable":"$.pat","StringMatches":"file\\*.txt"`,
			"yes"},
		{"StringMatches escaped star is literal", `"Variable":"$.s",` +
			`"StringMatches":"banana\\*"`, "no"},
		{"string operator on a number is false", `"Variable":"$.n","StringEquals":"10"`,
			"no"},
		{"NumericEquals", `"Variable":"$.n","NumericEquals":10.0`, "yes"},
		{"NumericEqualsPath", `"Variable":"$.n","NumericEqualsPath":"$.other.n"`, "yes"},
		{"NumericLessThan", `"Variable":"$.f","NumericLessThan":3`, "yes"},
		{"NumericLessThanPath", `"Variable":"$.f","NumericLessThanPath":"$.n"`, "yes"},
		{"NumericGreaterThan", `"Variable":"$.f","NumericGreaterThan":2.5`, "no"},
		{"NumericGreaterThanPath", `"Variable":"$.n","NumericGreaterThanPath":"$.f"`,
			"yes"},
		{"NumericLessThanEquals", `"Variable":"$.f","NumericLessThanEquals":2.5`, "yes"},
		{"NumericLessThanEqualsPath", `"Variable":"$.n",` +
			`"NumericLessThanEqualsPath":"$.f"`, "no"},
		{"NumericGreaterThanEquals", `"Variable":"$.n",` +
			`"NumericGreaterThanEquals":1e1`, "yes"},
		{"NumericGreaterThanEqualsPath", `"Variable":"$.f",` +
			`"NumericGreaterThanEqualsPath":"$.n"`, "no"},
		{"numeric operator on a string is false", `"Variable":"$.s",` +
			`"NumericEquals":10`, "no"},
		{"NumericEqualsPath to a string is false", `"Variable":"$.n",` +
			`"NumericEqualsPath":"$.s"`, "no"},
		{"BooleanEquals", `"Variable":"$.b","BooleanEquals":true`, "yes"},
		{"BooleanEquals false", `"Variable":"$.b","BooleanEquals":false`, "no"},
		{"BooleanEqualsPath", `"Variable":"$.b","BooleanEqualsPath":"$.other.b"`, "yes"},
		{"TimestampEquals across offsets", `"Variable":"$.t",` +
			`"TimestampEquals":"2024-05-01T14:00:00+02:00"`, "yes"},
		{"TimestampEqualsPath", `"Variable":"$.t","TimestampEqualsPath":"$.tz"`, "yes"},
		{"TimestampLessThan", `"Variable":"$.t",` +
			`"TimestampLessThan":"2024-05-01T12:00:01Z"`, "yes"},
		{"TimestampLessThanPath", `"Variable":"$.t",` +
			`"TimestampLessThanPath":"$.other.t"`, "yes"},
		{"TimestampGreaterThan", `"Variable":"$.t",` +
			`"TimestampGreaterThan":"2024-05-01T12:00:00Z"`, "no"},
		{"TimestampGreaterThanPath", `"Variable":"$.other.t",` +
			`"TimestampGreaterThanPath":"$.t"`, "yes"},
		{"TimestampLessThanEquals", `"Variable":"$.t",` +
			`"TimestampLessThanEquals":"2024-05-01T12:00:00Z"`, "yes"},
		{"TimestampLessThanEqualsPath", `"Variable":"$.other.t",` +
			`"TimestampLessThanEqualsPath":"$.t"`, "no"},
		{"TimestampGreaterThanEquals", `"Variable":"$.t",` +
			`"TimestampGreaterThanEquals":"2024-05-01T12:00:00.000Z"`, "yes"},
		{"TimestampGreaterThanEqualsPath", `"Variable":"$.t",` +
			`"TimestampGreaterThanEqualsPath":"$.other.t"`, "no"},
		{"timestamp operator on a plain string is false", `"Variable":"$.s",` +
			`"TimestampEquals":"2024-05-01T12:00:00Z"`, "no"},
		{"IsPresent", `"Variable":"$.s","IsPresent":true`, "yes"},
		{"IsPresent false on a missing field", `"Variable":"$.missing",` +
			`"IsPresent":false`, "yes"},
		{"IsPresent true on a missing field", `"Variable":"$.missing",` +
			`"IsPresent":true`, "no"},
		{"IsNull", `"Variable":"$.z","IsNull":true`, "yes"},
		{"IsNull on a string", `"Variable":"$.s","IsNull":true`, "no"},
		{"IsNumeric", `"Variable":"$.f","IsNumeric":true`, "yes"},
		{"IsNumeric false", `"Variable":"$.s","IsNumeric":false`, "yes"},
		{"IsString", `"Variable":"$.list[1]","IsString":true`, "yes"},
		{"IsString on a number", `"Variable":"$.list[0]","IsString":true`, "no"},
		{"IsBoolean", `"Variable":"$.b","IsBoolean":true`, "yes"},
		{"IsTimestamp", `"Variable":"$.t","IsTimestamp":true`, "yes"},
		{"IsTimestamp on a plain string", `"Variable":"$.s","IsTimestamp":true`, "no"},
		{"And", `"And":[{"Variable":"$.s","StringEquals":"banana"},` +
			`{"Variable":"$.n","NumericGreaterThan":5}]`, "yes"},
		{"And with one false", `"And":[{"Variable":"$.s","StringEquals":"banana"},` +
			`{"Variable":"$.n","NumericGreaterThan":50}]`, "no"},
		{"Or", `"Or":[{"Variable":"$.s","StringEquals":"apple"},` +
			`{"Variable":"$.b","BooleanEquals":true}]`, "yes"},
		{"Or all false", `"Or":[{"Variable":"$.s","StringEquals":"apple"},` +
			`{"Variable":"$.b","BooleanEquals":false}]`, "no"},
		{"Not", `"Not":{"Variable":"$.s","StringEquals":"apple"}`, "yes"},
		{"nested And in Not", `"Not":{"And":[{"Variable":"$.b","IsBoolean":true},` +
			`{"Variable":"$.z","IsNull":true}]}`, "no"},
		{"Or stops before a missing field", `"Or":[{"Variable":"$.b","IsBoolean":true},` +
			`{"Variable":"$.missing","StringEquals":"x"}]`, "yes"},
		{"a missing Variable is a runtime error", `"Variable":"$.missing",` +
			`"StringEquals":"x"`, "States.Runtime"},
		{"a missing operand path is a runtime error", `"Variable":"$.s",` +
			`"StringEqualsPath":"$.missing"`, "States.Runtime"},
		{"a context Variable", `"Variable":"$$.State.Name","StringEquals":"Decide"`,
			"yes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testSecond)
			arn := h.register(t, "choice", `{"StartAt":"Decide","States":{
				"Decide":{"Type":"Choice","Choices":[{`+tt.rule+`,"Next":"Yes"}],
					"Default":"No"},
				"Yes":{"Type":"Pass","Result":"yes","End":true},
				"No":{"Type":"Pass","Result":"no","End":true}}}`)
			d := outcomeOf(t, h.run(t, arn, input))
			got := d.err
			if d.status == "SUCCEEDED" {
				got = d.output[1 : len(d.output)-1]
			}
			if got != tt.want {
				t.Errorf("went to %q (%+v), want %q", got, d, tt.want)
			}
		})
	}
}

func TestChoiceWithoutDefault(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  outcome
	}{
		{
			name:  "a match takes its Next and applies OutputPath",
			input: `{"kind":"erasure","keep":{"k":1}}`,
			want:  outcome{status: "SUCCEEDED", output: `{"k":1}`},
		},
		{
			name:  "no match and no Default fails with States.NoChoiceMatched",
			input: `{"kind":"access","keep":{}}`,
			want: outcome{status: "FAILED", err: "States.NoChoiceMatched",
				cause: "No choice rule of state 'Route' matched and it has no Default"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, testSecond)
			arn := h.register(t, "route", `{"StartAt":"Route","States":{
				"Route":{"Type":"Choice","OutputPath":"$.keep","Choices":[
					{"Variable":"$.kind","StringEquals":"erasure","Next":"Erase"}]},
				"Erase":{"Type":"Succeed"}}}`)
			if got := outcomeOf(t, h.run(t, arn, tt.input)); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
		})
	}
}
