package transport

import (
	"errors"
	"io"
	"net/http"
)

// DroppedError is a connection that broke off while a body was read.
type DroppedError struct{ err error }

func (e *DroppedError) Error() string {
	return "the connection dropped while reading the answer: " + e.err.Error()
}

func (e *DroppedError) Unwrap() error { return e.err }

// Kind is KindDropped.
func (e *DroppedError) Kind() Kind { return KindDropped }

// IsBodyError reports whether err is an error of an answer's body itself,
// not of what it holds: a connection that broke off (Fetch sends the
// request again) or a safety cap. Decoders return it as it is, rather
// than as malformed content, so that a drop is retried and a cap named.
func IsBodyError(err error) bool {
	var (
		dropped *DroppedError
		large   *TooLargeError
	)
	return errors.As(err, &dropped) || errors.As(err, &large)
}

// Body returns a reader of resp's body as it arrives, of at most limit
// bytes: an answer whose Content-Length is larger fails at once, naming
// its size, and one that runs past the limit fails when it does, so that
// an oversized answer is an error, never a silent truncation, and is never
// held. what names the answer in that error ("the manifest"). A read that
// fails because the connection broke off is a KindDropped error, which
// Fetch sends again; the caller's own decoding errors are not.
func Body(resp *http.Response, limit int64, what string) (io.Reader, error) {
	if resp.ContentLength > limit {
		return nil, &TooLargeError{What: what, Size: resp.ContentLength, Limit: limit}
	}
	return &body{r: resp.Body, n: limit, what: what, limit: limit}, nil
}

type body struct {
	r     io.Reader
	n     int64 // bytes left before the limit
	what  string
	limit int64
}

func (b *body) Read(p []byte) (int, error) {
	if b.n <= 0 {
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			return 0, &TooLargeError{What: b.what, Limit: b.limit}
		}
		return 0, b.wrap(err)
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	return n, b.wrap(err)
}

func (b *body) wrap(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	return &DroppedError{err: err}
}
