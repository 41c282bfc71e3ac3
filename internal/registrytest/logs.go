package registrytest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"
)

// logTailBytes is how much of the end of a registry's log a failed test
// prints.
const logTailBytes = 16 << 10

// logOnFailure prints the end of the log file at path when the test has
// failed by the time it ends. Register it before anything that writes the
// log is stopped, so that it runs after (cleanups run last in, first out).
func logOnFailure(t testing.TB, what, path string) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		tail, err := readTail(path, logTailBytes)
		if err != nil {
			t.Logf("registrytest: reading the %s log: %v", what, err)
			return
		}
		t.Logf("registrytest: end of the %s log (%s):\n%s", what, path, tail)
	})
}

// readTail returns at most the last n bytes of the file at path, starting at
// a line boundary when it had to cut.
func readTail(path string, n int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	offset := max(info.Size()-n, 0)
	b, err := io.ReadAll(io.NewSectionReader(f, offset, info.Size()-offset))
	if err != nil {
		return "", err
	}
	if offset > 0 {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
		return fmt.Sprintf("[… %d bytes before this]\n%s", offset, b), nil
	}
	return string(b), nil
}
