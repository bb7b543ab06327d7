// Command intake is the privacy center's front Lambda: the request form,
// request submission, the status page and cancellation.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/handler/intake"
	"github.com/immagnify/immagnify/internal/resources"
)

func main() {
	deps, err := config.Build(context.Background(), resources.FunctionIntake, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
	h := &intake.Handler{Service: deps.Service, Log: lambdacontext.NewLogger()}
	lambda.Start(h.Handle)
}
