package transport

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestStatusError: what a registry says of a failure is kept short, with
// its error codes, numbers are read from it, and neither a page of HTML nor
// a huge body lands in a message.
func TestStatusError(t *testing.T) {
	t.Parallel()
	e := newStatusError(http.StatusRequestEntityTooLarge, "application/json",
		[]byte(`{"errors":[{"code":"TOO_MANY_TAGS_REQUESTED","message":"requested limit 1000 is too high, max is 100"}]}`))
	if e.Message != "TOO_MANY_TAGS_REQUESTED: requested limit 1000 is too high, max is 100" || !reflect.DeepEqual(e.Numbers, []int{1000, 100}) {
		t.Errorf("Quay's 413 = %+v", e)
	}
	e = newStatusError(http.StatusBadRequest, "application/json", []byte(`{"errors":[{"code":"PAGINATION_NUMBER_INVALID","message":"invalid number of results requested","detail":{"n":1000}}]}`))
	if !reflect.DeepEqual(e.Numbers, []int{1000}) {
		t.Errorf("numbers of distribution's 400 = %v, want [1000]", e.Numbers)
	}
	e = newStatusError(http.StatusNotFound, "text/html; charset=utf-8", []byte("<html><body>Sign in to continue</body></html>"))
	if !e.HTML || e.Message != "" || strings.Contains(e.Error(), "Sign in") {
		t.Errorf("an HTML answer = %+v (%q)", e, e.Error())
	}
	huge := strings.Repeat("refresh_token=secret ", 1<<16)
	e = newStatusError(http.StatusInternalServerError, "text/plain", []byte(huge))
	if len(e.Error()) > 300 {
		t.Errorf("a %d-byte answer made a %d-byte message", len(huge), len(e.Error()))
	}
}
