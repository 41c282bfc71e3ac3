package registrytest

import "syscall"

// sysProcAttr has the kernel kill a registry when the test process dies,
// even when it dies without running its cleanups (a panic, a -timeout).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
