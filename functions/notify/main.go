// Command notify is the recipient notice Lambda: it consumes the
// recipient-notices queue and tells customers to erase what they received.
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
	_, h, err := function.Build(context.Background(), resources.FunctionNotify, os.Getenv,
		lambdacontext.NewLogger())
	if err != nil {
		fmt.Fprintln(os.Stderr, "notify:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
