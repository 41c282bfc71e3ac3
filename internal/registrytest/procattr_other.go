//go:build !linux

package registrytest

import (
	"os/exec"
	"syscall"
)

// sysProcAttr returns nil: only Linux can tie a child's life to its parent's.
func sysProcAttr() *syscall.SysProcAttr {
	return nil
}

// ownProcessGroup leaves cmd as it is: a cancelled context kills cmd's own
// process only.
func ownProcessGroup(*exec.Cmd) {}
