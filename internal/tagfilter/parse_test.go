package tagfilter

import (
	"errors"
	"regexp/syntax"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr, canonical string
	}{
		{"semver()", "semver()"},
		{" semver ( ) ", "semver()"},
		{"\n\tsemver(\n)\r\n", "semver()"},
		{"semver(true)", "semver(allow_no_nums=true)"},
		{"semver(false)", "semver()"},
		{"semver(allow_no_nums=false)", "semver()"},
		{"semver( allow_no_nums = true )", "semver(allow_no_nums=true)"},
		{"number()", "number()"},
		{"number( )", "number()"},
		{"prefix('master-', suffix=number())", "prefix('master-', suffix=number())"},
		{`prefix("master-", number())`, "prefix('master-', suffix=number())"},
		{"prefix(suffix=number(), prefix='x')", "prefix('x', suffix=number())"},
		{"prefix(prefix='x')", "prefix('x')"},
		{"prefix('release-')", "prefix('release-')"},
		{"prefix('a', semver())", "prefix('a')"},
		{"prefix('a', suffix=semver(allow_no_nums=false))", "prefix('a')"},
		{"prefix('p', semver(allow_no_nums=true))", "prefix('p', suffix=semver(allow_no_nums=true))"},
		{"prefix('')", "prefix('')"},
		{`prefix("")`, "prefix('')"},
		{`prefix("it's-")`, `prefix("it's-")`},
		{`prefix('say "x"-')`, `prefix('say "x"-')`},
		{"prefix('a,b)(')", "prefix('a,b)(')"},
		{"prefix('  ')", "prefix('  ')"},
		{"prefix('é-', number())", "prefix('é-', suffix=number())"},
		{"\n\tprefix(\n 'a-' ,\n suffix = prefix('b-', suffix=number())\n)\n",
			"prefix('a-', suffix=prefix('b-', suffix=number()))"},
		{"prefix('a-', prefix('b-', prefix('c-')))", "prefix('a-', suffix=prefix('b-', suffix=prefix('c-')))"},
		{"regex('foo|bar')", "regex('foo|bar')"},
		{`regex("it's")`, `regex("it's")`},
		{`regex(pattern='\d+')`, `regex('\d+')`},
		{`regex('^v(?P<version>\d+\.\d+)$')`, `regex('^v(?P<version>\d+\.\d+)$')`},
		{"regex('(?P<version>[0-9.]+)-alpine')", "regex('(?P<version>[0-9.]+)-alpine')"},
		{"regex('(?P<v>a)(?P<version>b)')", "regex('(?P<v>a)(?P<version>b)')"},
		{"regex('a\nb')", "regex('a\nb')"},
		{"prefix('x', regex('[0-9]+'))", "prefix('x', suffix=regex('[0-9]+'))"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.expr, err)
			}
			if got := f.String(); got != tt.canonical {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.expr, got, tt.canonical)
			}
			g, err := Parse(f.String())
			if err != nil {
				t.Fatalf("Parse(%q) of the canonical form: %v", f.String(), err)
			}
			if g.String() != f.String() {
				t.Errorf("canonical form is not stable: %q then %q", f.String(), g.String())
			}
		})
	}
}

func TestDefault(t *testing.T) {
	t.Parallel()
	if got := Default().String(); got != "semver()" {
		t.Errorf("Default().String() = %q, want semver()", got)
	}
	if !Default().Keep("v1.2.3") || Default().Keep("latest") {
		t.Error("Default() does not behave like semver()")
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("prefix('',", 70) + "semver()" + strings.Repeat(")", 70)
	tests := []struct {
		expr   string
		column int
		msg    string // a part of the message
	}{
		// The examples of the spec.
		{"prefix('a', suffix=number)", 26, `expected "(" after number`},
		{"semver() x", 10, `unexpected text after the closing ")"`},
		{"foo()", 1, "unknown function foo; use semver, number, prefix or regex"},
		{"regex('[')", 7, `invalid regular expression "[": missing closing ]`},

		// Empty and blank.
		{"", 1, "empty"},
		{"   ", 4, "empty"},
		{"\n\t", 3, "empty"},

		// Names.
		{"Semver()", 1, "unknown function Semver; function names are lower case: semver"},
		{"SEMVER()", 1, "lower case"},
		{"prefix('a', suffix=Number())", 20, "unknown function Number"},
		{"prefix('a', suffix=foo())", 20, "unknown function foo"},
		{"prefix('é', suffix=numbr())", 20, "unknown function numbr"}, // columns count characters
		{"semver", 7, `expected "(" after semver, found the end of the expression`},
		{"number)", 7, `expected "(" after number, found ")"`},
		{"true", 1, "expected a filter such as semver(), found true"},
		{"'semver()'", 1, "expected a filter such as semver(), found a string"},
		{"@", 1, `expected a filter such as semver(), found "@"`},
		{"(", 1, `expected a filter such as semver(), found "("`},
		{"_x()", 1, `found "_"`},
		{"  é", 3, `found "é"`},

		// Parentheses and trailing text.
		{"semver(", 8, `expected an argument or ")", found the end of the expression`},
		{"number(", 8, `expected ")", found the end of the expression`},
		{"semver(true", 12, `expected "," or ")", found the end of the expression`},
		{"semver(true true)", 13, `expected "," or ")", found true`},
		{"prefix('a' suffix=number())", 12, `expected "," or ")", found suffix`},
		{"semver())", 9, "unexpected text after"},
		{"semver()semver()", 9, "unexpected text after"},
		{"semver(), number()", 9, "unexpected text after"},
		{"semver()\n\nx", 11, "unexpected text after"},
		{"  semver() x", 12, "unexpected text after"},

		// Strings.
		{"prefix('abc", 8, "the string is not closed: expected a closing '"},
		{`prefix("abc')`, 8, `the string is not closed: expected a closing "`},
		{"semver() 'x", 10, "unexpected text after"},
		{"prefix('a', 'b", 13, "the string is not closed"},

		// Booleans.
		{"semver(allow_no_nums=yes)", 22, "expected true or false for allow_no_nums, found yes"},
		{"semver(allow_no_nums=True)", 22, "booleans are lower case"},
		{"semver(FALSE)", 8, "booleans are lower case"},
		{"semver(allow_no_nums='true')", 22, "allow_no_nums takes true or false, not a string"},
		{"semver(allow_no_nums=semver())", 22, "allow_no_nums takes true or false, not a call"},
		{"semver(allow_no_nums=)", 22, `expected true or false for allow_no_nums, found ")"`},
		{"semver(@)", 8, `expected true or false for allow_no_nums, found "@"`},
		{"semver(,)", 8, `expected true or false for allow_no_nums, found ","`},
		{"semver(=true)", 8, `found "="`},

		// Argument lists.
		{"prefix(suffix=number(), 'a')", 25, "positional arguments come before named ones"},
		{"prefix('a', prefix='b')", 13, "argument prefix of prefix() is given twice"},
		{"semver(true, allow_no_nums=false)", 14, "argument allow_no_nums of semver() is given twice"},
		{"prefix('a', suffix=number(), prefix='b')", 30, "given twice"},
		{"prefix('a', suffix=number(), suffix=semver())", 30, "argument suffix of prefix() is given twice"},
		{"semver(foo=true)", 8, "semver() has no argument foo; its arguments are allow_no_nums"},
		{"prefix(Prefix='a')", 8, "prefix() has no argument Prefix; its arguments are prefix and suffix"},
		{"number(x='1')", 8, "number() takes no arguments"},
		{"number('1')", 8, "number() takes no arguments"},
		{"number(,)", 8, "number() takes no arguments"},
		{"semver(true, false)", 14, "too many arguments: semver() takes at most 1 (allow_no_nums)"},
		{"regex('a', 'b')", 12, "too many arguments: regex() takes at most 1"},
		{"prefix('a', number(), semver())", 23, "too many arguments: prefix() takes at most 2 (prefix and suffix)"},
		{"semver(true,)", 13, `expected an argument after ",", found ")"`},
		{"prefix('a',)", 12, `expected an argument after ","`},
		{"prefix('a', suffix=number(),)", 29, `expected an argument after ","`},
		{"prefix('a',", 12, `expected an argument after ",", found the end of the expression`},

		// Argument types.
		{"prefix(number())", 8, "prefix takes a quoted string, not a call"},
		{"prefix(true)", 8, "prefix takes a quoted string, not a boolean"},
		{"prefix(master)", 8, "expected a quoted string for prefix, found master"},
		{"prefix('a', 'b')", 13, "suffix takes a call such as semver(), not a string"},
		{"prefix('a', suffix=false)", 20, "suffix takes a call such as semver(), not a boolean"},
		{"prefix('a', suffix=)", 20, `expected a call such as semver() for suffix, found ")"`},
		{"regex(semver())", 7, "pattern takes a quoted string, not a call"},

		// Required arguments.
		{"prefix()", 8, "prefix() needs its argument prefix"},
		{"prefix(suffix=number())", 23, "prefix() needs its argument prefix"},
		{"regex()", 7, "regex() needs its argument pattern"},

		// Patterns.
		{"regex('')", 7, "the pattern of regex() must not be empty"},
		{`regex("")`, 7, "must not be empty"},
		{"regex('(?P<version>a)(?P<version>b)')", 7, "more than one group named version"},
		{"regex('a)')", 7, `invalid regular expression "a)": unexpected )`},
		{"regex('x**')", 7, `invalid regular expression "x**": invalid nested repetition operator in "**"`},
		// Quoted as written, so that a user can copy the pattern back.
		{`regex('\d+[')`, 7, `invalid regular expression "\d+[": missing closing ] in "["`},
		{"regex('(?P<>x)')", 7, "invalid regular expression \"(?P<>x)\": invalid named capture"},
		{"prefix('a', suffix=regex('('))", 26, `invalid regular expression "(": missing closing )`},

		// Nesting.
		{deep, 641, "nested more than 64 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(tt.expr)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", tt.expr, f)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError", tt.expr, err)
			}
			if pe.Expr != tt.expr || pe.Column != tt.column || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("Parse(%q) = column %d %q, want column %d containing %q",
					tt.expr, pe.Column, pe.Msg, tt.column, tt.msg)
			}
			want := `filter "` // the expression comes first, quoted
			if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), pe.Msg) {
				t.Errorf("Error() = %q, want it to start with %q and hold %q", err, want, pe.Msg)
			}
		})
	}
}

// TestParseErrorText checks the whole text of the errors the spec shows.
func TestParseErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct{ expr, want string }{
		{"prefix('a', suffix=number)", `filter "prefix('a', suffix=number)" at column 26: expected "(" after number, found ")"`},
		{"semver() x", `filter "semver() x" at column 10: unexpected text after the closing ")"`},
		{"foo()", `filter "foo()" at column 1: unknown function foo; use semver, number, prefix or regex`},
		{"regex('[')", `filter "regex('[')": invalid regular expression "[": missing closing ]`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.expr)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.expr, err, tt.want)
		}
	}
	_, err := Parse("regex('[')")
	var se *syntax.Error
	if !errors.As(err, &se) || se.Code != syntax.ErrMissingBracket {
		t.Errorf("Parse(regex('[')) error %v does not wrap the regular expression library's error", err)
	}
}

func TestMustParse(t *testing.T) {
	t.Parallel()
	if MustParse("number()").String() != "number()" {
		t.Error("MustParse(number()) did not parse")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"\") did not panic")
		}
	}()
	MustParse("")
}

// TestErrorsQuoteFiltersAsWritten: an error shows the filter as the user
// wrote it, so that it can be copied back: regex('\d+') stays \d+, never
// Go's \\d+.
func TestErrorsQuoteFiltersAsWritten(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{`regex('\d+[')`, `prefix('\d', suffix=number) x`} {
		_, err := Parse(expr)
		if err == nil || !strings.Contains(err.Error(), `"`+expr+`"`) {
			t.Errorf("Parse(%s) = %v, want the filter quoted as written", expr, err)
		}
	}
}
