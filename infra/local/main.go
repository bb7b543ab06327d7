// Command local runs the Immagnify platform on one machine (make run) and
// loads contacts into a running stack (make seed). See README.md.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/immagnify/immagnify/infra/local/demo"
	"github.com/immagnify/immagnify/infra/local/host"
	"github.com/immagnify/immagnify/internal/contact"
)

// stateFile tells make seed where the stack serving the API on port is. It
// holds the stack's keys, so it lives in a folder of the user's own (the
// user's cache folder, mode 0700) and is removed when the stack stops.
func stateFile(port int) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding a folder for the stack's state: %w", err)
	}
	dir = filepath.Join(dir, "immagnify")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("making %s: %w", dir, err)
	}
	return filepath.Join(dir, fmt.Sprintf("local-stack-%d.json", port)), nil
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = run(os.Args[2:])
	case "seed":
		err = seed(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: local run [flags] | local seed -file contacts.csv [-source kind]")
	os.Exit(2)
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	apiPort := fs.Int("api-port", 8080, "port of the HTTP API on 127.0.0.1")
	sesPort := fs.Int("ses-port", 8005, "port of the SES stand-in and its inbox")
	ddbPort := fs.Int("dynamodb-port", 8000, "port of the DynamoDB stand-in")
	sqsPort := fs.Int("sqs-port", 8001, "port of the SQS stand-in (it listens on all interfaces)")
	sfnPort := fs.Int("sfn-port", 8083, "port of the Step Functions engine")
	apiKey := fs.String("api-key", "", "demo API key of the first customer (made up when empty)")
	apiKey2 := fs.String("api-key-2", "", "demo API key of the second customer")
	adminKey := fs.String("admin-key", "", "admin key (made up when empty)")
	seedFile := fs.String("seed", "", "CSV of contacts to load instead of the demo data")
	demoCount := fs.Int("demo-contacts", 200, "how many demo contacts to generate")
	verbose := fs.Bool("v", false, "log debug lines and the stand-ins' output")
	_ = fs.Parse(args)

	level, standinLog := slog.LevelInfo, io.Discard
	if *verbose {
		level, standinLog = slog.LevelDebug, io.Writer(os.Stderr)
	}
	log := host.NewLogger(os.Stderr, level)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Read the seed before starting anything, so a bad file fails fast.
	var cs []contact.Candidate
	if *seedFile != "" {
		var err error
		if cs, err = readSeed(*seedFile, ""); err != nil {
			return err
		}
	} else {
		cs = demo.Generate(*demoCount, 1)
	}

	began := time.Now()
	stack, err := host.Start(ctx, host.Options{
		APIPort: *apiPort, SESPort: *sesPort, DynamoDBPort: *ddbPort,
		SQSPort: *sqsPort, SFNPort: *sfnPort, Logger: log, StandinLog: standinLog,
	})
	if err != nil {
		return err
	}
	defer stack.Close()
	state, err := stateFile(*apiPort)
	if err != nil {
		return err
	}
	if err := stack.WriteState(state); err != nil {
		return fmt.Errorf("writing %s: %w", state, err)
	}
	defer os.Remove(state)

	sum, err := stack.Seed(ctx, cs)
	if err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	keys := []*string{apiKey, apiKey2, adminKey}
	for _, k := range keys {
		if *k == "" {
			*k = secret()
		}
	}

	fmt.Printf(`
Immagnify local stack is up (%.1fs). Nothing is kept across restarts.

  Privacy center     %s/privacy
  HTTP API           %s
  SES inbox          %s   (sent mail as JSON: %s/store)
  DynamoDB           %s   (dynalite, in memory)
  SQS                %s   (fauxqs; listens on all interfaces)
  Step Functions     %s   (run by this host)

  Contacts loaded    %d read, %d new, %d merged, %d suppressed, %d rejected
  Try an access request for zoe.angstrom@northwind-traders.example

  Demo API key 1     %s
  Demo API key 2     %s
  Admin key          %s
  (the prospecting and admin APIs that take these keys are not served yet)

Load more contacts: make seed FILE=contacts.csv SOURCE=partner
Press Ctrl-C to stop everything.
`, time.Since(began).Seconds(), stack.APIURL, stack.APIURL, stack.SESURL, stack.SESURL,
		stack.DynamoDBURL, stack.SQSURL, stack.SFNURL,
		sum.Read, sum.New, sum.Merged, sum.Suppressed, sum.Rejected,
		*apiKey, *apiKey2, *adminKey)

	<-ctx.Done()
	fmt.Println("\nstopping…")
	return nil
}

func seed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	file := fs.String("file", "", "CSV of contacts")
	source := fs.String("source", "public-web", "source kind: public-web, partner or community")
	apiPort := fs.Int("api-port", 8080, "API port of the running stack to load into")
	_ = fs.Parse(args)
	if *file == "" {
		return errors.New("seed needs -file")
	}
	if _, err := contact.ParseSourceKind(*source); err != nil {
		return err
	}
	state, err := stateFile(*apiPort)
	if err != nil {
		return err
	}
	env, err := host.ReadState(state)
	if err != nil {
		return err
	}
	cs, err := readSeed(*file, contact.SourceKind(*source))
	if err != nil {
		return err
	}
	ctx := context.Background()
	in, _, err := host.Ingester(ctx, env)
	if err != nil {
		return err
	}
	sum, err := host.Load(ctx, in, cs)
	if err != nil {
		return err
	}
	fmt.Printf("%d read, %d new, %d merged, %d suppressed, %d rejected\n",
		sum.Read, sum.New, sum.Merged, sum.Suppressed, sum.Rejected)
	return nil
}

func readSeed(path string, kind contact.SourceKind) ([]contact.Candidate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if kind == "" {
		kind = contact.PublicWeb
	}
	cs, rowErrs, err := demo.ReadCSV(f, kind, "seed file "+filepath.Base(path))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	for i, e := range rowErrs {
		if i == 10 {
			fmt.Fprintf(os.Stderr, "… and %d more rows skipped\n", len(rowErrs)-10)
			break
		}
		fmt.Fprintf(os.Stderr, "%s line %d skipped: %s\n", path, e.Line, e.Reason)
	}
	return cs, nil
}

func secret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return strings.TrimRight(base64.RawURLEncoding.EncodeToString(b), "=")
}
