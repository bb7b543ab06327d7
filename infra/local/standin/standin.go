// Package standin starts and stops the node programs that stand in for AWS
// services on a laptop: dynalite for DynamoDB, fauxqs for SQS and
// aws-ses-v2-local for SES. They are installed with npm in
// infra/local/node_modules (`npm ci --prefix infra/local`, or `make deps`).
//
// Each stand-in runs as `node <script>` with the node found on PATH, in a
// process group of its own, bound to 127.0.0.1 wherever the stand-in can be
// told. On Linux the stand-in is also killed when the process that started it
// dies, so a crashed host or test binary leaves nothing behind.
package standin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Module is the path of the Go module whose checkout holds infra/local.
const Module = "github.com/immagnify/immagnify"

// EnvNodeModules names the environment variable that, when set, gives the
// node_modules directory to use instead of searching for it.
const EnvNodeModules = "IMMAGNIFY_NODE_MODULES"

// ErrNoNodeModules reports that infra/local/node_modules is missing.
var ErrNoNodeModules = errors.New(
	"infra/local/node_modules not found: run `npm ci --prefix infra/local` " +
		"(or `make deps`)")

// ErrNoNode reports that no node executable is on PATH.
var ErrNoNode = errors.New("node not found on PATH: install Node.js 20 or later")

// readyTimeout bounds the wait for a stand-in to answer after it starts.
const readyTimeout = 30 * time.Second

// stopGrace is how long Stop waits after SIGTERM before it sends SIGKILL.
const stopGrace = 5 * time.Second

// Kind names a stand-in.
type Kind int

// The stand-ins this package can start.
const (
	// DynamoDB is dynalite, in memory, with tables that become ACTIVE at once.
	DynamoDB Kind = iota + 1
	// SQS is fauxqs. Its CLI reads the port from FAUXQS_PORT and listens on
	// all interfaces (0.0.0.0) whatever it is told, so a machine on the same
	// network can reach it while it runs.
	SQS
	// SES is aws-ses-v2-local; GET /store on its endpoint lists sent mail.
	SES
)

// String returns the AWS service name the stand-in replaces.
func (k Kind) String() string {
	switch k {
	case DynamoDB:
		return "DynamoDB"
	case SQS:
		return "SQS"
	case SES:
		return "SES"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// bin is the name of the stand-in's entry in node_modules/.bin.
func (k Kind) bin() string {
	switch k {
	case DynamoDB:
		return "dynalite"
	case SQS:
		return "fauxqs"
	case SES:
		return "aws-ses-v2-local"
	}
	return ""
}

// Options configure Start.
type Options struct {
	// Port is the TCP port to listen on; 0 picks a free port on 127.0.0.1.
	Port int
	// Log receives the stand-in's standard output and error; nil discards.
	Log io.Writer
}

// Process is a running stand-in.
type Process struct {
	kind     Kind
	port     int
	cmd      *exec.Cmd
	done     chan struct{} // closed when the process has exited
	waitErr  error         // set before done is closed
	stopOnce sync.Once
	stopErr  error
}

// Endpoint returns the stand-in's base URL, http://127.0.0.1:PORT.
func (p *Process) Endpoint() string {
	return "http://127.0.0.1:" + strconv.Itoa(p.port)
}

// Port returns the TCP port the stand-in listens on.
func (p *Process) Port() int { return p.port }

// PID returns the process id of the node process, which is also the id of
// its process group.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Kind returns which stand-in this is.
func (p *Process) Kind() Kind { return p.kind }

// Stop ends the stand-in: SIGTERM to its process group, then SIGKILL if it
// is still running after a grace period. It waits for the process to exit
// and is safe to call more than once.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() { p.stopErr = p.stop() })
	return p.stopErr
}

func (p *Process) stop() error {
	pgid := p.cmd.Process.Pid
	select {
	case <-p.done:
		return nil
	default:
	}
	if err := signalGroup(pgid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("stopping %s stand-in (pid %d): %w", p.kind, pgid, err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(stopGrace):
	}
	if err := signalGroup(pgid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("killing %s stand-in (pid %d): %w", p.kind, pgid, err)
	}
	<-p.done
	return nil
}

// signalGroup sends sig to every process in the group pgid; a group that
// has already gone is not an error.
func signalGroup(pgid int, sig syscall.Signal) error {
	err := syscall.Kill(-pgid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// FreePort asks the kernel for a TCP port that is free on 127.0.0.1.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	return port, nil
}

// NodeModules returns the directory infra/local/node_modules. It uses
// $IMMAGNIFY_NODE_MODULES when set, and otherwise walks up from the working
// directory to the root of the module github.com/immagnify/immagnify.
// The error wraps ErrNoNodeModules when the directory is missing.
func NodeModules() (string, error) {
	if dir := os.Getenv(EnvNodeModules); dir != "" {
		if !isDir(dir) {
			return "", fmt.Errorf("%s=%s is not a directory: %w",
				EnvNodeModules, dir, ErrNoNodeModules)
		}
		return filepath.Abs(dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding node_modules: %w", err)
	}
	root, err := moduleRoot(wd)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "infra", "local", "node_modules")
	if !isDir(dir) {
		return "", fmt.Errorf("no %s: %w", dir, ErrNoNodeModules)
	}
	return dir, nil
}

// moduleRoot walks up from dir to the directory whose go.mod declares
// Module.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; {
		if declaresModule(filepath.Join(d, "go.mod")) {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod for %s above %s: %w",
				Module, dir, ErrNoNodeModules)
		}
		d = parent
	}
}

// declaresModule reports whether the go.mod file at path declares Module.
func declaresModule(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == Module
		}
	}
	return false
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// Start runs the stand-in kind and waits until its endpoint answers: a TCP
// connection, and for SES also GET /store. ctx bounds only that wait (at
// most 30 s); the stand-in then runs until Stop is called. The error wraps
// ErrNoNodeModules or ErrNoNode when the stand-in cannot be run at all.
func Start(ctx context.Context, kind Kind, opts Options) (*Process, error) {
	if kind.bin() == "" {
		return nil, fmt.Errorf("starting stand-in: unknown %v", kind)
	}
	modules, err := NodeModules()
	if err != nil {
		return nil, fmt.Errorf("starting %s stand-in: %w", kind, err)
	}
	script, err := filepath.EvalSymlinks(filepath.Join(modules, ".bin", kind.bin()))
	if err != nil {
		return nil, fmt.Errorf("starting %s stand-in: %v: %w", kind, err, ErrNoNodeModules)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("starting %s stand-in: %w", kind, ErrNoNode)
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}

	// A port picked by FreePort can be taken by someone else before the
	// stand-in binds it; pick again a couple of times when that happens.
	attempts := 1
	if opts.Port == 0 {
		attempts = 3
	}
	var lastErr error
	for range attempts {
		port := opts.Port
		if port == 0 {
			if port, err = FreePort(); err != nil {
				return nil, fmt.Errorf("starting %s stand-in: %w", kind, err)
			}
		} else if err := checkFree(port); err != nil {
			return nil, fmt.Errorf("starting %s stand-in: %w", kind, err)
		}
		p, err := launch(ctx, kind, node, script, port, opts.Log)
		if err == nil {
			return p, nil
		}
		lastErr = err
		if !errors.Is(err, errExited) || ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("starting %s stand-in: %w", kind, lastErr)
}

// errExited reports that a stand-in exited before it answered.
var errExited = errors.New("stand-in exited before it answered")

// checkFree fails when port is already in use on 127.0.0.1, so that Start
// does not mistake another server for the stand-in.
func checkFree(port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("port %d is in use: %w", port, err)
	}
	return l.Close()
}

// launch starts one stand-in process on port and waits until it answers.
func launch(ctx context.Context, kind Kind, node, script string, port int,
	log io.Writer) (*Process, error) {
	args := []string{script}
	env := baseEnv()
	ps := strconv.Itoa(port)
	switch kind {
	case DynamoDB:
		args = append(args, "--host", "127.0.0.1", "--port", ps,
			"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	case SQS:
		env = append(env, "FAUXQS_PORT="+ps, "FAUXQS_DEFAULT_REGION=us-east-1")
		if log == io.Discard {
			env = append(env, "FAUXQS_LOGGER=false")
		}
	case SES:
		args = append(args, "--host", "127.0.0.1", "--port", ps)
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = filepath.Dir(script)
	cmd.Env = env
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.SysProcAttr = sysProcAttr()
	cmd.WaitDelay = 2 * time.Second
	if err := startCmd(cmd); err != nil {
		return nil, fmt.Errorf("running node %s: %w", script, err)
	}
	p := &Process{kind: kind, port: port, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()

	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := p.waitReady(ctx); err != nil {
		_ = p.Stop()
		return nil, err
	}
	return p, nil
}

// baseEnv is the environment a stand-in runs with: only what node needs, so
// that settings meant for other programs (SMTP_TRANSPORT makes
// aws-ses-v2-local relay mail, FAUXQS_HOST changes queue URLs) stay out.
func baseEnv() []string {
	var env []string
	for _, name := range []string{"PATH", "HOME", "TMPDIR", "LANG", "TZ"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return env
}

// waitReady polls the stand-in until it answers, it exits, or ctx ends.
func (p *Process) waitReady(ctx context.Context) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port))
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if p.answers(ctx, addr, client) {
			// A stand-in that lost its port to another server exits at once;
			// give it a moment so that we do not report the other server.
			select {
			case <-p.done:
			case <-time.After(20 * time.Millisecond):
				return nil
			}
		}
		select {
		case <-p.done:
			return fmt.Errorf("%w: %v", errExited, p.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s on %s: %w", p.kind, addr, ctx.Err())
		case <-tick.C:
		}
	}
}

// answers reports whether the stand-in accepts connections on addr and, for
// SES, serves GET /store.
func (p *Process) answers(ctx context.Context, addr string, client *http.Client) bool {
	d := net.Dialer{Timeout: time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	_ = conn.Close()
	if p.kind != SES {
		return true
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.Endpoint()+"/store", nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
