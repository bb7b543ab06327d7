// Command fulfil is the fulfilment Lambda: a Step Functions task that answers
// verified requests, and the API route that serves exports.
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
	_, h, err := function.Build(context.Background(), resources.FunctionFulfil, os.Getenv,
		lambdacontext.NewLogger())
	if err != nil {
		fmt.Fprintln(os.Stderr, "fulfil:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
