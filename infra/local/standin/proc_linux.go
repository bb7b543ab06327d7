package standin

import "syscall"

// sysProcAttr puts the stand-in in a process group of its own, so that Stop
// reaches anything it spawns, and asks the kernel to kill it when the thread
// that started it dies, so that a crashed parent leaves nothing behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
