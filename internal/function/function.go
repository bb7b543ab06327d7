// Package function builds each Lambda's handler from its settings, in one
// place: every functions/<name>/main.go and the local host call Build, so the
// handler that runs in Lambda is the handler the local stack hosts.
package function

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/handler/escalate"
	"github.com/immagnify/immagnify/internal/handler/fulfil"
	"github.com/immagnify/immagnify/internal/handler/intake"
	"github.com/immagnify/immagnify/internal/handler/notify"
	"github.com/immagnify/immagnify/internal/handler/verify"
	"github.com/immagnify/immagnify/internal/resources"
)

// Build reads the settings of function name through getenv, builds its
// adapters, and returns them with its handler function, ready for
// lambda.Start or lambda.NewHandler.
func Build(ctx context.Context, name string, getenv func(string) string, log *slog.Logger) (*config.Deps, any, error) {
	d, err := config.Build(ctx, name, getenv)
	if err != nil {
		return nil, nil, err
	}
	switch name {
	case resources.FunctionIntake:
		return d, (&intake.Handler{Service: d.Service, Log: log}).Handle, nil
	case resources.FunctionVerify:
		return d, (&verify.Handler{Service: d.Service, Log: log}).Handle, nil
	case resources.FunctionFulfil:
		return d, (&fulfil.Handler{Service: d.Service, Log: log}).Handle, nil
	case resources.FunctionEscalate:
		return d, (&escalate.Handler{Service: d.Service, Open: d.Store, Log: log}).Handle, nil
	case resources.FunctionNotify:
		return d, (&notify.Handler{
			Customers: d.Store, Mailer: d.Mailer, Fallback: d.Settings.PrivacyTeam, Log: log,
		}).Handle, nil
	}
	return nil, nil, fmt.Errorf("no handler for function %q", name)
}
