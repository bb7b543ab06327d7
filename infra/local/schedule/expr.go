// Package schedule runs EventBridge scheduled rules on the local host: it
// parses the rate and cron expressions EventBridge accepts, computes when a
// rule fires next, and invokes the rule's function with the "Scheduled
// Event" that EventBridge sends.
package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a parsed EventBridge schedule expression. The zero Schedule
// never fires.
type Schedule struct {
	expr string
	rate time.Duration // set for rate expressions
	cron *cronExpr     // set for cron expressions
}

// String returns the expression the schedule was parsed from.
func (s Schedule) String() string { return s.expr }

// IsZero reports whether s is the zero Schedule.
func (s Schedule) IsZero() bool { return s.rate == 0 && s.cron == nil }

// Next returns the first time after the given one at which the schedule
// fires, in UTC. A rate schedule fires one interval after the given time, as
// a new rule first fires one interval after it is created; a cron schedule
// fires on whole minutes. Next returns the zero Time when the schedule never
// fires again: the zero Schedule, a cron expression whose years have passed
// or whose dates do not exist (such as 30 February).
func (s Schedule) Next(after time.Time) time.Time {
	switch {
	case s.rate > 0:
		return after.UTC().Add(s.rate)
	case s.cron != nil:
		return s.cron.next(after.UTC())
	}
	return time.Time{}
}

// Parse parses an EventBridge schedule expression: rate(1 minute),
// rate(5 minutes), rate(1 hour), rate(2 days) and so on, where the unit is
// singular for 1 and plural otherwise; or cron(Minutes Hours Day-of-month
// Month Day-of-week Year), evaluated in UTC, with the wildcards , - * / in
// every field, ? in exactly one of Day-of-month and Day-of-week, L and W in
// Day-of-month, and L and # in Day-of-week (1 or SUN is Sunday).
func Parse(expr string) (Schedule, error) {
	var (
		s   = Schedule{expr: expr}
		err error
	)
	switch {
	case strings.HasPrefix(expr, "rate(") && strings.HasSuffix(expr, ")"):
		s.rate, err = parseRate(expr[len("rate(") : len(expr)-1])
	case strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")"):
		s.cron, err = parseCron(expr[len("cron(") : len(expr)-1])
	default:
		err = errors.New("want rate(value unit) or cron(fields)")
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("parsing schedule expression %q: %w", expr, err)
	}
	return s, nil
}

// parseRate parses the inside of rate(...).
func parseRate(s string) (time.Duration, error) {
	fields := strings.Fields(s)
	if len(fields) != 2 {
		return 0, errors.New("rate needs a value and a unit, as in rate(5 minutes)")
	}
	value, unit := fields[0], fields[1]
	n, err := strconv.Atoi(value)
	if err != nil || n <= 0 || strings.TrimLeft(value, "0123456789") != "" {
		return 0, fmt.Errorf("rate value %q is not a positive whole number", value)
	}
	units := map[string]time.Duration{
		"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour,
	}
	singular := strings.TrimSuffix(unit, "s")
	d, ok := units[singular]
	if !ok {
		return 0, fmt.Errorf("rate unit %q is not minute(s), hour(s) or day(s)", unit)
	}
	if n == 1 && unit != singular {
		return 0, fmt.Errorf("rate of 1 needs the singular unit %q, not %q", singular, unit)
	}
	if n > 1 && unit == singular {
		return 0, fmt.Errorf("rate of %d needs the plural unit %q, not %q", n, singular+"s", unit)
	}
	if int64(n) > int64(1<<62)/int64(d) {
		return 0, fmt.Errorf("rate value %d is too large", n)
	}
	return time.Duration(n) * d, nil
}

// Bounds of the cron fields.
const (
	minYear = 1970
	maxYear = 2199
)

var (
	monthNames = map[string]int{
		"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
		"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
	}
	dayNames = map[string]int{
		"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7,
	}
)

// field describes one cron field.
type field struct {
	name     string
	min, max int
	names    map[string]int
}

var (
	minutesField = field{name: "minutes", min: 0, max: 59}
	hoursField   = field{name: "hours", min: 0, max: 23}
	domField     = field{name: "day-of-month", min: 1, max: 31}
	monthField   = field{name: "month", min: 1, max: 12, names: monthNames}
	dowField     = field{name: "day-of-week", min: 1, max: 7, names: dayNames}
	yearField    = field{name: "year", min: minYear, max: maxYear}
)

// cronExpr is a parsed cron expression. Sets are indexed by value.
type cronExpr struct {
	minutes, hours, months, years []bool

	// Exactly one of the day fields is "?"; the other decides the days.
	domAny bool
	dom    []bool // days of the month, unless domLast or domWeekday
	// domLast is L: the last day of the month.
	domLast bool
	// domWeekday is nW: the weekday nearest day n, within the month.
	domWeekday int

	dowAny bool
	dow    []bool // days of the week, 1 = Sunday, unless dowLast or dowNth
	// dowLast is nL: the last such weekday of the month (L alone is 7L).
	dowLast int
	// dowNth is n#k: the k-th such weekday of the month.
	dowNth, dowNthK int
}

// parseCron parses the inside of cron(...).
func parseCron(s string) (*cronExpr, error) {
	f := strings.Fields(s)
	if len(f) != 6 {
		return nil, fmt.Errorf("cron needs 6 fields (minutes hours day-of-month "+
			"month day-of-week year), got %d", len(f))
	}
	c := &cronExpr{}
	var err error
	if c.minutes, err = minutesField.parseSet(f[0]); err != nil {
		return nil, err
	}
	if c.hours, err = hoursField.parseSet(f[1]); err != nil {
		return nil, err
	}
	if err = c.parseDOM(f[2]); err != nil {
		return nil, err
	}
	if c.months, err = monthField.parseSet(f[3]); err != nil {
		return nil, err
	}
	if err = c.parseDOW(f[4]); err != nil {
		return nil, err
	}
	if c.years, err = yearField.parseSet(f[5]); err != nil {
		return nil, err
	}
	if c.domAny == c.dowAny {
		return nil, errors.New("exactly one of day-of-month and day-of-week " +
			"must be ?, the other a value or *")
	}
	return c, nil
}

func (c *cronExpr) parseDOM(s string) error {
	switch {
	case s == "?":
		c.domAny = true
		return nil
	case s == "L":
		c.domLast = true
		return nil
	case strings.HasSuffix(s, "W"):
		n, err := domField.value(strings.TrimSuffix(s, "W"))
		if err != nil {
			return fmt.Errorf("day-of-month %q: W needs a single day before it, "+
				"as in 15W: %w", s, err)
		}
		c.domWeekday = n
		return nil
	case strings.ContainsAny(s, "LW"):
		return fmt.Errorf("day-of-month %q: L and W stand alone (L, or a day "+
			"and W as in 15W)", s)
	}
	set, err := domField.parseSet(s)
	c.dom = set
	return err
}

func (c *cronExpr) parseDOW(s string) error {
	switch {
	case s == "?":
		c.dowAny = true
		return nil
	case s == "L":
		c.dowLast = 7
		return nil
	case strings.Contains(s, "#"):
		day, nth, _ := strings.Cut(s, "#")
		d, err := dowField.value(day)
		if err != nil {
			return fmt.Errorf("day-of-week %q: # needs a single day before it, "+
				"as in MON#2, and no other expression: %w", s, err)
		}
		k, err := strconv.Atoi(nth)
		if err != nil || k < 1 || k > 5 {
			return fmt.Errorf("day-of-week %q: the number after # must be 1 to 5", s)
		}
		c.dowNth, c.dowNthK = d, k
		return nil
	case strings.HasSuffix(s, "L"):
		d, err := dowField.value(strings.TrimSuffix(s, "L"))
		if err != nil {
			return fmt.Errorf("day-of-week %q: L stands alone or after a single "+
				"day, as in 6L: %w", s, err)
		}
		c.dowLast = d
		return nil
	}
	set, err := dowField.parseSet(s)
	c.dow = set
	return err
}

// parseSet parses a list of *, values, ranges and increments.
func (f field) parseSet(s string) ([]bool, error) {
	set := make([]bool, f.max+1)
	if s == "?" {
		return nil, fmt.Errorf("%s: ? is allowed only in day-of-month and "+
			"day-of-week", f.name)
	}
	for item := range strings.SplitSeq(s, ",") {
		if err := f.addItem(set, item); err != nil {
			return nil, fmt.Errorf("%s %q: %w", f.name, s, err)
		}
	}
	return set, nil
}

// addItem adds one list item (*, n, a-b, each optionally /step) to set.
func (f field) addItem(set []bool, item string) error {
	base, stepText, hasStep := strings.Cut(item, "/")
	lo, hi := f.min, f.max
	switch {
	case base == "*":
	case strings.Contains(base, "-"):
		a, b, _ := strings.Cut(base, "-")
		var err error
		if lo, err = f.value(a); err != nil {
			return err
		}
		if hi, err = f.value(b); err != nil {
			return err
		}
		if lo > hi {
			return fmt.Errorf("range %s runs backwards", base)
		}
	default:
		v, err := f.value(base)
		if err != nil {
			return err
		}
		lo = v
		if !hasStep {
			hi = v
		}
	}
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepText)
		if err != nil || n < 1 || n > f.max-f.min+1 ||
			strings.TrimLeft(stepText, "0123456789") != "" {
			return fmt.Errorf("increment %q must be a whole number from 1 to %d",
				stepText, f.max-f.min+1)
		}
		step = n
	}
	for v := lo; v <= hi; v += step {
		set[v] = true
	}
	return nil
}

// value parses one number or name of the field.
func (f field) value(s string) (int, error) {
	if v, ok := f.names[strings.ToUpper(s)]; ok {
		return v, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || s == "" || strings.TrimLeft(s, "0123456789") != "" {
		if s == "" {
			return 0, errors.New("missing value")
		}
		return 0, fmt.Errorf("%q is not a valid value for %s", s, f.name)
	}
	if n < f.min || n > f.max {
		return 0, fmt.Errorf("%d is out of range for %s (%d-%d)", n, f.name, f.min, f.max)
	}
	return n, nil
}

// next returns the first minute after the given time that matches c, or
// the zero Time.
func (c *cronExpr) next(after time.Time) time.Time {
	t := after.Truncate(time.Minute).Add(time.Minute)
	if first := time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC); t.Before(first) {
		t = first
	}
	for y := t.Year(); y <= maxYear; y++ {
		if !c.years[y] {
			continue
		}
		for m := time.January; m <= time.December; m++ {
			if !c.months[m] || (y == t.Year() && m < t.Month()) {
				continue
			}
			for _, d := range c.days(y, m) {
				sameDay := y == t.Year() && m == t.Month() && d == t.Day()
				if y == t.Year() && m == t.Month() && d < t.Day() {
					continue
				}
				for h := range 24 {
					if !c.hours[h] || (sameDay && h < t.Hour()) {
						continue
					}
					sameHour := sameDay && h == t.Hour()
					for mi := range 60 {
						if !c.minutes[mi] || (sameHour && mi < t.Minute()) {
							continue
						}
						return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
					}
				}
			}
		}
	}
	return time.Time{}
}

// days returns, in order, the days of the month m of year y that match.
func (c *cronExpr) days(y int, m time.Month) []int {
	n := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	weekday := func(d int) int { // 1 = Sunday, as in the cron field
		return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()) + 1
	}
	var days []int
	switch {
	case c.domLast:
		days = append(days, n)
	case c.domWeekday > 0:
		if d := nearestWeekday(c.domWeekday, n, weekday(min(c.domWeekday, n))); d > 0 {
			days = append(days, d)
		}
	case !c.domAny:
		for d := 1; d <= n; d++ {
			if c.dom[d] {
				days = append(days, d)
			}
		}
	case c.dowLast > 0:
		for d := n; d > n-7; d-- {
			if weekday(d) == c.dowLast {
				days = append(days, d)
			}
		}
	case c.dowNth > 0:
		for d := 1; d <= n; d++ {
			if weekday(d) == c.dowNth && (d-1)/7+1 == c.dowNthK {
				days = append(days, d)
			}
		}
	default:
		for d := 1; d <= n; d++ {
			if c.dow[weekday(d)] {
				days = append(days, d)
			}
		}
	}
	return days
}

// nearestWeekday returns the weekday (Monday to Friday) nearest to day
// target in a month of n days, without leaving the month; wd is the
// weekday of target (1 = Sunday). It returns 0 when the month is too short.
func nearestWeekday(target, n, wd int) int {
	if target > n {
		return 0
	}
	switch wd {
	case 7: // Saturday: the Friday before, or the Monday after on the 1st
		if target == 1 {
			return 3
		}
		return target - 1
	case 1: // Sunday: the Monday after, or the Friday before on the last day
		if target == n {
			return target - 2
		}
		return target + 1
	}
	return target
}
