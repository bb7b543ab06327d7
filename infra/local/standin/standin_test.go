package standin

import (
	"bufio"
	"bytes"
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
	"testing"
	"time"
)

// skipWithoutStandIns skips a test that runs node when the stand-ins are not
// installed.
func skipWithoutStandIns(t *testing.T) {
	t.Helper()
	if _, err := NodeModules(); err != nil {
		t.Skipf("skipping: %v", err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skipf("skipping: %v", ErrNoNode)
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		kind Kind
		want string
	}{
		{DynamoDB, "DynamoDB"},
		{SQS, "SQS"},
		{SES, "SES"},
		{Kind(42), "Kind(42)"},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(tt.kind), got, tt.want)
		}
	}
}

func TestFreePort(t *testing.T) {
	port, err := FreePort()
	if err != nil {
		t.Fatalf("FreePort() error = %v", err)
	}
	if port <= 0 || port > 65535 {
		t.Fatalf("FreePort() = %d, want a TCP port", port)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatalf("listening on the free port %d: %v", port, err)
	}
	l.Close()
}

// writeTree creates the files named in files (path → content) under dir;
// a path ending in "/" is a directory.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for path, content := range files {
		full := filepath.Join(dir, path)
		if strings.HasSuffix(path, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNodeModules(t *testing.T) {
	const goMod = "module github.com/immagnify/immagnify\n\ngo 1.26.0\n"
	tests := []struct {
		name    string
		files   map[string]string
		env     string // relative to the tree; "" leaves the variable unset
		wd      string // relative to the tree
		want    string // relative to the tree; "" when an error is wanted
		wantErr error
	}{
		{
			name: "found from a package directory",
			files: map[string]string{
				"go.mod":                    goMod,
				"infra/local/node_modules/": "",
				"internal/privacy/":         "",
			},
			wd:   "internal/privacy",
			want: "infra/local/node_modules",
		},
		{
			name: "skips a go.mod of another module",
			files: map[string]string{
				"go.mod":                    goMod,
				"infra/local/node_modules/": "",
				"infra/cdk/go.mod":          "module github.com/immagnify/immagnify/infra/cdk\n",
			},
			wd:   "infra/cdk",
			want: "infra/local/node_modules",
		},
		{
			name: "quoted module path",
			files: map[string]string{
				"go.mod":                    "module \"github.com/immagnify/immagnify\"\n",
				"infra/local/node_modules/": "",
			},
			wd:   ".",
			want: "infra/local/node_modules",
		},
		{
			name:    "not installed",
			files:   map[string]string{"go.mod": goMod, "infra/local/": ""},
			wd:      "infra/local",
			wantErr: ErrNoNodeModules,
		},
		{
			name:    "outside the module",
			files:   map[string]string{"elsewhere/": ""},
			wd:      "elsewhere",
			wantErr: ErrNoNodeModules,
		},
		{
			name:  "from the environment",
			files: map[string]string{"elsewhere/": "", "mods/": ""},
			env:   "mods",
			wd:    "elsewhere",
			want:  "mods",
		},
		{
			name:    "environment names a missing directory",
			files:   map[string]string{"elsewhere/": ""},
			env:     "missing",
			wd:      "elsewhere",
			wantErr: ErrNoNodeModules,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			writeTree(t, root, tt.files)
			if tt.env != "" {
				t.Setenv(EnvNodeModules, filepath.Join(root, tt.env))
			} else {
				t.Setenv(EnvNodeModules, "")
			}
			t.Chdir(filepath.Join(root, tt.wd))

			got, err := NodeModules()
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("NodeModules() = %q, %v; want error %v", got, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), "npm ci --prefix infra/local") {
					t.Errorf("error %q does not say how to install the stand-ins", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NodeModules() error = %v", err)
			}
			if want := filepath.Join(root, tt.want); got != want {
				t.Errorf("NodeModules() = %q, want %q", got, want)
			}
		})
	}
}

// probe checks that a started stand-in serves its API.
func probe(t *testing.T, kind Kind, endpoint string) {
	t.Helper()
	var req *http.Request
	var err error
	switch kind {
	case DynamoDB:
		req, err = http.NewRequest(http.MethodPost, endpoint, strings.NewReader("{}"))
		if err == nil {
			req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			req.Header.Set("Authorization", testAuth)
			req.Header.Set("X-Amz-Date", "20200101T000000Z")
		}
	case SQS:
		req, err = http.NewRequest(http.MethodPost, endpoint, strings.NewReader("{}"))
		if err == nil {
			req.Header.Set("X-Amz-Target", "AmazonSQS.ListQueues")
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			req.Header.Set("Authorization", testAuth)
			req.Header.Set("X-Amz-Date", "20200101T000000Z")
		}
	case SES:
		req, err = http.NewRequest(http.MethodGet, endpoint+"/store", nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("calling the %s stand-in: %v", kind, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the %s stand-in answered %d: %s", kind, resp.StatusCode, body)
	}
}

// testAuth is a syntactically valid SigV4 header with fake credentials; the
// stand-ins do not check signatures.
const testAuth = "AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/x/aws4_request, " +
	"SignedHeaders=host;x-amz-date, Signature=00"

// gone reports whether pid no longer runs (a zombie counts as gone).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && len(s) > i+2 && s[i+2] == 'Z'
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still runs", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestStartAndStop(t *testing.T) {
	skipWithoutStandIns(t)
	for _, kind := range []Kind{DynamoDB, SQS, SES} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			p, err := Start(t.Context(), kind, Options{})
			if err != nil {
				t.Fatalf("Start(%v) error = %v", kind, err)
			}
			t.Cleanup(func() { p.Stop() })
			if want := "http://127.0.0.1:" + strconv.Itoa(p.Port()); p.Endpoint() != want {
				t.Errorf("Endpoint() = %q, want %q", p.Endpoint(), want)
			}
			probe(t, kind, p.Endpoint())

			if err := p.Stop(); err != nil {
				t.Fatalf("Stop() error = %v", err)
			}
			if !gone(p.PID()) {
				t.Errorf("process %d still runs after Stop", p.PID())
			}
			if err := p.Stop(); err != nil {
				t.Errorf("second Stop() error = %v", err)
			}
			if conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(p.Port())); err == nil {
				conn.Close()
				t.Errorf("port %d still answers after Stop", p.Port())
			}
		})
	}
}

func TestStartOnAGivenPort(t *testing.T) {
	skipWithoutStandIns(t)
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Start(t.Context(), DynamoDB, Options{Port: port})
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	defer p.Stop()
	if got := p.Port(); got != port {
		t.Errorf("Port() = %d, want %d", got, port)
	}
	probe(t, DynamoDB, p.Endpoint())
}

func TestStartOnAPortInUse(t *testing.T) {
	skipWithoutStandIns(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	p, err := Start(t.Context(), SES, Options{Port: port})
	if err == nil {
		p.Stop()
		t.Fatalf("Start() on port %d in use succeeded, want an error", port)
	}
	if want := fmt.Sprintf("port %d is in use", port); !strings.Contains(err.Error(), want) {
		t.Errorf("Start() error = %q, want it to contain %q", err, want)
	}
}

func TestStartWritesLog(t *testing.T) {
	skipWithoutStandIns(t)
	var out syncBuffer
	p, err := Start(t.Context(), DynamoDB, Options{Log: &out})
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	want := "Dynalite listening at: http://127.0.0.1:"
	if got := out.String(); !strings.Contains(got, want) {
		t.Errorf("log = %q, want it to contain %q", got, want)
	}
}

func TestStartWithoutNode(t *testing.T) {
	if _, err := NodeModules(); err != nil {
		t.Skipf("skipping: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err := Start(t.Context(), DynamoDB, Options{})
	if !errors.Is(err, ErrNoNode) {
		t.Fatalf("Start() error = %v, want %v", err, ErrNoNode)
	}
}

// TestStandInDiesWithItsParent starts a stand-in from a child copy of this
// test binary, kills that child with SIGKILL and checks that the stand-in
// goes too.
func TestStandInDiesWithItsParent(t *testing.T) {
	skipWithoutStandIns(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperParent$")
	cmd.Env = append(os.Environ(), "STANDIN_HELPER_PARENT=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()

	var pid int
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if s, ok := strings.CutPrefix(lines.Text(), "standin-pid="); ok {
			pid, _ = strconv.Atoi(s)
			break
		}
	}
	if pid == 0 {
		t.Fatalf("the helper did not report a stand-in pid (%v)", lines.Err())
	}
	t.Cleanup(func() {
		if !gone(pid) {
			syscall.Kill(-pid, syscall.SIGKILL) // the stand-in leads its group
		}
	})
	if gone(pid) {
		t.Fatalf("stand-in %d is not running before its parent dies", pid)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(t, pid)
}

// TestHelperParent is the parent process of TestStandInDiesWithItsParent.
func TestHelperParent(t *testing.T) {
	if os.Getenv("STANDIN_HELPER_PARENT") != "1" {
		t.Skip("helper process for TestStandInDiesWithItsParent")
	}
	p, err := Start(context.Background(), DynamoDB, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("standin-pid=%d\n", p.PID())
	time.Sleep(time.Minute)
	p.Stop()
}

// syncBuffer is a bytes.Buffer safe for the stand-in's output goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
