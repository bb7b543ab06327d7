// Command fulfil is the fulfilment Lambda: a Step Functions task that answers
// verified requests, and the API route that serves exports.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/handler/fulfil"
	"github.com/immagnify/immagnify/internal/resources"
)

func main() {
	deps, err := config.Build(context.Background(), resources.FunctionFulfil, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fulfil:", err)
		os.Exit(1)
	}
	h := &fulfil.Handler{Service: deps.Service, Log: lambdacontext.NewLogger()}
	lambda.Start(h.Handle)
}
