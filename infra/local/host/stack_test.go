package host

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/immagnify/immagnify/infra/local/standin"
)

// The tests of this package share one stack, started by TestMain with every
// stand-in on a free port; its logs are kept for the personal-data check.
var (
	stack   *Stack
	logs    syncBuffer
	skipMsg string
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestMain(m *testing.M) {
	if _, err := standin.NodeModules(); err != nil {
		skipMsg = "local stand-ins are not installed (run make deps): " + err.Error()
		os.Exit(m.Run())
	}
	var err error
	stack, err = Start(context.Background(), Options{
		Logger: NewLogger(&logs, slog.LevelDebug), NoSchedules: true,
		// One state machine second lasts 10 ms, so retries and the
		// verification wait (VERIFY_TIMEOUT of 30 min = 18 s) pass quickly.
		Second: 10 * time.Millisecond, VerifyTimeout: 30 * time.Minute,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the local stack:", err)
		os.Exit(1)
	}
	code := m.Run()
	stack.Close()
	os.Exit(code)
}

func needStack(t *testing.T) *Stack {
	t.Helper()
	if stack == nil {
		t.Skip(skipMsg)
	}
	return stack
}

// call sends an HTTP request to the stack's API and returns status, headers
// and body.
func call(t *testing.T, method, path, contentType, body string, headers ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, needStack(t).APIURL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// email is a message in the SES stand-in's store.
type email struct {
	MessageID   string `json:"messageId"`
	From        string `json:"from"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
	Subject string `json:"subject"`
	Body    struct {
		Text string `json:"text"`
	} `json:"body"`
}

// inbox returns the mail sent to address so far.
func inbox(t *testing.T, address string) []email {
	t.Helper()
	resp, err := http.Get(needStack(t).SESURL + "/store")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var store struct {
		Emails []email `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatal(err)
	}
	var out []email
	for _, e := range store.Emails {
		for _, to := range e.Destination.To {
			if strings.EqualFold(to, address) {
				out = append(out, e)
			}
		}
	}
	return out
}

// waitMail waits until address has received a message whose subject
// contains subject, and returns it.
func waitMail(t *testing.T, address, subject string) email {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range inbox(t, address) {
			if strings.Contains(e.Subject, subject) {
				return e
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no email %q reached the inbox in time", subject)
	return email{}
}

var linkRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+(/privacy/[^\s]+)`)

// link returns the path and query of the first link in text under prefix.
func link(t *testing.T, text, prefix string) string {
	t.Helper()
	for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
		if strings.HasPrefix(m[1], prefix) {
			return m[1]
		}
	}
	t.Fatalf("no %s link in the email", prefix)
	return ""
}

func tokenOf(t *testing.T, path string) string {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

// receipt is the JSON answer of intake and of the status page.
type receipt struct {
	RequestID  string `json:"requestId"`
	Status     string `json:"status"`
	ReceivedAt string `json:"receivedAt"`
	DueAt      string `json:"dueAt"`
}

// submit posts a JSON request and returns its receipt.
func submit(t *testing.T, typ, address, name string) receipt {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"type": typ, "email": address, "name": name})
	code, _, resp := call(t, "POST", "/privacy/requests", "application/json", string(body))
	if code != 202 {
		t.Fatalf("POST /privacy/requests = %d %s, want 202", code, resp)
	}
	var r receipt
	if err := json.Unmarshal([]byte(resp), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// status reads a request's status through its status link.
func status(t *testing.T, statusPath string) string {
	t.Helper()
	code, _, body := call(t, "GET", statusPath, "", "", "Accept", "application/json")
	if code != 200 {
		t.Fatalf("GET status = %d %s", code, body)
	}
	var r receipt
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	return r.Status
}

func waitStatus(t *testing.T, statusPath, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	got := ""
	for time.Now().Before(deadline) {
		if got = status(t, statusPath); got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("request status = %q, want %q", got, want)
}

// confirm posts the token of a verification link as JSON.
func confirm(t *testing.T, verifyPath string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"token": tokenOf(t, verifyPath)})
	code, _, resp := call(t, "POST", "/privacy/verify", "application/json", string(body))
	return code, resp
}
