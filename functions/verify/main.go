// Command verify is the identity verification Lambda: a Step Functions task
// that emails a single-use link, and the API routes that confirm it.
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
	_, h, err := function.Build(context.Background(), resources.FunctionVerify, os.Getenv,
		lambdacontext.NewLogger())
	if err != nil {
		fmt.Fprintln(os.Stderr, "verify:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
