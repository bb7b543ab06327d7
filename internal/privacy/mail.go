package privacy

import (
	"fmt"
	"strings"
	"time"
)

// The emails the person receives. They name the request by its id and carry
// links; they repeat none of the data we hold.

func verificationEmail(r Request, link, statusURL string, until time.Time) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello,\n\n")
	fmt.Fprintf(&b, "We received a request made with this email address: %s.\n", r.Type.Label())
	fmt.Fprintf(&b, "Request id: %s\n\n", r.ID)
	fmt.Fprintf(&b, "To confirm that this address is yours, open the link below and\n")
	fmt.Fprintf(&b, "press the Confirm button. The link works once, until %s.\n\n",
		until.UTC().Format("2 January 2006 15:04 MST"))
	fmt.Fprintf(&b, "%s\n\n", link)
	fmt.Fprintf(&b, "You can follow or cancel the request here:\n%s\n\n", statusURL)
	fmt.Fprintf(&b, "If you did not make this request, ignore this email: nothing\n")
	fmt.Fprintf(&b, "happens unless the link is confirmed.\n\nImmagnify privacy team\n")
	return Message{Subject: "Confirm your privacy request " + r.ID, Text: b.String()}
}

func resultEmail(r Request, body string) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello,\n\nYour request %s (%s) is complete.\n\n", r.ID, r.Type.Label())
	b.WriteString(body)
	b.WriteString("\n\nIf you disagree with this answer, reply to this email or " +
		"complain to a data protection supervisory authority.\n\nImmagnify privacy team\n")
	return Message{Subject: "Your privacy request " + r.ID + " is complete", Text: b.String()}
}

func accessBody(found bool, link, csvLink string, until time.Time) string {
	if !found {
		return "We searched our database for the email address you verified and we " +
			"hold no data about you."
	}
	return fmt.Sprintf("We searched our database for the email address you verified. "+
		"Everything we hold about you, where each detail came from, who received it, "+
		"why we process it and for how long is in your export:\n\n%s\n\n"+
		"The same as a spreadsheet (CSV):\n\n%s\n\n"+
		"The links work until %s.",
		link, csvLink, until.UTC().Format("2 January 2006 15:04 MST"))
}

// suppressedNote tells a person we hold nothing but the fingerprint that
// keeps them out after an erasure or objection.
const suppressedNote = "Because you asked us to erase your data or objected to its " +
	"use before, we keep a one-way fingerprint of your email address so that it is " +
	"never collected again; it cannot be turned back into the address."

func erasureBody(found bool) string {
	if !found {
		return "We hold no data about the email address you verified. We have " +
			"recorded a one-way fingerprint of it so that it is not collected in " +
			"the future."
	}
	return "We erased every record about you. We keep only a one-way fingerprint " +
		"of your email address and phone number so that you are not collected " +
		"again, and we told the customers who received your details to erase them."
}

func informationBody() string {
	return "We compile business contact details (name, job title, work email, " +
		"work phone, city, company) from public web pages, licensed partners and " +
		"contributions of our users, and provide them to business customers for " +
		"prospecting and CRM enrichment.\n\n" + legalBasis + "\n\n" + rightsText
}

func automatedDecisionBody() string {
	return "We make no decision about you based solely on automated processing, " +
		"including profiling, that produces legal or similarly significant " +
		"effects. Job titles are grouped into seniority levels by fixed rules so " +
		"that customers can filter their searches; no decision is made about you."
}
