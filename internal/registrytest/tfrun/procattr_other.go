//go:build !linux

package tfrun

import (
	"os/exec"
	"syscall"
)

// SysProcAttr returns nil: only Linux can tie a child's life to its parent's.
func SysProcAttr() *syscall.SysProcAttr {
	return nil
}

// ownProcessGroup leaves cmd as it is: a cancelled context kills cmd's own
// process only.
func ownProcessGroup(*exec.Cmd) {}
