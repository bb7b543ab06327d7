package host

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// person returns a contact with a unique address for one test.
func person(t *testing.T, first, last, phone, country string) contact.Candidate {
	t.Helper()
	local := strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	return contact.Candidate{
		FirstName: first, LastName: last,
		Email: local + "." + time.Now().Format("150405.000000") + "@northwind-traders.example",
		Phone: phone, Title: "Head of Procurement", Company: "Northwind Traders",
		CompanyDomain: "northwind-traders.example", City: "København", Country: country,
		Source: contact.Source{Kind: contact.Partner, Name: "Nordic Partner Feed",
			URL: "https://partner.example/feed/42", CollectedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
	}
}

func seed(t *testing.T, cs ...contact.Candidate) {
	t.Helper()
	sum, err := needStack(t).Seed(context.Background(), cs)
	if err != nil {
		t.Fatalf("seeding: %v", err)
	}
	if sum.New+sum.Merged != len(cs) {
		t.Fatalf("seeded %+v, want %d stored", sum, len(cs))
	}
}

func contactsOf(t *testing.T, address string) []contact.Contact {
	t.Helper()
	key, err := matchkey.Email(address)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := stack.Deps["fulfil"].Store.ContactsByEmailKey(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// exportDoc is the part of an export the tests read.
type exportDoc struct {
	Contacts []struct {
		ContactID string `json:"contactId"`
		Fields    map[string]struct {
			Value  string `json:"value"`
			Source struct {
				Kind        string `json:"kind"`
				Name        string `json:"name"`
				URL         string `json:"url"`
				CollectedAt string `json:"collectedAt"`
			} `json:"source"`
		} `json:"fields"`
	} `json:"contacts"`
	Recipients []struct {
		Recipient string `json:"recipient"`
	} `json:"recipients"`
	LegalBasis string   `json:"legalBasis"`
	Purposes   []string `json:"purposes"`
	Retention  string   `json:"retention"`
}

// accessFlow runs an access request for address through verification and
// returns the result email.
func accessFlow(t *testing.T, address, name string) (receipt, email) {
	t.Helper()
	r := submit(t, "access", address, name)
	v := waitMail(t, address, "Confirm your privacy request "+r.RequestID)
	code, body := confirm(t, link(t, v.Body.Text, "/privacy/verify"))
	if code != 200 {
		t.Fatalf("confirm = %d %s", code, body)
	}
	return r, waitMail(t, address, "Your privacy request "+r.RequestID+" is complete")
}

func TestAccessRequestReturnsDataWithSources(t *testing.T) {
	p := person(t, "Zoë", "Ångström", "+45 32 12 34 56", "DK")
	seed(t, p)
	r, result := accessFlow(t, p.Email, "Zoë Ångström")

	exportPath := link(t, result.Body.Text, "/privacy/exports/")
	code, hdr, body := call(t, "GET", exportPath, "", "")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("GET export = %d %s %s", code, hdr.Get("Content-Type"), body)
	}
	var doc exportDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Contacts) != 1 {
		t.Fatalf("export has %d contacts, want 1", len(doc.Contacts))
	}
	f := doc.Contacts[0].Fields
	for field, want := range map[string]string{
		"firstName": "Zoë", "lastName": "Ångström", "email": p.Email,
		"phone": "+45 32 12 34 56", "city": "København", "country": "DK",
	} {
		if f[field].Value != want {
			t.Errorf("export %s = %q, want %q", field, f[field].Value, want)
		}
		src := f[field].Source
		if src.Kind != "partner" || src.Name != "Nordic Partner Feed" ||
			src.URL != "https://partner.example/feed/42" || src.CollectedAt != "2026-03-01T09:00:00Z" {
			t.Errorf("export %s source = %+v", field, src)
		}
	}
	if len(doc.Recipients) == 0 || !strings.Contains(doc.Recipients[0].Recipient, "(demo)") {
		t.Errorf("export recipients = %+v, want the demo customer", doc.Recipients)
	}
	if !strings.Contains(doc.LegalBasis, "Legitimate interest") || len(doc.Purposes) == 0 ||
		doc.Retention == "" {
		t.Errorf("export lacks legal basis, purposes or retention: %+v", doc)
	}

	// The same export as CSV, by the email's second link.
	csvLink := linkRE.FindAllStringSubmatch(result.Body.Text, -1)[1][1]
	code, hdr, body = call(t, "GET", csvLink, "", "")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
		t.Errorf("GET the CSV link = %d %s", code, hdr.Get("Content-Type"))
	}

	// The same export as CSV, by Accept.
	code, hdr, body = call(t, "GET", exportPath, "", "", "Accept", "text/csv")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") ||
		!strings.Contains(body, "Ångström") || !strings.Contains(body, "Nordic Partner Feed") {
		t.Fatalf("GET export as CSV = %d %s %q", code, hdr.Get("Content-Type"), body)
	}

	// A wrong token finds nothing.
	code, _, _ = call(t, "GET", strings.Split(exportPath, "?")[0]+"?token="+
		strings.Repeat("A", 43), "", "")
	if code != 404 {
		t.Errorf("export with a wrong token = %d, want 404", code)
	}
	if r.Status != "awaiting_verification" {
		t.Errorf("receipt status = %q", r.Status)
	}
}

func TestUnknownPersonLooksTheSameUntilVerified(t *testing.T) {
	known := person(t, "Łukasz", "Wójcik", "", "PL")
	known.Phone = "+48 512 345 678"
	seed(t, known)
	unknown := "nobody." + time.Now().Format("150405.000000") + "@globex.example"

	a := submit(t, "access", known.Email, "Łukasz Wójcik")
	b := submit(t, "access", unknown, "Nobody")
	if a.Status != b.Status || len(a.RequestID) != len(b.RequestID) {
		t.Errorf("receipts differ: %+v vs %+v", a, b)
	}
	va := waitMail(t, known.Email, "Confirm your privacy request")
	vb := waitMail(t, unknown, "Confirm your privacy request")
	norm := func(s string) string {
		return linkRE.ReplaceAllString(strings.ReplaceAll(strings.ReplaceAll(s,
			a.RequestID, "ID"), b.RequestID, "ID"), "LINK")
	}
	if norm(va.Body.Text) != norm(vb.Body.Text) {
		t.Errorf("verification emails differ:\n%s\n---\n%s", va.Body.Text, vb.Body.Text)
	}

	code, body := confirm(t, link(t, vb.Body.Text, "/privacy/verify"))
	if code != 200 {
		t.Fatalf("confirm = %d %s", code, body)
	}
	result := waitMail(t, unknown, "is complete")
	if !strings.Contains(result.Body.Text, "hold no data") {
		t.Errorf("result for an unknown person = %q, want that we hold no data", result.Body.Text)
	}
	if strings.Contains(result.Body.Text, "/privacy/exports/") {
		t.Error("result for an unknown person links to an export")
	}
}

func TestVerificationLink(t *testing.T) {
	p := person(t, "Ἀλέξανδρος", "Παπαδόπουλος", "+30 691 234 5678", "GR")
	seed(t, p)
	r := submit(t, "access", p.Email, "Αλέξανδρος")
	v := waitMail(t, p.Email, "Confirm your privacy request "+r.RequestID)
	verifyPath := link(t, v.Body.Text, "/privacy/verify")
	statusPath := link(t, v.Body.Text, "/privacy/requests/")

	// Opening the link any number of times changes nothing.
	for i := 0; i < 3; i++ {
		code, hdr, body := call(t, "GET", verifyPath, "", "", "Accept", "text/html")
		if code != 200 || !strings.Contains(body, `id="confirm"`) {
			t.Fatalf("GET link = %d, want the confirm page: %s", code, body)
		}
		if got := hdr.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("Referrer-Policy = %q, want no-referrer", got)
		}
		if got := status(t, statusPath); got != "awaiting_verification" {
			t.Fatalf("after opening the link, status = %q", got)
		}
	}

	// The confirm works once.
	code, body := confirm(t, verifyPath)
	if code != 200 || !strings.Contains(body, r.RequestID) {
		t.Fatalf("first confirm = %d %s", code, body)
	}
	code, body = confirm(t, verifyPath)
	if code != 409 || !strings.Contains(body, `"code":"token_used"`) {
		t.Errorf("second confirm = %d %s, want 409 token_used", code, body)
	}
	waitStatus(t, statusPath, "completed")
	code, _, body = call(t, "GET", verifyPath, "", "", "Accept", "text/html")
	if code != 200 || strings.Contains(body, `id="confirm"`) || !strings.Contains(body, "Already confirmed") {
		t.Errorf("GET used link = %d, want the already-confirmed page: %s", code, body)
	}

	// Unknown and malformed tokens get a clear page and error.
	for _, tok := range []string{strings.Repeat("A", 43), "short", ""} {
		code, _, body := call(t, "GET", "/privacy/verify?token="+tok, "", "", "Accept", "text/html")
		if code != 404 || !strings.Contains(body, "not valid") {
			t.Errorf("GET unknown token %q = %d %s", tok, code, body)
		}
		b, _ := json.Marshal(map[string]string{"token": tok})
		code, _, body = call(t, "POST", "/privacy/verify", "application/json", string(b))
		if code != 404 || !strings.Contains(body, "token_not_found") {
			t.Errorf("POST unknown token %q = %d %s", tok, code, body)
		}
	}

	// The token is stored only as a hash.
	tok := tokenOf(t, verifyPath)
	if _, err := stack.Deps["verify"].Store.GetToken(context.Background(), tok); err == nil {
		t.Error("the token itself is a key of the tokens table")
	}
}

func TestErasureRemovesAndSuppresses(t *testing.T) {
	p := person(t, "Jürgen", "Müller", "+49 151 23456789", "DE")
	seed(t, p)
	before := contactsOf(t, p.Email)
	if len(before) != 1 {
		t.Fatalf("seeded contacts = %d, want 1", len(before))
	}
	ctx := context.Background()
	store := stack.Deps["fulfil"].Store
	ds, err := store.DisclosuresOf(ctx, before[0].ID)
	if err != nil || len(ds) == 0 {
		t.Fatalf("seeded disclosures = %d, %v; want some", len(ds), err)
	}

	// An earlier access request left an export behind.
	_, access := accessFlow(t, p.Email, "Jürgen Müller")
	exportPath := link(t, access.Body.Text, "/privacy/exports/")
	if code, _, _ := call(t, "GET", exportPath, "", ""); code != 200 {
		t.Fatalf("GET export before erasure = %d", code)
	}

	r := submit(t, "erasure", p.Email, "Jürgen Müller")
	v := waitMail(t, p.Email, "Confirm your privacy request "+r.RequestID)
	if code, body := confirm(t, link(t, v.Body.Text, "/privacy/verify")); code != 200 {
		t.Fatalf("confirm = %d %s", code, body)
	}
	result := waitMail(t, p.Email, "Your privacy request "+r.RequestID+" is complete")
	if !strings.Contains(result.Body.Text, "erased every record") {
		t.Errorf("result = %q", result.Body.Text)
	}

	// Every item about the person is gone.
	if got := contactsOf(t, p.Email); len(got) != 0 {
		t.Errorf("contacts after erasure = %d, want 0", len(got))
	}
	if _, err := store.GetContact(ctx, before[0].ID); err == nil {
		t.Error("the contact can still be read by id")
	}
	if ds, _ := store.DisclosuresOf(ctx, before[0].ID); len(ds) != 0 {
		t.Errorf("disclosures after erasure = %d, want 0", len(ds))
	}
	if code, _, _ := call(t, "GET", exportPath, "", ""); code != 404 {
		t.Errorf("GET export after erasure = %d, want 404", code)
	}
	req, err := store.GetRequest(ctx, r.RequestID)
	if err != nil || req.Email != "" || req.Name != "" {
		t.Errorf("closed request keeps personal data: %+v, %v", req, err)
	}

	// Each recipient is told (Art. 19).
	customer := ""
	for _, c := range DemoCustomers {
		if c.ID == ds[0].CustomerID {
			customer = c.NoticeEmail
		}
	}
	waitMail(t, customer, before[0].ID)

	// Asking what we hold now answers that we hold a fingerprint only.
	_, again := accessFlow(t, p.Email, "Jürgen Müller")
	if !strings.Contains(again.Body.Text, "hold no data") ||
		!strings.Contains(again.Body.Text, "fingerprint") {
		t.Errorf("access after erasure = %q", again.Body.Text)
	}

	// Loading the same person again, written differently, is refused.
	variants := []struct {
		name string
		edit func(*contact.Candidate)
	}{
		{"other letter case", func(c *contact.Candidate) { c.Email = strings.ToUpper(c.Email) }},
		{"plus tag", func(c *contact.Candidate) {
			c.Email = strings.Replace(c.Email, "@", "+crm@", 1)
		}},
		{"phone in another format, new email", func(c *contact.Candidate) {
			c.Email, c.Phone = "j.mueller@elsewhere.example", "0151 2345 6789"
		}},
	}
	for _, tt := range variants {
		t.Run(tt.name, func(t *testing.T) {
			c := p
			tt.edit(&c)
			in, _, err := Ingester(ctx, stack.Env)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := Load(ctx, in, []contact.Candidate{c})
			if err != nil || sum.Suppressed != 1 {
				t.Errorf("loading again = %+v, %v; want suppressed", sum, err)
			}
		})
	}
}

func TestSubmitBadInput(t *testing.T) {
	valid := `{"type":"access","email":"ok@example.com","name":"Ok"}`
	tests := []struct {
		name, contentType, body string
		wantStatus              int
		wantCode                string
	}{
		{"broken JSON", "application/json", `{"type":"access",`, 400, "invalid_json"},
		{"unknown type", "application/json",
			`{"type":"forget-me-not","email":"ok@example.com","name":"Ok"}`, 400, "invalid_request"},
		{"duplicate keys", "application/json",
			`{"type":"access","email":"a@example.com","email":"b@example.com","name":"Ok"}`, 400, "duplicate_key"},
		{"case-variant keys", "application/json",
			`{"type":"access","email":"a@example.com","EMAIL":"b@example.com","name":"Ok"}`, 400, "duplicate_key"},
		{"body over 64 KB", "application/json", `{"type":"access","email":"ok@example.com","name":"` +
			strings.Repeat("x", 65<<10) + `"}`, 413, "body_too_large"},
		{"invalid address", "application/json",
			`{"type":"access","email":"not an address","name":"Ok"}`, 400, "invalid_request"},
		{"missing name", "application/json", `{"type":"access","email":"ok@example.com"}`, 400, "invalid_request"},
		{"array", "application/json", `[` + valid + `]`, 400, "invalid_json"},
		{"unknown field", "application/json", strings.Replace(valid, `"name"`, `"nmae"`, 1), 400, "unknown_field"},
		{"wrong media type", "text/plain", valid, 415, "unsupported_media_type"},
		{"form with a repeated field", "application/x-www-form-urlencoded",
			"type=access&type=erasure&email=ok%40example.com&name=Ok", 400, ""},
		{"form with an invalid address", "application/x-www-form-urlencoded",
			"type=access&email=nope&name=Ok", 400, ""},
		{"form decoded over 64 KB", "application/x-www-form-urlencoded",
			"type=access&email=ok%40example.com&name=Ok&details=" + strings.Repeat("x", 65<<10), 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hdr, body := call(t, "POST", "/privacy/requests", tt.contentType, tt.body)
			if code != tt.wantStatus {
				t.Fatalf("status = %d %s, want %d", code, body, tt.wantStatus)
			}
			if tt.wantCode == "" {
				if !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") ||
					(code == 400 && !strings.Contains(body, `id="form-error"`)) {
					t.Errorf("form error page missing: %s", body)
				}
				return
			}
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != tt.wantCode ||
				e.Error.Message == "" {
				t.Errorf("body = %s, want error code %s", body, tt.wantCode)
			}
		})
	}
}

// TestBase64Bodies invokes intake with events as API Gateway builds them,
// including one whose base64 is broken, which HTTP cannot produce.
func TestBase64Bodies(t *testing.T) {
	s := needStack(t)
	event := func(body string, b64 bool, ctype string) []byte {
		ev := map[string]any{
			"version": "2.0", "routeKey": "POST /privacy/requests", "rawPath": "/privacy/requests",
			"headers":         map[string]string{"content-type": ctype},
			"requestContext":  map[string]any{"http": map[string]string{"method": "POST", "path": "/privacy/requests"}},
			"body":            body,
			"isBase64Encoded": b64,
		}
		b, _ := json.Marshal(ev)
		return b
	}
	form := "type=access&email=b64%40example.com&name=Zo%C3%AB"
	tests := []struct {
		name       string
		payload    []byte
		wantStatus int
	}{
		{"base64 form", event(base64.StdEncoding.EncodeToString([]byte(form)), true,
			"application/x-www-form-urlencoded"), 202},
		{"base64 JSON", event(base64.StdEncoding.EncodeToString(
			[]byte(`{"type":"access","email":"b64@example.com","name":"Zoë"}`)), true, "application/json"), 202},
		{"invalid base64", event("***not base64***", true, "application/json"), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.functions.Invoke(context.Background(), "intake", tt.payload)
			if err != nil {
				t.Fatalf("invoke: %v", err)
			}
			var resp struct {
				StatusCode int `json:"statusCode"`
			}
			if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d (%s), want %d", resp.StatusCode, out, tt.wantStatus)
			}
		})
	}
}

func TestIdempotencyKey(t *testing.T) {
	body := `{"type":"information","email":"idem@example.com","name":"Idem"}`
	key := "Idempotency-Key"
	c1, _, r1 := call(t, "POST", "/privacy/requests", "application/json", body, key, "k-"+t.Name())
	c2, _, r2 := call(t, "POST", "/privacy/requests", "application/json", body, key, "k-"+t.Name())
	if c1 != 202 || c2 != 202 || r1 != r2 {
		t.Errorf("retry = %d %s / %d %s, want the same 202", c1, r1, c2, r2)
	}
	other := strings.Replace(body, "information", "access", 1)
	c3, _, r3 := call(t, "POST", "/privacy/requests", "application/json", other, key, "k-"+t.Name())
	if c3 != 409 || !strings.Contains(r3, "idempotency_key_reused") {
		t.Errorf("reused key = %d %s, want 409", c3, r3)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	tests := []struct {
		name, method, path  string
		wantStatus          int
		wantCode, wantAllow string
	}{
		{"unknown path", "GET", "/privacy/nope", 404, "not_found", ""},
		{"root", "GET", "/", 404, "not_found", ""},
		{"wrong method", "DELETE", "/privacy/requests", 405, "method_not_allowed", "POST"},
		{"wrong method on a template", "PUT", "/privacy/requests/req_x", 405, "method_not_allowed", "GET"},
		{"both methods listed", "DELETE", "/privacy/verify", 405, "method_not_allowed", "GET, POST"},
		{"traversal", "GET", "/privacy/requests/..%2F..%2Fetc", 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hdr, body := call(t, tt.method, tt.path, "", "")
			if code != tt.wantStatus || !strings.Contains(body, `"code":"`+tt.wantCode+`"`) {
				t.Fatalf("%s %s = %d %s, want %d %s", tt.method, tt.path, code, body,
					tt.wantStatus, tt.wantCode)
			}
			if got := hdr.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tt.wantAllow)
			}
		})
	}
}

func TestFormEdges(t *testing.T) {
	form := func(details string) string {
		return url.Values{"type": {"rectification"}, "email": {"cjk@example.com"},
			"name": {"誤字"}, "details": {details}}.Encode()
	}
	// 8,000 Japanese characters fit the form although URL-encoding makes the
	// body nine times longer.
	code, _, body := call(t, "POST", "/privacy/requests", "application/x-www-form-urlencoded",
		form(strings.Repeat("誤", 8000)), "Accept", "text/html")
	if code != 202 || !strings.Contains(body, "Check your email") {
		t.Errorf("long CJK form = %d", code)
	}

	// A replayed form shows no status link.
	key := "form-replay-" + time.Now().Format("150405.000000")
	b := form("my title is wrong")
	c1, _, first := call(t, "POST", "/privacy/requests", "application/x-www-form-urlencoded", b,
		"Idempotency-Key", key)
	c2, _, again := call(t, "POST", "/privacy/requests", "application/x-www-form-urlencoded", b,
		"Idempotency-Key", key)
	if c1 != 202 || c2 != 202 || !strings.Contains(first, "?token=") ||
		strings.Contains(again, "?token=") {
		t.Errorf("replayed form = %d/%d; the first must show the status link, the replay not", c1, c2)
	}

	// Confirmations: a form error is a page, another media type a 415.
	code, hdr, body := call(t, "POST", "/privacy/verify", "application/x-www-form-urlencoded",
		"token=a&token=b")
	if code != 400 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Errorf("confirm form with two tokens = %d %s", code, body)
	}
	code, _, body = call(t, "POST", "/privacy/verify", "text/plain", "token")
	if code != 415 || !strings.Contains(body, "unsupported_media_type") {
		t.Errorf("confirm as text/plain = %d %s", code, body)
	}
}
