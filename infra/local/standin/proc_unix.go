//go:build unix && !linux

package standin

import "syscall"

// sysProcAttr puts the stand-in in a process group of its own, so that Stop
// reaches anything it spawns.
//
// TODO: outside Linux there is no parent-death signal, so a stand-in
// outlives a parent that crashes; it needs a watchdog to match Linux.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
