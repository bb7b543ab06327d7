package schedule

import (
	"strings"
	"testing"
	"time"
)

// at parses an RFC 3339 time for the tables below.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		expr string
		want time.Duration
	}{
		{"rate(1 minute)", time.Minute},
		{"rate(5 minutes)", 5 * time.Minute},
		{"rate(1 hour)", time.Hour},
		{"rate(12 hours)", 12 * time.Hour},
		{"rate(1 day)", 24 * time.Hour},
		{"rate(2 days)", 48 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.expr, err)
			}
			from := at(t, "2024-03-01T10:00:30Z")
			if got, want := s.Next(from), from.Add(tt.want); !got.Equal(want) {
				t.Errorf("Next(%v) = %v, want %v", from, got, want)
			}
			if got := s.String(); got != tt.expr {
				t.Errorf("String() = %q, want %q", got, tt.expr)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name, expr, wantErr string
	}{
		{"empty", "", "want rate(value unit) or cron(fields)"},
		{"unknown kind", "every(5 minutes)", "want rate(value unit) or cron(fields)"},
		{"unclosed", "rate(5 minutes", "want rate(value unit) or cron(fields)"},
		{"rate plural for one", "rate(1 minutes)", `singular unit "minute"`},
		{"rate singular for many", "rate(5 minute)", `plural unit "minutes"`},
		{"rate singular hour for many", "rate(2 hour)", `plural unit "hours"`},
		{"rate zero", "rate(0 minutes)", "not a positive whole number"},
		{"rate negative", "rate(-1 minutes)", "not a positive whole number"},
		{"rate fraction", "rate(1.5 hours)", "not a positive whole number"},
		{"rate seconds", "rate(30 seconds)", "not minute(s), hour(s) or day(s)"},
		{"rate weeks", "rate(2 weeks)", "not minute(s), hour(s) or day(s)"},
		{"rate capitalised unit", "rate(5 Minutes)", "not minute(s), hour(s) or day(s)"},
		{"rate without unit", "rate(5)", "needs a value and a unit"},
		{"cron five fields", "cron(0 12 * * ?)", "needs 6 fields"},
		{"cron seven fields", "cron(0 0 12 * * ? *)", "needs 6 fields"},
		{"cron no question mark", "cron(0 12 * * * *)",
			"exactly one of day-of-month and day-of-week"},
		{"cron two question marks", "cron(0 12 ? * ? *)",
			"exactly one of day-of-month and day-of-week"},
		{"cron both days", "cron(0 12 1 * MON *)", "exactly one of day-of-month and day-of-week"},
		{"cron minute 60", "cron(60 * * * ? *)", "60 is out of range for minutes (0-59)"},
		{"cron hour 24", "cron(0 24 * * ? *)", "24 is out of range for hours (0-23)"},
		{"cron day 0", "cron(0 0 0 * ? *)", "0 is out of range for day-of-month (1-31)"},
		{"cron day 32", "cron(0 0 32 * ? *)", "32 is out of range for day-of-month (1-31)"},
		{"cron month 13", "cron(0 0 1 13 ? *)", "13 is out of range for month (1-12)"},
		{"cron weekday 0", "cron(0 0 ? * 0 *)", "0 is out of range for day-of-week (1-7)"},
		{"cron weekday 8", "cron(0 0 ? * 8 *)", "8 is out of range for day-of-week (1-7)"},
		{"cron year 1969", "cron(0 0 1 1 ? 1969)", "1969 is out of range for year (1970-2199)"},
		{"cron year 2200", "cron(0 0 1 1 ? 2200)", "2200 is out of range for year (1970-2199)"},
		{"cron bad month name", "cron(0 0 1 JANUARY ? *)",
			`"JANUARY" is not a valid value for month`},
		{"cron bad day name", "cron(0 0 ? * MONDAY *)",
			`"MONDAY" is not a valid value for day-of-week`},
		{"cron day name in month", "cron(0 0 1 MON ? *)", `"MON" is not a valid value for month`},
		{"cron backwards range", "cron(0 0 ? * FRI-MON *)", "range FRI-MON runs backwards"},
		{"cron zero increment", "cron(0/0 * * * ? *)",
			`increment "0" must be a whole number from 1 to 60`},
		{"cron huge increment", "cron(0/61 * * * ? *)",
			`increment "61" must be a whole number from 1 to 60`},
		{"cron empty list item", "cron(0,,5 * * * ? *)", "missing value"},
		{"cron question mark in minutes", "cron(? * * * ? *)",
			"? is allowed only in day-of-month and day-of-week"},
		{"cron L in minutes", "cron(L * * * ? *)", `"L" is not a valid value for minutes`},
		{"cron W without day", "cron(0 0 W * ? *)", "W needs a single day before it"},
		{"cron W in a list", "cron(0 0 1W,15W * ? *)", "W needs a single day before it"},
		{"cron L in a list", "cron(0 0 1,L * ? *)", "L and W stand alone"},
		{"cron L offset", "cron(0 0 L-2 * ? *)", "L and W stand alone"},
		{"cron W in day-of-week", "cron(0 0 ? * 2W *)",
			`"2W" is not a valid value for day-of-week`},
		{"cron hash twice", "cron(0 0 ? * 3#1,6#3 *)", "the number after # must be 1 to 5"},
		{"cron hash six", "cron(0 0 ? * MON#6 *)", "the number after # must be 1 to 5"},
		{"cron hash in day-of-month", "cron(0 0 1#1 * ? *)",
			`"1#1" is not a valid value for day-of-month`},
		{"cron L after a list", "cron(0 0 ? * 2,6L *)", "L stands alone or after a single day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.expr)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.expr, s)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.expr, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.expr) {
				t.Errorf("Parse(%q) error = %q does not quote the expression", tt.expr, err)
			}
			if !s.IsZero() {
				t.Errorf("Parse(%q) returned a non-zero Schedule with its error", tt.expr)
			}
		})
	}
}

func TestCronNext(t *testing.T) {
	tests := []struct {
		name  string
		expr  string
		after string
		want  []string // the next runs, in order
	}{
		{
			name: "every day at 10:00", expr: "cron(0 10 * * ? *)",
			after: "2024-03-01T10:00:00Z",
			want:  []string{"2024-03-02T10:00:00Z", "2024-03-03T10:00:00Z"},
		},
		{
			name: "from just before the minute", expr: "cron(15 12 * * ? *)",
			after: "2024-03-01T12:14:59Z",
			want:  []string{"2024-03-01T12:15:00Z", "2024-03-02T12:15:00Z"},
		},
		{
			name: "every 15 minutes", expr: "cron(0/15 * * * ? *)",
			after: "2024-03-01T23:40:00Z",
			want: []string{
				"2024-03-01T23:45:00Z",
				"2024-03-02T00:00:00Z",
				"2024-03-02T00:15:00Z",
			},
		},
		{
			name: "star with increment", expr: "cron(*/20 8 * * ? *)",
			after: "2024-03-01T08:30:00Z",
			want:  []string{"2024-03-01T08:40:00Z", "2024-03-02T08:00:00Z"},
		},
		{
			name: "increment from an offset", expr: "cron(1/10 * * * ? *)",
			after: "2024-03-01T10:52:00Z",
			want:  []string{"2024-03-01T11:01:00Z", "2024-03-01T11:11:00Z"},
		},
		{
			name: "range with increment", expr: "cron(0 9-17/4 * * ? *)",
			after: "2024-03-01T13:00:00Z",
			want: []string{
				"2024-03-01T17:00:00Z",
				"2024-03-02T09:00:00Z",
				"2024-03-02T13:00:00Z",
			},
		},
		{
			name: "weekdays by name", expr: "cron(0 18 ? * MON-FRI *)",
			after: "2024-03-01T19:00:00Z", // a Friday
			want:  []string{"2024-03-04T18:00:00Z", "2024-03-05T18:00:00Z"},
		},
		{
			name: "lower-case names", expr: "cron(0 8 ? jan,jul mon *)",
			after: "2024-01-28T00:00:00Z",
			want:  []string{"2024-01-29T08:00:00Z", "2024-07-01T08:00:00Z"},
		},
		{
			name: "weekday numbers, 1 is Sunday", expr: "cron(0 0 ? * 1,7 *)",
			after: "2024-03-01T00:00:00Z",
			want: []string{
				"2024-03-02T00:00:00Z",
				"2024-03-03T00:00:00Z",
				"2024-03-09T00:00:00Z",
			},
		},
		{
			name: "first of the month", expr: "cron(0 12 1 * ? *)",
			after: "2024-01-15T00:00:00Z",
			want:  []string{"2024-02-01T12:00:00Z", "2024-03-01T12:00:00Z"},
		},
		{
			name: "31st skips short months", expr: "cron(0 0 31 * ? *)",
			after: "2024-01-31T00:00:00Z",
			want:  []string{"2024-03-31T00:00:00Z", "2024-05-31T00:00:00Z"},
		},
		{
			name: "last day of the month", expr: "cron(0 0 L * ? *)",
			after: "2024-01-31T00:00:00Z",
			want: []string{
				"2024-02-29T00:00:00Z",
				"2024-03-31T00:00:00Z",
				"2024-04-30T00:00:00Z",
			},
		},
		{
			name: "last day of February in a common year", expr: "cron(0 0 L 2 ? *)",
			after: "2025-01-01T00:00:00Z",
			want:  []string{"2025-02-28T00:00:00Z", "2026-02-28T00:00:00Z"},
		},
		{
			name: "nearest weekday", expr: "cron(0 9 15W * ? *)",
			// 15 Jun 2024 is a Saturday, 15 Sep 2024 a Sunday.
			after: "2024-06-01T00:00:00Z",
			want: []string{"2024-06-14T09:00:00Z", "2024-07-15T09:00:00Z",
				"2024-08-15T09:00:00Z", "2024-09-16T09:00:00Z"},
		},
		{
			name: "nearest weekday stays in the month", expr: "cron(0 9 1W * ? *)",
			// 1 Jun 2024 is a Saturday, 1 Sep 2024 a Sunday.
			after: "2024-05-31T00:00:00Z",
			want: []string{
				"2024-06-03T09:00:00Z",
				"2024-07-01T09:00:00Z",
				"2024-08-01T09:00:00Z",
				"2024-09-02T09:00:00Z",
			},
		},
		{
			name: "nearest weekday to the 31st", expr: "cron(0 9 31W * ? *)",
			// 31 Mar 2024 is a Sunday; April has no 31st.
			after: "2024-03-01T00:00:00Z",
			want:  []string{"2024-03-29T09:00:00Z", "2024-05-31T09:00:00Z"},
		},
		{
			name: "last day of the week", expr: "cron(0 0 ? * L *)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{"2024-03-30T00:00:00Z", "2024-04-27T00:00:00Z"},
		},
		{
			name: "last Friday of the month", expr: "cron(0 17 ? * 6L *)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{"2024-03-29T17:00:00Z", "2024-04-26T17:00:00Z"},
		},
		{
			name: "second Tuesday", expr: "cron(0 10 ? * 3#2 *)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{"2024-03-12T10:00:00Z", "2024-04-09T10:00:00Z"},
		},
		{
			name: "fifth Monday skips months without one", expr: "cron(0 10 ? * MON#5 *)",
			after: "2024-01-01T00:00:00Z",
			want: []string{
				"2024-01-29T10:00:00Z",
				"2024-04-29T10:00:00Z",
				"2024-07-29T10:00:00Z",
			},
		},
		{
			name: "a fixed year", expr: "cron(30 6 1 JAN ? 2030)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{"2030-01-01T06:30:00Z", ""},
		},
		{
			name: "years with an increment", expr: "cron(0 0 1 1 ? 2025/5)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{"2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z"},
		},
		{
			name: "year passed", expr: "cron(0 0 1 1 ? 2020)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{""},
		},
		{
			name: "a date that never comes", expr: "cron(0 0 30 FEB ? *)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{""},
		},
		{
			name: "leap day", expr: "cron(0 0 29 2 ? *)",
			after: "2024-03-01T00:00:00Z",
			want:  []string{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"},
		},
		{
			name: "before 1970", expr: "cron(0 0 1 1 ? *)",
			after: "1960-06-01T00:00:00Z",
			want:  []string{"1970-01-01T00:00:00Z", "1971-01-01T00:00:00Z"},
		},
		{
			name: "star in day-of-week", expr: "cron(0 0 ? * * *)",
			after: "2024-12-31T00:00:00Z",
			want:  []string{"2025-01-01T00:00:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.expr, err)
			}
			from := at(t, tt.after)
			for i, w := range tt.want {
				got := s.Next(from)
				if w == "" {
					if !got.IsZero() {
						t.Fatalf("run %d: Next(%v) = %v, want none", i+1, from, got)
					}
					return
				}
				if want := at(t, w); !got.Equal(want) || got.Location() != time.UTC {
					t.Fatalf("run %d: Next(%v) = %v, want %v", i+1, from, got, want)
				}
				from = got
			}
		})
	}
}

func TestNextInOtherZones(t *testing.T) {
	s, err := Parse("cron(0 10 * * ? *)")
	if err != nil {
		t.Fatal(err)
	}
	paris := time.FixedZone("CET", 3600)
	from := time.Date(2024, 3, 1, 10, 30, 0, 0, paris) // 09:30 UTC
	if got, want := s.Next(from), at(t, "2024-03-01T10:00:00Z"); !got.Equal(want) {
		t.Errorf("Next(%v) = %v, want %v (cron runs in UTC)", from, got, want)
	}
}

func TestZeroSchedule(t *testing.T) {
	var s Schedule
	if got := s.Next(time.Now()); !got.IsZero() {
		t.Errorf("zero Schedule Next() = %v, want the zero Time", got)
	}
}
