// Command notify is the recipient notice Lambda: it consumes the
// recipient-notices queue and tells customers to erase what they received.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/handler/notify"
	"github.com/immagnify/immagnify/internal/resources"
)

func main() {
	deps, err := config.Build(context.Background(), resources.FunctionNotify, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "notify:", err)
		os.Exit(1)
	}
	h := &notify.Handler{
		Customers: deps.Store, Mailer: deps.Mailer,
		Fallback: deps.Settings.PrivacyTeam, Log: lambdacontext.NewLogger(),
	}
	lambda.Start(h.Handle)
}
