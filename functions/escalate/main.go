// Command escalate is the deadline escalation Lambda: on a schedule it sweeps
// open requests; as a Step Functions task it fails and escalates a request.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/immagnify/immagnify/internal/function"
	"github.com/immagnify/immagnify/internal/resources"
)

func main() {
	_, h, err := function.Build(context.Background(), resources.FunctionEscalate, os.Getenv,
		lambdacontext.NewLogger())
	if err != nil {
		fmt.Fprintln(os.Stderr, "escalate:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
