// Package require is the handful of assertions that the signature tests
// use, on the standard library, named as testify's require names them:
// each stops the test when it fails.
package require

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func NoError(t testing.TB, err error, msg ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v %v", err, msg)
	}
}

func Error(t testing.TB, err error, msg ...any) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error %v", msg)
	}
}

func ErrorAs(t testing.TB, err error, target any, msg ...any) {
	t.Helper()
	if !errors.As(err, target) {
		t.Fatalf("error %v is not a %T %v", err, target, msg)
	}
}

func Equal(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("got %v, want %v %v", got, want, msg)
	}
}

func True(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if !v {
		t.Fatalf("false %v", msg)
	}
}

func False(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if v {
		t.Fatalf("true %v", msg)
	}
}

func Len(t testing.TB, v any, n int, msg ...any) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		t.Fatalf("length %d, want %d: %v %v", l, n, v, msg)
	}
}

func Empty(t testing.TB, v any, msg ...any) {
	t.Helper()
	if rv := reflect.ValueOf(v); rv.IsValid() && !rv.IsZero() && (rv.Kind() == reflect.Struct || rv.Len() != 0) {
		t.Fatalf("not empty: %v %v", v, msg)
	}
}

func NotEmpty(t testing.TB, v any, msg ...any) {
	t.Helper()
	if rv := reflect.ValueOf(v); !rv.IsValid() || rv.IsZero() || (rv.Kind() != reflect.Struct && rv.Len() == 0) {
		t.Fatalf("empty %v", msg)
	}
}

func Contains(t testing.TB, s, sub any, msg ...any) {
	t.Helper()
	switch v := s.(type) {
	case string:
		if !strings.Contains(v, fmt.Sprint(sub)) {
			t.Fatalf("%q does not contain %q %v", v, sub, msg)
		}
	default:
		rv := reflect.ValueOf(s)
		if rv.Kind() == reflect.Map {
			if !rv.MapIndex(reflect.ValueOf(sub)).IsValid() {
				t.Fatalf("%v has no key %v %v", s, sub, msg)
			}
			return
		}
		for i := range rv.Len() {
			if reflect.DeepEqual(rv.Index(i).Interface(), sub) {
				return
			}
		}
		t.Fatalf("%v does not contain %v %v", s, sub, msg)
	}
}
