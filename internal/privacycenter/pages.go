// Package privacycenter renders the pages of the public privacy center. The
// pages work without JavaScript, load nothing from elsewhere, and never show a
// token back except inside the form that must post it.
package privacycenter

import (
	"bytes"
	"embed"
	"html/template"
	"time"

	"github.com/immagnify/immagnify/internal/privacy"
)

//go:embed templates/*.html
var files embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 January 2006, 15:04 UTC")
	},
	"statusText": StatusText,
}).ParseFS(files, "templates/*.html"))

// TypeOption is one choice of request type on the form.
type TypeOption struct {
	Value    privacy.Type
	Label    string
	Selected bool
}

// Form is what the request form shows: the choices, what the person typed
// and, after a refused post, what was wrong.
type Form struct {
	Types   []TypeOption
	Email   string
	Name    string
	Details string
	Regime  string
	Error   string
}

// NewForm returns the form with the given values filled in.
func NewForm(typ, email, name, details, regime, problem string) Form {
	f := Form{Email: email, Name: name, Details: details, Regime: regime, Error: problem}
	for _, t := range privacy.Types {
		f.Types = append(f.Types, TypeOption{
			Value: t, Label: t.Label(), Selected: string(t) == typ,
		})
	}
	return f
}

// FormPage renders the request form.
func FormPage(f Form) string { return render("form.html", f) }

// Ack is the answer to a posted form.
type Ack struct {
	RequestID string
	DueAt     time.Time
	StatusURL string
}

// AckPage renders the acknowledgement of a posted form. It reads the same
// whether or not we hold data about the person.
func AckPage(a Ack) string { return render("ack.html", a) }

// Status is a request's status page.
type Status struct {
	Request   privacy.Request
	Token     string
	CanCancel bool
	Message   string
}

// StatusPage renders a request's status page.
func StatusPage(s Status) string { return render("status.html", s) }

// Verify is the verification page: a confirm button for a valid link, or
// what became of it.
type Verify struct {
	State     privacy.TokenState
	Token     string
	Confirmed bool
	Request   privacy.Request
}

// VerifyPage renders the verification page.
func VerifyPage(v Verify) string { return render("verify.html", v) }

// Message is a page with a title and one paragraph.
type Message struct {
	Title string
	Text  string
}

// MessagePage renders a plain message page.
func MessagePage(m Message) string { return render("message.html", m) }

// StatusText describes a request status for people.
func StatusText(s privacy.Status) string {
	switch s {
	case privacy.AwaitingVerification:
		return "Waiting for you to confirm your email address"
	case privacy.Verified:
		return "Email address confirmed; we are starting on it"
	case privacy.InProgress:
		return "We are working on it"
	case privacy.Completed:
		return "Completed; we sent you the answer by email"
	case privacy.Denied:
		return "Refused; we sent you the reasons by email"
	case privacy.Expired:
		return "Expired: the email address was not confirmed in time"
	case privacy.Cancelled:
		return "Cancelled"
	case privacy.Failed:
		return "Delayed: our privacy team is looking into it"
	}
	return string(s)
}

func render(name string, data any) string {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		// The templates are fixed and tested; a failure here is a bug.
		panic("rendering " + name + ": " + err.Error())
	}
	return b.String()
}
