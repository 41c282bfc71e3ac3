package tfrun

import (
	"os/exec"
	"syscall"
)

// SysProcAttr has the kernel kill a registry when the test process dies,
// even when it dies without running its cleanups (a panic, a -timeout).
func SysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// ownProcessGroup runs cmd in a process group of its own, which the kernel
// kills when the test process dies and which a cancelled context kills
// whole, so that no process cmd started (a provider Terraform ran) outlives
// it.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
