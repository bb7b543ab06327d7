package host

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/immagnify/immagnify/infra/local/standin"
	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/privacy"
)

// TestVerificationWaitExpires runs a stack of its own whose verification wait
// is 2 minutes, each lasting 10 ms: the request expires, and the link then
// says so.
func TestVerificationWaitExpires(t *testing.T) {
	if _, err := standin.NodeModules(); err != nil {
		t.Skip(skipMsg)
	}
	s, err := Start(context.Background(), Options{
		Logger: NewLogger(os.Stderr, slog.LevelWarn), NoSchedules: true,
		Second: 10 * time.Millisecond, VerifyTimeout: 2 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	saved := stack
	stack = s
	defer func() { stack = saved }()

	address := "late@globex.example"
	r := submit(t, "access", address, "Late Person")
	v := waitMail(t, address, "Confirm your privacy request "+r.RequestID)
	statusPath := link(t, v.Body.Text, "/privacy/requests/")
	waitStatus(t, statusPath, "expired")

	verifyPath := link(t, v.Body.Text, "/privacy/verify")
	code, _, body := call(t, "GET", verifyPath, "", "", "Accept", "text/html")
	if code != 410 || !strings.Contains(body, "expired") || strings.Contains(body, `id="confirm"`) {
		t.Errorf("GET expired link = %d %s", code, body)
	}
	code, body = confirm(t, verifyPath)
	if code != 410 || !strings.Contains(body, "token_expired") {
		t.Errorf("confirm expired link = %d %s, want 410", code, body)
	}
	req, err := s.Deps["intake"].Store.GetRequest(context.Background(), r.RequestID)
	if err != nil || req.Email != "" {
		t.Errorf("expired request keeps its email: %+v %v", req, err)
	}
}

// TestSweepStartsLostWorkflowsAndEscalates replays the schedule event: a
// request recorded without a workflow gets one, and an overdue request is
// reported to the privacy team.
func TestSweepStartsLostWorkflowsAndEscalates(t *testing.T) {
	s := needStack(t)
	ctx := context.Background()
	store := s.Deps["escalate"].Store
	now := time.Now().UTC()
	lost := privacy.Request{
		ID: "req_" + strings.Repeat("l", 20) + now.Format("150405"), Type: privacy.Access,
		Regime: privacy.GDPR, Status: privacy.AwaitingVerification,
		Email: "lost@globex.example", Name: "Lost", ReceivedAt: now.Add(-5 * time.Minute),
		DueAt: now.Add(20 * 24 * time.Hour),
	}
	overdue := lost
	overdue.ID = "req_" + strings.Repeat("o", 20) + now.Format("150405")
	overdue.Email, overdue.WorkflowStarted = "overdue@globex.example", true
	overdue.ReceivedAt, overdue.DueAt = now.Add(-40*24*time.Hour), now.Add(-24*time.Hour)
	stuck := lost
	stuck.ID = "req_" + strings.Repeat("s", 20) + now.Format("150405")
	stuck.Email = "stuck@globex.example"
	for _, r := range []privacy.Request{lost, overdue, stuck} {
		if _, err := store.CreateRequest(ctx, r, privacy.Idempotency{}); err != nil {
			t.Fatal(err)
		}
	}
	// The stuck request's execution ends by hand, leaving it open.
	svc := s.Deps["escalate"].Service
	if err := svc.StartWorkflow(ctx, stuck); err != nil {
		t.Fatal(err)
	}
	waitMail(t, stuck.Email, "Confirm your privacy request "+stuck.ID)
	if err := svc.Workflow.Stop(ctx, stuck.ID, "stopped by a test"); err != nil {
		t.Fatal(err)
	}

	ev, err := os.ReadFile("../../../events/escalate/schedule.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.functions.Invoke(ctx, "escalate", ev); err != nil {
		t.Fatalf("invoking escalate: %v", err)
	}
	waitMail(t, lost.Email, "Confirm your privacy request "+lost.ID)
	got, err := store.GetRequest(ctx, lost.ID)
	if err != nil || !got.WorkflowStarted {
		t.Errorf("lost request after the sweep = %+v, %v; want its workflow started", got, err)
	}
	// The team's report lists both, by id only.
	var report email
	for deadline := time.Now().Add(10 * time.Second); report.Subject == ""; {
		for _, e := range inbox(t, s.Env["PRIVACY_TEAM_EMAIL"]) {
			if strings.Contains(e.Body.Text, overdue.ID) && strings.Contains(e.Body.Text, stuck.ID) {
				report = e
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no escalation lists the overdue and the stuck request")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got, err := store.GetRequest(ctx, stuck.ID); err != nil || got.Status != privacy.Failed {
		t.Errorf("stuck request after the sweep = %s, %v; want failed", got.Status, err)
	}
	if strings.Contains(report.Body.Text, "@") {
		t.Errorf("escalation carries an address:\n%s", report.Body.Text)
	}
}

// TestCancel cancels a request from its status page: the link then no
// longer confirms, and a workflow that starts after the cancellation ends
// without sending anything.
func TestCancel(t *testing.T) {
	s := needStack(t)
	ctx := context.Background()
	address := "cancel." + time.Now().Format("150405.000000") + "@globex.example"
	r := submit(t, "erasure", address, "Changed Mind")
	v := waitMail(t, address, "Confirm your privacy request "+r.RequestID)
	statusPath := link(t, v.Body.Text, "/privacy/requests/")
	u, _ := url.Parse(statusPath)

	code, _, body := call(t, "POST", u.Path+"/cancel", "application/x-www-form-urlencoded",
		"token="+u.Query().Get("token"), "Accept", "text/html")
	if code != 200 || !strings.Contains(body, "cancelled") {
		t.Fatalf("cancel = %d %s", code, body)
	}
	if got := status(t, statusPath); got != "cancelled" {
		t.Errorf("status after cancel = %q", got)
	}
	code, body = confirm(t, link(t, v.Body.Text, "/privacy/verify"))
	if code != 410 {
		t.Errorf("confirm after cancel = %d %s, want 410", code, body)
	}
	code, _, _ = call(t, "POST", u.Path+"/cancel", "application/json",
		`{"token":"`+u.Query().Get("token")+`"}`)
	if code != 409 {
		t.Errorf("second cancel = %d, want 409", code)
	}
	code, _, _ = call(t, "POST", u.Path+"/cancel", "application/json", `{"token":"wrong"}`)
	if code != 404 {
		t.Errorf("cancel with a wrong token = %d, want 404", code)
	}

	// A workflow started for a request already closed ends quietly.
	store := s.Deps["intake"].Store
	closed := privacy.Request{
		ID:   "req_" + strings.Repeat("c", 20) + time.Now().Format("150405"),
		Type: privacy.Access, Regime: privacy.GDPR, Status: privacy.Cancelled,
		Email: "closed@globex.example", Name: "Closed",
		ReceivedAt: time.Now().UTC(), DueAt: time.Now().UTC().Add(time.Hour),
	}
	if _, err := store.CreateRequest(ctx, closed, privacy.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Deps["intake"].Service.StartWorkflow(ctx, closed); err != nil {
		t.Fatal(err)
	}
	clients, err := config.NewClients(ctx, lookup(s.Env))
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:states:us-east-1:000000000000:execution:dsar:" + closed.ID
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := clients.SFN.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: &arn})
		if err != nil {
			t.Fatal(err)
		}
		if out.Status == sfntypes.ExecutionStatusSucceeded {
			break
		}
		if out.Status != sfntypes.ExecutionStatusRunning || time.Now().After(deadline) {
			t.Fatalf("execution of a closed request is %s, want SUCCEEDED", out.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(inbox(t, closed.Email)); n != 0 {
		t.Errorf("a closed request got %d emails", n)
	}
}

// TestVerificationEmailLimit sends more requests for one address than it may
// be emailed in a day: the extra one is refused and sends nothing.
func TestVerificationEmailLimit(t *testing.T) {
	s := needStack(t)
	address := "flooded." + time.Now().Format("150405.000000") + "@globex.example"
	var ids []string
	for i := 0; i <= privacy.MaxVerificationsPerDay; i++ {
		ids = append(ids, submit(t, "information", address, "Flooded").RequestID)
	}
	// Their workflows race, so any one of them may be the one refused.
	deadline := time.Now().Add(10 * time.Second)
	for {
		denied, emailed := 0, len(inbox(t, address))
		for _, id := range ids {
			r, err := s.Deps["intake"].Store.GetRequest(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status == privacy.Denied && r.Outcome == privacy.OutcomeTooMany {
				denied++
			}
		}
		if denied == 1 && emailed == privacy.MaxVerificationsPerDay {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d refused and %d emailed, want 1 and %d", denied, emailed,
				privacy.MaxVerificationsPerDay)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(inbox(t, address)); n != privacy.MaxVerificationsPerDay {
		t.Errorf("the address got %d emails, want %d", n, privacy.MaxVerificationsPerDay)
	}
}
