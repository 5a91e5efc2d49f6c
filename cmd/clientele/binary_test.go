package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cBin is the clientele binary, built once for the tests that run it.
var cBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if cBin.dir != "" {
		os.RemoveAll(cBin.dir)
	}
	os.Exit(code)
}

// cBinary builds the binary on first use and returns its path.
func cBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	cBin.once.Do(func() {
		if cBin.dir, cBin.err = os.MkdirTemp("", "clientele-bin-"); cBin.err != nil {
			return
		}
		cBin.path = filepath.Join(cBin.dir, "clientele")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "build", "-o", cBin.path, ".").CombinedOutput()
		if err != nil {
			cBin.err = errors.New(err.Error() + ": " + string(out))
		}
	})
	if cBin.err != nil {
		t.Fatalf("building the binary: %v", cBin.err)
	}
	return cBin.path
}

// cCleanEnv is the test process's environment without CLIENTELE_ variables.
func cCleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLIENTELE_") {
			env = append(env, kv)
		}
	}
	return env
}

// cProcess is `clientele serve` as a child process.
type cProcess struct {
	addr           string
	cmd            *exec.Cmd
	stdout, stderr *cSyncBuffer
	done           chan error
}

func (p *cProcess) Addr() string   { return p.addr }
func (p *cProcess) Stdout() string { return p.stdout.String() }
func (p *cProcess) Stderr() string { return p.stderr.String() }
func (p *cProcess) Stop()          { p.cmd.Process.Signal(syscall.SIGTERM) }
func (p *cProcess) Wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		return err
	case <-time.After(timeout):
		t.Fatalf("serve did not exit within %v; log:\n%s", timeout, p.Stderr())
		return nil
	}
}

// cStartProcess starts the binary's serve on a free port over dir and waits
// until it listens. The port is the kernel's choice (--addr 127.0.0.1:0);
// serve prints the address it got.
func cStartProcess(t *testing.T, dir string) cServer {
	t.Helper()
	// No rate limit: the scenario writes as fast as it can for a while.
	return cStartBinary(t, nil, "--data-dir", dir, "--shutdown-timeout", "20s", "--rate-limit", "0")
}

// cStartBinary starts the binary's serve on a free port with the further
// flags args and the environment variables env (KEY=value) and waits until
// it listens.
func cStartBinary(t *testing.T, env []string, args ...string) *cProcess {
	t.Helper()
	p := &cProcess{stdout: &cSyncBuffer{}, stderr: &cSyncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(cBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = append(cCleanEnv(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill() // only when the test failed before stopping it
			<-p.done
		}
	})
	p.addr = cWaitListening(t, p, func() error {
		select {
		case err := <-p.done:
			p.done <- err
			return errors.New("serve exited early: " + errString(err))
		default:
			return nil
		}
	})
	return p
}

func errString(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// cRunBinary runs the binary with args, bounded in time.
func cRunBinary(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cBinary(t), args...)
	cmd.Env = cCleanEnv()
	var out, errOut cSyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%w: %s", err, errOut.String())
	}
	return out.String(), nil
}

// cProvisionBinary runs `clientele company create --json` as its own process.
func cProvisionBinary(t *testing.T, dir, slug string) cProvisioned {
	t.Helper()
	return cProvisionStore(t, slug, "--data-dir", dir)
}

// cProvisionStore is cProvisionBinary on the database the flags store name.
func cProvisionStore(t *testing.T, slug string, store ...string) cProvisioned {
	t.Helper()
	out, err := cRunBinary(t, append([]string{"company", "create", "--name", "Company " + slug, "--slug", slug,
		"--admin-email", "admin@" + slug + ".example", "--admin-name", "Admin " + slug, "--json"}, store...)...)
	if err != nil {
		t.Fatalf("company create: %v", err)
	}
	var p cProvisioned
	cCheckProvisionedKeys(t, cOneObject(t, out, &p))
	return p
}

func TestBinaryServe(t *testing.T) {
	cServeScenario(t, cStartProcess, cProvisionBinary)
}

func TestBinaryExitCodes(t *testing.T) {
	dir := t.TempDir()
	if _, err := cRunBinary(t, "migrate", "--data-dir", dir); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"migrate", "--data-dir", dir, "stray"},
		{"token", "create", "--data-dir", dir, "--company", "nope", "--user", "a@b.example"},
	} {
		out, err := cRunBinary(t, args...)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("clientele %v: %v, want exit status 1", args, err)
		}
		if out != "" {
			t.Errorf("clientele %v printed %q on stdout", args, out)
		}
	}
}
