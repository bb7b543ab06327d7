package host

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/function"
	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/resources"
)

// build makes a function's handler exactly as its main does, with the
// host's environment instead of the process's.
func build(ctx context.Context, name string, getenv func(string) string, log *slog.Logger) (*config.Deps, lambda.Handler, error) {
	d, h, err := function.Build(ctx, name, getenv, log.With("function", name))
	if err != nil {
		return nil, nil, err
	}
	return d, lambda.NewHandler(h), nil
}

// Functions invokes the hosted functions by name, as the Lambda service
// would: with a Lambda context carrying a fresh request id and a deadline,
// and with a panic turned into a function error.
type Functions struct {
	log      *slog.Logger
	handlers map[string]lambda.Handler
}

// Invoke calls a function with a JSON payload.
func (f *Functions) Invoke(ctx context.Context, function string, payload []byte) (out []byte, err error) {
	h, ok := f.handlers[function]
	if !ok {
		return nil, &messages.InvokeResponse_Error{
			Type: "ResourceNotFoundException", Message: "no function " + function,
		}
	}
	timeout := 60 * time.Second
	for _, fn := range resources.Functions() {
		if fn.Name == function && fn.Timeout > 0 {
			timeout = fn.Timeout
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       id.New("inv"),
		InvokedFunctionArn: FunctionARN(function),
	})
	defer func() {
		if p := recover(); p != nil {
			f.log.Error("function panicked", "function", function,
				"stack", string(debug.Stack()))
			out, err = nil, &messages.InvokeResponse_Error{
				Type: "Runtime.Panic", Message: "the function panicked",
			}
		}
	}()
	return h.Invoke(ctx, payload)
}
