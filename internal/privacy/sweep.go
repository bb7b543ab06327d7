package privacy

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// OpenRequests lists the requests that are not closed, earliest due first.
type OpenRequests interface {
	OpenRequests(ctx context.Context, limit int, cursor string) ([]Request, string, error)
}

// SweepResult counts what a sweep found and did.
type SweepResult struct {
	Open      int
	DueSoon   []string
	Overdue   []string
	Failed    []string
	Restarted int
	// Stuck counts requests whose execution ended while they were open;
	// they are marked failed and escalated.
	Stuck int
}

// DueSoonWindow is how close to its due date an open request is escalated.
const DueSoonWindow = 7 * 24 * time.Hour

// startGrace is how long a request may wait for its workflow to start before
// the sweep starts it.
const startGrace = time.Minute

// Sweep walks the open requests: it starts workflows that intake could not
// start, and tells the privacy team which requests are due soon, overdue or
// failed. It reads ids and dates only.
func (s *Service) Sweep(ctx context.Context, open OpenRequests) (SweepResult, error) {
	var res SweepResult
	now := s.now()
	cursor := ""
	for {
		page, next, err := open.OpenRequests(ctx, 100, cursor)
		if err != nil {
			return res, fmt.Errorf("listing open requests: %w", err)
		}
		for _, r := range page {
			res.Open++
			switch {
			case r.Status == Failed:
				res.Failed = append(res.Failed, r.ID)
			case !r.DueAt.After(now):
				res.Overdue = append(res.Overdue, r.ID)
			case r.DueAt.Sub(now) <= DueSoonWindow:
				res.DueSoon = append(res.DueSoon, r.ID)
			}
			if err := s.keepMoving(ctx, r, now, &res); err != nil {
				return res, err
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(res.DueSoon)+len(res.Overdue)+len(res.Failed) == 0 || s.Config.PrivacyTeam == "" {
		return res, nil
	}

	// One summary email, with ids only.
	var b strings.Builder
	fmt.Fprintf(&b, "Open requests: %d\n\n", res.Open)
	section := func(title string, ids []string) {
		if len(ids) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s (%d):\n", title, len(ids))
		for _, id := range ids {
			fmt.Fprintf(&b, "  %s\n", id)
		}
		b.WriteString("\n")
	}
	section("Overdue", res.Overdue)
	section("Failed", res.Failed)
	section("Due within 7 days", res.DueSoon)
	b.WriteString("See GET /admin/requests?state=overdue and ?state=due-soon.\n")
	err := s.Mailer.Send(ctx, Message{
		To: s.Config.PrivacyTeam,
		Subject: fmt.Sprintf("Privacy requests: %d overdue, %d failed, %d due soon",
			len(res.Overdue), len(res.Failed), len(res.DueSoon)),
		Text: b.String(),
	})
	if err != nil {
		return res, fmt.Errorf("sending escalation: %w", err)
	}
	return res, nil
}

// keepMoving makes sure an open request has a running execution: one that
// intake could not start is started, and one whose execution ended without
// closing it is failed and escalated, so no request waits forever unseen.
func (s *Service) keepMoving(ctx context.Context, r Request, now time.Time, res *SweepResult) error {
	waiting := r.Status == AwaitingVerification || r.Status == Verified ||
		r.Status == InProgress && r.Outcome != OutcomeManual
	if !waiting || now.Sub(r.ReceivedAt) <= startGrace {
		return nil
	}
	exists, running, err := s.Workflow.Running(ctx, r.ID)
	if err != nil {
		return fmt.Errorf("checking request %s: %w", r.ID, err)
	}
	switch {
	case !exists && r.Status == AwaitingVerification:
		if err := s.StartWorkflow(ctx, r); err != nil {
			return fmt.Errorf("restarting request %s: %w", r.ID, err)
		}
		res.Restarted++
	case !running:
		// Read again: the execution may have closed the request meanwhile.
		cur, err := s.Requests.GetRequest(ctx, r.ID)
		if err != nil {
			return fmt.Errorf("reading request %s: %w", r.ID, err)
		}
		if cur.Status != r.Status {
			return nil
		}
		if err := s.Fail(ctx, r.ID, "workflow ended while the request was "+string(r.Status)); err != nil {
			return fmt.Errorf("failing stuck request %s: %w", r.ID, err)
		}
		res.Stuck++
		res.Failed = append(res.Failed, r.ID)
	}
	return nil
}
