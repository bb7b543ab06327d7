package standin

import (
	"os/exec"
	"runtime"
	"sync"
)

// Linux sends a parent-death signal when the thread that forked the child
// exits, not the process, and the Go runtime may end threads. So every
// stand-in is started from one goroutine locked to a thread that lives as
// long as the program.
var (
	starterOnce sync.Once
	starts      chan startRequest
)

type startRequest struct {
	cmd  *exec.Cmd
	errc chan error
}

// startCmd starts cmd from the long-lived starter thread.
func startCmd(cmd *exec.Cmd) error {
	starterOnce.Do(func() {
		starts = make(chan startRequest)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread must not exit
			for r := range starts {
				r.errc <- r.cmd.Start()
			}
		}()
	})
	errc := make(chan error, 1)
	starts <- startRequest{cmd: cmd, errc: errc}
	return <-errc
}
