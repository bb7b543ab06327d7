// Command escalate is the deadline escalation Lambda: on a schedule it sweeps
// open requests; as a Step Functions task it fails and escalates a request.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/handler/escalate"
	"github.com/immagnify/immagnify/internal/resources"
)

func main() {
	deps, err := config.Build(context.Background(), resources.FunctionEscalate, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "escalate:", err)
		os.Exit(1)
	}
	h := &escalate.Handler{
		Service: deps.Service, Open: deps.Store, Log: lambdacontext.NewLogger(),
	}
	lambda.Start(h.Handle)
}
