package privacy

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// Fulfil answers a verified request according to its type. Every step is
// idempotent, so the workflow retries a failed fulfilment from the start and
// the retry finishes the job. It returns the outcome.
func (s *Service) Fulfil(ctx context.Context, requestID string) (Outcome, error) {
	r, err := s.begin(ctx, requestID)
	if err != nil {
		return OutcomeNone, err
	}
	if !r.Status.Open() {
		return r.Outcome, nil // finished by an earlier attempt
	}
	switch r.Type {
	case Access, Portability:
		return s.fulfilAccess(ctx, r)
	case Erasure:
		return s.fulfilErasure(ctx, r, contact.ReasonErasure)
	case Objection:
		return s.fulfilErasure(ctx, r, contact.ReasonObjection)
	case Restriction:
		return s.fulfilRestriction(ctx, r)
	case Information:
		return s.finish(ctx, r, OutcomeInformed, informationBody())
	case AutomatedDecision:
		return s.finish(ctx, r, OutcomeInformed, automatedDecisionBody())
	}
	// Rectification needs a person to weigh the corrections.
	return s.toManualReview(ctx, r)
}

// begin moves a verified request to in progress; a request already in
// progress is a retry and goes on.
func (s *Service) begin(ctx context.Context, requestID string) (Request, error) {
	r, err := s.Requests.UpdateRequest(ctx, requestID, []Status{Verified},
		Update{Status: InProgress, At: s.now()})
	if errors.Is(err, ErrConflict) {
		r, err = s.Requests.GetRequest(ctx, requestID)
		if err != nil {
			return Request{}, fmt.Errorf("reading request: %w", err)
		}
		if r.Status == AwaitingVerification {
			return Request{}, fmt.Errorf("request is not verified: %w", ErrConflict)
		}
		return r, nil
	}
	if err != nil {
		return Request{}, fmt.Errorf("starting fulfilment: %w", err)
	}
	return r, s.event(ctx, r.ID, "fulfilment_started", string(r.Type))
}

// matches finds the contacts of the verified email, and only those: a person
// is never matched by name, so no one else's data can reach the answer.
func (s *Service) matches(ctx context.Context, r Request) (string, []contact.Contact, error) {
	key, err := matchkey.Email(r.Email)
	if err != nil {
		return "", nil, fmt.Errorf("normalising verified email: %w", err)
	}
	cs, err := s.Contacts.ContactsByEmailKey(ctx, key)
	if err != nil {
		return "", nil, fmt.Errorf("finding contacts: %w", err)
	}
	return key, cs, nil
}

func (s *Service) fulfilAccess(ctx context.Context, r Request) (Outcome, error) {
	key, cs, err := s.matches(ctx, r)
	if err != nil {
		return OutcomeNone, err
	}
	if len(cs) == 0 {
		body := accessBody(false, "", "", s.now())
		suppressed, err := s.Suppressions.AnySuppressed(ctx,
			[]string{s.Hasher.Hash(matchkey.KindEmail, key)})
		if err != nil {
			return OutcomeNone, fmt.Errorf("checking suppression: %w", err)
		}
		if suppressed {
			body += " " + suppressedNote
		}
		return s.finish(ctx, r, OutcomeNoData, body)
	}

	// Build the document: the data, its sources and its recipients.
	now := s.now()
	doc := Document{
		ExportID: id.New("exp"), RequestID: r.ID, GeneratedAt: now,
		Controller: controllerName, Purposes: purposes, LegalBasis: legalBasis,
		Retention: fmt.Sprintf("Contact details are kept for %d days after they "+
			"were last collected, then deleted.", int(s.Config.ContactRetention.Hours()/24)),
		Rights:     rightsText,
		Contacts:   []ExportContact{},
		Recipients: []ExportRecipient{},
	}
	names := map[string]string{}
	for _, c := range cs {
		doc.Contacts = append(doc.Contacts, ExportContact{
			ContactID: c.ID, Fields: c.Values, Restricted: c.Restricted,
			CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		})
		ds, err := s.Disclosures.DisclosuresOf(ctx, c.ID)
		if err != nil {
			return OutcomeNone, fmt.Errorf("reading disclosures: %w", err)
		}
		rs, err := recipientsOf(c.ID, ds, func(cid string) (string, error) {
			return s.customerName(ctx, names, cid)
		})
		if err != nil {
			return OutcomeNone, err
		}
		doc.Recipients = append(doc.Recipients, rs...)
	}

	// Store it behind a fresh link that expires.
	tok := id.Token()
	exp := Export{
		ID: doc.ExportID, RequestID: r.ID, TokenHash: id.Hash(tok),
		SubjectHash: s.Hasher.Hash(matchkey.KindEmail, key),
		CreatedAt:   now, ExpiresAt: now.Add(s.Config.ExportTTL), Document: doc,
	}
	if err := s.Exports.PutExport(ctx, exp); err != nil {
		return OutcomeNone, fmt.Errorf("storing export: %w", err)
	}

	// An erasure that started meanwhile has suppressed the person: it may
	// have deleted their exports before this one was stored, so take it back.
	erased, err := s.Suppressions.AnySuppressed(ctx, []string{exp.SubjectHash})
	if err != nil {
		return OutcomeNone, fmt.Errorf("checking suppression: %w", err)
	}
	if erased {
		if err := s.Exports.DeleteExportsOf(ctx, exp.SubjectHash); err != nil {
			return OutcomeNone, fmt.Errorf("deleting exports: %w", err)
		}
		return s.finish(ctx, r, OutcomeNoData,
			accessBody(false, "", "", now)+" "+suppressedNote)
	}
	link := s.Config.PublicBaseURL + "/privacy/exports/" + exp.ID + "?token=" + tok
	r.ExportID = exp.ID
	return s.finish(ctx, r, OutcomeDataFound,
		accessBody(true, link, link+"&format=csv", exp.ExpiresAt))
}

func (s *Service) customerName(ctx context.Context, cache map[string]string, cid string) (string, error) {
	if n, ok := cache[cid]; ok {
		return n, nil
	}
	c, err := s.Customers.GetCustomer(ctx, cid)
	switch {
	case errors.Is(err, contact.ErrNotFound):
		c.Name = "customer " + cid
	case err != nil:
		return "", fmt.Errorf("reading customer: %w", err)
	}
	cache[cid] = c.Name
	return c.Name, nil
}

// fulfilErasure erases every item about the person. The order makes it
// safe against a retry and against a load running at the same time:
//
//  1. suppress the verified email, so no load can add the person from now
//     on (a load checks the list again after it writes);
//  2. find the contacts and record them as the plan, joined with what an
//     earlier attempt found;
//  3. suppress their other identifiers (phones, other emails);
//  4. delete earlier exports, tell each recipient, then delete disclosures
//     and contacts;
//  5. look once more, for a contact a concurrent load wrote before step 1.
func (s *Service) fulfilErasure(ctx context.Context, r Request, reason contact.SuppressionReason) (Outcome, error) {
	key, err := matchkey.Email(r.Email)
	if err != nil {
		return OutcomeNone, fmt.Errorf("normalising verified email: %w", err)
	}
	err = s.Suppressions.Suppress(ctx, []contact.Suppression{
		s.suppression(matchkey.KindEmail, key, r, reason)})
	if err != nil {
		return OutcomeNone, fmt.Errorf("writing suppression: %w", err)
	}

	erased := map[string]bool{}
	for pass := 0; pass < 2; pass++ {
		_, cs, err := s.matches(ctx, r)
		if err != nil {
			return OutcomeNone, err
		}
		plan, err := s.recordPlan(ctx, &r, cs)
		if err != nil {
			return OutcomeNone, err
		}
		var entries []contact.Suppression
		for _, c := range cs {
			if c.EmailKey != "" && c.EmailKey != key {
				entries = append(entries, s.suppression(matchkey.KindEmail, c.EmailKey, r, reason))
			}
			if c.PhoneKey != "" {
				entries = append(entries, s.suppression(matchkey.KindPhone, c.PhoneKey, r, reason))
			}
		}
		if err := s.Suppressions.Suppress(ctx, entries); err != nil {
			return OutcomeNone, fmt.Errorf("writing suppression: %w", err)
		}
		if pass == 0 {
			err := s.Exports.DeleteExportsOf(ctx, s.Hasher.Hash(matchkey.KindEmail, key))
			if err != nil {
				return OutcomeNone, fmt.Errorf("deleting exports: %w", err)
			}
		}
		for _, cid := range plan {
			if erased[cid] {
				continue
			}
			if err := s.eraseContact(ctx, r, cid, reason); err != nil {
				return OutcomeNone, err
			}
			erased[cid] = true
		}
	}
	if err := s.event(ctx, r.ID, "erased", fmt.Sprintf("%d contacts", len(erased))); err != nil {
		return OutcomeNone, err
	}
	outcome, found := OutcomeErased, len(erased) > 0
	if reason == contact.ReasonObjection {
		outcome = OutcomeObjected
	}
	if !found {
		outcome = OutcomeNoData
	}
	return s.finish(ctx, r, outcome, erasureBody(found))
}

// recordPlan joins the contacts found with those an earlier attempt
// recorded, records the union on the request before anything is deleted,
// and returns it.
func (s *Service) recordPlan(ctx context.Context, r *Request, cs []contact.Contact) ([]string, error) {
	ids := map[string]bool{}
	for _, cid := range r.ContactIDs {
		ids[cid] = true
	}
	grew := false
	for _, c := range cs {
		if !ids[c.ID] {
			ids[c.ID], grew = true, true
		}
	}
	plan := make([]string, 0, len(ids))
	for cid := range ids {
		plan = append(plan, cid)
	}
	sort.Strings(plan)
	if grew {
		_, err := s.Requests.UpdateRequest(ctx, r.ID, []Status{InProgress},
			Update{Status: InProgress, At: s.now(), ContactIDs: plan})
		if err != nil {
			return nil, fmt.Errorf("recording erasure plan: %w", err)
		}
		r.ContactIDs = plan
	}
	return plan, nil
}

func (s *Service) suppression(k matchkey.Kind, key string, r Request, reason contact.SuppressionReason) contact.Suppression {
	return contact.Suppression{
		Hash: s.Hasher.Hash(k, key), Reason: reason, RequestID: r.ID, CreatedAt: s.now(),
	}
}

func (s *Service) eraseContact(ctx context.Context, r Request, cid string, reason contact.SuppressionReason) error {
	ds, err := s.Disclosures.DisclosuresOf(ctx, cid)
	if err != nil {
		return fmt.Errorf("reading disclosures: %w", err)
	}
	seen := map[string]bool{}
	var notices []Notice
	for _, d := range ds {
		if seen[d.CustomerID] {
			continue
		}
		seen[d.CustomerID] = true
		notices = append(notices, Notice{
			ID:        id.Hash(r.ID + "/" + d.CustomerID + "/" + cid)[:32],
			RequestID: r.ID, CustomerID: d.CustomerID, ContactID: cid,
			Action: string(reason), At: s.now(),
		})
	}
	if len(notices) > 0 {
		if err := s.Notices.SendNotices(ctx, notices); err != nil {
			return fmt.Errorf("queueing recipient notices: %w", err)
		}
	}
	if err := s.Disclosures.DeleteDisclosuresOf(ctx, cid); err != nil {
		return fmt.Errorf("deleting disclosures: %w", err)
	}
	if err := s.Contacts.DeleteContact(ctx, cid); err != nil {
		return fmt.Errorf("deleting contact: %w", err)
	}
	return nil
}

func (s *Service) fulfilRestriction(ctx context.Context, r Request) (Outcome, error) {
	_, cs, err := s.matches(ctx, r)
	if err != nil {
		return OutcomeNone, err
	}
	for _, c := range cs {
		if err := s.Contacts.SetRestricted(ctx, c.ID, true); err != nil {
			return OutcomeNone, fmt.Errorf("restricting contact: %w", err)
		}
	}
	if len(cs) == 0 {
		return s.finish(ctx, r, OutcomeNoData, accessBody(false, "", "", s.now()))
	}
	return s.finish(ctx, r, OutcomeRestricted, "We keep your data but no longer "+
		"show it in searches or use it to enrich customers' records until the "+
		"restriction is lifted; we will tell you before that happens.")
}

// toManualReview hands a request to the privacy team; it stays in progress.
func (s *Service) toManualReview(ctx context.Context, r Request) (Outcome, error) {
	_, err := s.Requests.UpdateRequest(ctx, r.ID, []Status{InProgress},
		Update{Status: InProgress, At: s.now(), Outcome: OutcomeManual})
	if err != nil {
		return OutcomeNone, fmt.Errorf("marking for review: %w", err)
	}
	if err := s.escalate(ctx, r.ID, "needs manual review ("+string(r.Type)+")"); err != nil {
		return OutcomeNone, err
	}
	return OutcomeManual, s.event(ctx, r.ID, "manual_review", string(r.Type))
}

// finish emails the result, then closes the request, which clears its
// personal data. A retry after a failed close sends the email again.
func (s *Service) finish(ctx context.Context, r Request, o Outcome, body string) (Outcome, error) {
	msg := resultEmail(r, body)
	msg.To = r.Email
	if err := s.Mailer.Send(ctx, msg); err != nil {
		return OutcomeNone, fmt.Errorf("sending result email: %w", err)
	}
	u := s.closeUpdate(Completed, o)
	u.ExportID = r.ExportID
	if _, err := s.Requests.UpdateRequest(ctx, r.ID, []Status{InProgress}, u); err != nil {
		return OutcomeNone, fmt.Errorf("closing request: %w", err)
	}
	return o, s.event(ctx, r.ID, "completed", string(o))
}

// Expire closes a request whose verification wait ran out. A request that
// moved on meanwhile is left alone.
func (s *Service) Expire(ctx context.Context, requestID string) error {
	_, err := s.Requests.UpdateRequest(ctx, requestID,
		[]Status{AwaitingVerification, Verified}, s.closeUpdate(Expired, OutcomeNone))
	if errors.Is(err, ErrConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("expiring request: %w", err)
	}
	return s.event(ctx, requestID, "expired", "not verified in time")
}

// Fail marks a request failed after its workflow gave up, and tells the
// privacy team. The cause is an error name, never personal data.
func (s *Service) Fail(ctx context.Context, requestID, cause string) error {
	_, err := s.Requests.UpdateRequest(ctx, requestID,
		[]Status{AwaitingVerification, Verified, InProgress}, Update{Status: Failed, At: s.now()})
	if err != nil && !errors.Is(err, ErrConflict) {
		return fmt.Errorf("marking request failed: %w", err)
	}
	if err := s.event(ctx, requestID, "failed", cause); err != nil {
		return err
	}
	return s.escalate(ctx, requestID, "failed: "+cause)
}

// escalate emails the privacy team about a request, by id only.
func (s *Service) escalate(ctx context.Context, requestID, why string) error {
	if s.Config.PrivacyTeam == "" {
		return nil
	}
	err := s.Mailer.Send(ctx, Message{
		To:      s.Config.PrivacyTeam,
		Subject: "Privacy request " + requestID + " " + why,
		Text: fmt.Sprintf("Request %s %s.\nSee GET /admin/requests/%s and its events.\n",
			requestID, why, requestID),
	})
	if err != nil {
		return fmt.Errorf("escalating request: %w", err)
	}
	return nil
}
