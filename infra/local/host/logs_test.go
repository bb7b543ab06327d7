package host

import (
	"strings"
	"testing"
)

// TestLogsCarryNoPersonalData runs a full access request and a full erasure
// and finds none of the person's details, nor any link token, in the logs.
func TestLogsCarryNoPersonalData(t *testing.T) {
	p := person(t, "Ólafur", "Þórðarson", "+354 611 1234", "IS")
	seed(t, p)
	_, result := accessFlow(t, p.Email, "Ólafur Þórðarson")
	exportPath := link(t, result.Body.Text, "/privacy/exports/")
	if code, _, _ := call(t, "GET", exportPath, "", ""); code != 200 {
		t.Fatalf("GET export = %d", code)
	}

	r := submit(t, "erasure", p.Email, "Ólafur Þórðarson")
	v := waitMail(t, p.Email, "Confirm your privacy request "+r.RequestID)
	verifyPath := link(t, v.Body.Text, "/privacy/verify")
	statusPath := link(t, v.Body.Text, "/privacy/requests/")
	call(t, "GET", verifyPath, "", "")
	if code, body := confirm(t, verifyPath); code != 200 {
		t.Fatalf("confirm = %d %s", code, body)
	}
	waitStatus(t, statusPath, "completed")

	got := logs.String()
	if !strings.Contains(got, r.RequestID) {
		t.Fatal("the logs do not mention the request at all; is the capture working?")
	}
	secrets := map[string]string{
		"email":          p.Email,
		"email local":    strings.Split(p.Email, "@")[0],
		"first name":     p.FirstName,
		"last name":      p.LastName,
		"phone":          p.Phone,
		"phone digits":   "6111234",
		"verify token":   tokenOf(t, verifyPath),
		"export token":   tokenOf(t, exportPath),
		"status token":   tokenOf(t, statusPath),
		"given name ids": "Ólafur",
	}
	for what, s := range secrets {
		if s != "" && strings.Contains(got, s) {
			t.Errorf("the logs contain the person's %s", what)
		}
	}
}
