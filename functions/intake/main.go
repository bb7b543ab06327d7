// Command intake is the privacy center's front Lambda: the request form,
// request submission, the status page and cancellation.
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
	_, h, err := function.Build(context.Background(), resources.FunctionIntake, os.Getenv,
		lambdacontext.NewLogger())
	if err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
