package host

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser for the browser test: CHROMIUM, or chromium on
// the PATH (.ci/run installs Debian's).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("Chromium is not installed (apt-get install chromium, as .ci/run does); " +
		"skipping the browser test of the privacy center")
	return ""
}

// TestBrowserAccessRequest is a new user in a real browser: they fill in the
// form without JavaScript help, read the verification email in the SES inbox,
// confirm, read the result email and download their export.
func TestBrowserAccessRequest(t *testing.T) {
	s := needStack(t)
	bin := chromium(t)
	p := person(t, "Søren", "Kierkegård", "+45 32 12 34 57", "DK")
	seed(t, p)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	// Fill in and send the form.
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.APIURL+"/privacy"),
		chromedp.WaitVisible(`input[name=type][value=access]`),
		chromedp.Click(`input[name=type][value=access]`),
		chromedp.SendKeys(`#email`, p.Email),
		chromedp.SendKeys(`#name`, p.FirstName+" "+p.LastName),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#request-id`),
	)
	if err != nil {
		t.Fatalf("sending the form: %v", err)
	}
	scripts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.scripts.length`))
	if err != nil || scripts != 0 {
		t.Errorf("the acknowledgement page has %d scripts (%v); the pages need none", scripts, err)
	}
	requestID, err := chromedp.Run(ctx, chromedp.Text(`#request-id`))
	if err != nil {
		t.Fatalf("reading the acknowledgement: %v", err)
	}

	// Read the verification email in the SES inbox and open its link.
	text := inboxText(ctx, t, s.SESURL, requestID, "Confirm your privacy request")
	verify := regexp.MustCompile(`http://\S+/privacy/verify\?token=\S+`).FindString(text)
	if verify == "" {
		t.Fatalf("no verification link in the email:\n%s", text)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(verify),
	)
	if err != nil {
		t.Fatalf("opening the link: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`#confirm`),
		chromedp.WaitVisible(`#outcome`),
	)
	if err != nil {
		t.Fatalf("confirming: %v", err)
	}
	outcome, err := chromedp.Run(ctx, chromedp.Text(`#outcome`))
	if err != nil {
		t.Fatalf("reading the confirmation: %v", err)
	}
	if !strings.Contains(outcome, requestID) {
		t.Fatalf("confirm page says %q", outcome)
	}

	// Read the result email and download the export.
	text = inboxText(ctx, t, s.SESURL, requestID, "is complete")
	export := regexp.MustCompile(`http://\S+/privacy/exports/\S+`).FindString(text)
	if export == "" {
		t.Fatalf("no export link in the result email:\n%s", text)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(export)); err != nil {
		t.Fatalf("downloading the export: %v", err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(`body`))
	if err != nil {
		t.Fatalf("downloading the export: %v", err)
	}
	var doc exportDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, body)
	}
	if len(doc.Contacts) != 1 || doc.Contacts[0].Fields["lastName"].Value != "Kierkegård" ||
		doc.Contacts[0].Fields["lastName"].Source.Name != "Nordic Partner Feed" {
		t.Errorf("export = %s", body)
	}
}

// inboxText opens the SES stand-in's inbox page until a message about the
// request with the subject appears, shows its text and returns it.
func inboxText(ctx context.Context, t *testing.T, sesURL, requestID, subject string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		err := chromedp.Do(ctx, chromedp.Navigate(sesURL+"/"),
			chromedp.Sleep(300*time.Millisecond))
		if err != nil {
			t.Fatalf("opening the inbox: %v", err)
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const all = Array.from(document.querySelectorAll('.email-text'));
				const hit = all.find(e => e.textContent.includes(`+jsString(requestID)+`) &&
					e.closest('.email-inner').textContent.includes(`+jsString(subject)+`));
				if (!hit) return "";
				hit.closest('.email-inner').querySelector('button').click(); // "Toggle text view"
				return hit.innerText;
			})()`))
		if err != nil {
			t.Fatalf("reading the inbox: %v", err)
		}
		if text != "" {
			return text
		}
	}
	t.Fatalf("no %q email about %s in the inbox page", subject, requestID)
	return ""
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
