package tagfilter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// ParseError is the error Parse returns for a malformed expression.
type ParseError struct {
	// Expr is the expression as given.
	Expr string
	// Column is where parsing went wrong: 1-based, counted in characters,
	// at the first token that could not be accepted, or just past the end.
	Column int
	// Msg says what went wrong and what was expected.
	Msg string
	// Err is the underlying error, if any: the regular expression library's
	// error for a pattern that does not compile.
	Err error
}

// Error returns, for example, `filter "semver() x" at column 10: unexpected
// text after the closing ")"`. A pattern that does not compile is reported
// without the column, in the words of the regular expression library.
func (e *ParseError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("filter \"%s\": %s", e.Expr, e.Msg)
	}
	return fmt.Sprintf("filter \"%s\" at column %d: %s", e.Expr, e.Column, e.Msg)
}

// Unwrap returns the underlying error, if any.
func (e *ParseError) Unwrap() error { return e.Err }

// maxDepth bounds how deeply calls may nest.
const maxDepth = 64

// Parse parses a filter expression. An empty or blank expression is an
// error; leave the filter unset and use Default instead. Every error is a
// *ParseError.
func Parse(expr string) (*Filter, error) {
	p := &parser{expr: expr, lex: lexer{src: expr, col: 1}}
	if strings.Trim(expr, whitespace) == "" {
		return nil, p.errorAt(utf8.RuneCountInString(expr)+1,
			"the expression is empty; leave the filter unset for the default semver()")
	}
	root, err := p.parseCall("a filter such as semver()", 0)
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokEOF {
		return nil, p.errorAt(t.col, `unexpected text after the closing ")"`)
	}
	return &Filter{root: root}, nil
}

// MustParse is like Parse but panics on error. It is meant for expressions
// fixed in the program.
func MustParse(expr string) *Filter {
	f, err := Parse(expr)
	if err != nil {
		panic(err)
	}
	return f
}

// parser is a recursive-descent parser with two tokens of lookahead.
type parser struct {
	expr string
	lex  lexer
	buf  []token
}

func (p *parser) peek(i int) token {
	for len(p.buf) <= i {
		p.buf = append(p.buf, p.lex.next())
	}
	return p.buf[i]
}

func (p *parser) next() token {
	t := p.peek(0)
	p.buf = p.buf[1:]
	return t
}

func (p *parser) errorAt(col int, format string, args ...any) *ParseError {
	return &ParseError{Expr: p.expr, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// unexpected reports token t where want was expected. A string without its
// closing quote is reported as such, wherever it stands.
func (p *parser) unexpected(t token, want string) *ParseError {
	if t.kind == tokUnterminated {
		return p.errorAt(t.col, "the string is not closed: expected a closing %s before the end", t.text)
	}
	return p.errorAt(t.col, "expected %s, found %s", want, t.describe())
}

// valueType is the type of a call's argument.
type valueType uint8

const (
	typeBool valueType = iota + 1
	typeString
	typeCall
)

type param struct {
	name string
	typ  valueType
}

// functions lists the calls of the language and their arguments in
// positional order.
var functions = map[string][]param{
	"semver": {{"allow_no_nums", typeBool}},
	"number": nil,
	"prefix": {{"prefix", typeString}, {"suffix", typeCall}},
	"regex":  {{"pattern", typeString}},
}

const functionList = "semver, number, prefix or regex"

// value is a parsed argument.
type value struct {
	b    bool
	s    string
	call *node
	tok  token // where the value starts

	re    *regexp.Regexp // a regex pattern, anchored
	group int            // index of the pattern's version group, or -1
}

// parseCall parses a call; want says what the context expects, for errors.
func (p *parser) parseCall(want string, depth int) (*node, error) {
	t := p.next()
	if t.kind != tokName {
		return nil, p.unexpected(t, want)
	}
	params, known := functions[t.text]
	if !known {
		if _, ok := functions[strings.ToLower(t.text)]; ok {
			return nil, p.errorAt(t.col, "unknown function %s; function names are lower case: %s",
				t.text, strings.ToLower(t.text))
		}
		if t.text == "true" || t.text == "false" {
			return nil, p.unexpected(t, want)
		}
		return nil, p.errorAt(t.col, "unknown function %s; use %s", t.text, functionList)
	}
	if depth >= maxDepth {
		return nil, p.errorAt(t.col, "calls are nested more than %d deep", maxDepth)
	}
	if lp := p.next(); lp.kind != tokLParen {
		return nil, p.errorAt(lp.col, `expected "(" after %s, found %s`, t.text, lp.describe())
	}
	args, closing, err := p.parseArgs(t.text, params, depth)
	if err != nil {
		return nil, err
	}
	return p.build(t.text, args, closing)
}

// parseArgs parses the arguments after "(" up to and including ")". It
// returns the values by parameter index (nil where not given) and the
// closing token.
func (p *parser) parseArgs(fn string, params []param, depth int) ([]*value, token, error) {
	args := make([]*value, len(params))
	positional, named := 0, false
	afterComma := false
	for {
		t := p.peek(0)
		switch {
		case afterComma && (t.kind == tokRParen || t.kind == tokEOF):
			return nil, t, p.unexpected(t, `an argument after ","`)
		case t.kind == tokRParen:
			p.next()
			return args, t, nil
		case t.kind == tokEOF && len(params) == 0:
			return nil, t, p.unexpected(t, `")"`)
		case t.kind == tokEOF:
			return nil, t, p.unexpected(t, `an argument or ")"`)
		}
		var idx int
		if t.kind == tokName && p.peek(1).kind == tokEquals {
			idx = paramIndex(params, t.text)
			switch {
			case len(params) == 0:
				return nil, t, p.errorAt(t.col, "%s() takes no arguments", fn)
			case idx < 0:
				return nil, t, p.errorAt(t.col, "%s() has no argument %s; its arguments are %s",
					fn, t.text, paramList(params))
			case args[idx] != nil:
				return nil, t, p.errorAt(t.col, "argument %s of %s() is given twice", t.text, fn)
			}
			p.next()
			p.next()
			named = true
		} else {
			switch {
			case len(params) == 0:
				if t.kind == tokUnterminated {
					return nil, t, p.unexpected(t, `")"`)
				}
				return nil, t, p.errorAt(t.col, `%s() takes no arguments; expected ")", found %s`, fn, t.describe())
			case named:
				if t.kind == tokUnterminated {
					return nil, t, p.unexpected(t, `a named argument or ")"`)
				}
				return nil, t, p.errorAt(t.col,
					"expected a named argument (name=value): positional arguments come before named ones")
			case positional >= len(params):
				if t.kind == tokUnterminated {
					return nil, t, p.unexpected(t, `")"`)
				}
				return nil, t, p.errorAt(t.col, "too many arguments: %s() takes at most %d (%s)",
					fn, len(params), paramList(params))
			}
			idx = positional
			positional++
		}
		v, err := p.parseValue(params[idx], depth)
		if err != nil {
			return nil, t, err
		}
		if err := p.check(fn, params[idx], v); err != nil {
			return nil, t, err
		}
		args[idx] = v
		switch sep := p.next(); sep.kind {
		case tokRParen:
			return args, sep, nil
		case tokComma:
			afterComma = true
		default:
			return nil, t, p.unexpected(sep, `"," or ")"`)
		}
	}
}

func paramIndex(params []param, name string) int {
	for i, pr := range params {
		if pr.name == name {
			return i
		}
	}
	return -1
}

func paramList(params []param) string {
	names := make([]string, len(params))
	for i, pr := range params {
		names[i] = pr.name
	}
	switch len(names) {
	case 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}

// parseValue parses the value of argument pr of fn.
func (p *parser) parseValue(pr param, depth int) (*value, error) {
	t := p.peek(0)
	v := &value{tok: t}
	isCall := t.kind == tokName && p.peek(1).kind == tokLParen
	isBool := t.kind == tokName && !isCall && (t.text == "true" || t.text == "false")
	switch pr.typ {
	case typeBool:
		switch {
		case isBool:
			p.next()
			v.b = t.text == "true"
			return v, nil
		case t.kind == tokName && !isCall &&
			(strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")):
			return nil, p.errorAt(t.col, "expected true or false for %s, found %s; booleans are lower case", pr.name, t.text)
		case t.kind == tokString:
			return nil, p.errorAt(t.col, "%s takes true or false, not a string", pr.name)
		case isCall:
			return nil, p.errorAt(t.col, "%s takes true or false, not a call", pr.name)
		}
		return nil, p.unexpected(t, "true or false for "+pr.name)
	case typeString:
		switch {
		case t.kind == tokString:
			p.next()
			v.s = t.text
			return v, nil
		case isCall:
			return nil, p.errorAt(t.col, "%s takes a quoted string, not a call", pr.name)
		case isBool:
			return nil, p.errorAt(t.col, "%s takes a quoted string, not a boolean", pr.name)
		}
		return nil, p.unexpected(t, "a quoted string for "+pr.name)
	default: // typeCall
		switch {
		case t.kind == tokString:
			return nil, p.errorAt(t.col, "%s takes a call such as semver(), not a string", pr.name)
		case isBool:
			return nil, p.errorAt(t.col, "%s takes a call such as semver(), not a boolean", pr.name)
		}
		n, err := p.parseCall("a call such as semver() for "+pr.name, depth+1)
		if err != nil {
			return nil, err
		}
		v.call = n
		return v, nil
	}
}

// check validates an argument's value beyond its type: a regex pattern
// must be non-empty, compile, and have at most one version group.
func (p *parser) check(fn string, pr param, v *value) error {
	if fn != "regex" || pr.name != "pattern" {
		return nil
	}
	if v.s == "" {
		return p.errorAt(v.tok.col, "the pattern of regex() must not be empty")
	}
	if _, err := regexp.Compile(v.s); err != nil {
		msg := err.Error()
		var se *syntax.Error
		if errors.As(err, &se) {
			msg = se.Code.String()
			if se.Expr != "" && se.Expr != v.s {
				msg += fmt.Sprintf(" in \"%s\"", se.Expr)
			}
		}
		return &ParseError{
			Expr:   p.expr,
			Column: v.tok.col,
			Msg:    fmt.Sprintf("invalid regular expression \"%s\": %s", v.s, msg),
			Err:    err,
		}
	}
	re, err := regexp.Compile(`^(?:` + v.s + `)$`)
	if err != nil { // only a size limit can get here
		return &ParseError{
			Expr:   p.expr,
			Column: v.tok.col,
			Msg:    fmt.Sprintf("invalid regular expression \"%s\": %v", v.s, err),
			Err:    err,
		}
	}
	v.re = re
	v.group = -1
	for i, name := range v.re.SubexpNames() {
		if name != "version" {
			continue
		}
		if v.group >= 0 {
			return p.errorAt(v.tok.col,
				"the pattern of regex() has more than one group named version; at most one is allowed")
		}
		v.group = i
	}
	return nil
}

// build turns a parsed call into a node, checking required arguments.
func (p *parser) build(fn string, args []*value, closing token) (*node, error) {
	switch fn {
	case "semver":
		n := &node{kind: callSemver}
		if args[0] != nil {
			n.allowNoNums = args[0].b
		}
		return n, nil
	case "number":
		return &node{kind: callNumber}, nil
	case "prefix":
		if args[0] == nil {
			return nil, p.errorAt(closing.col, `prefix() needs its argument prefix (the literal text, may be ''), found ")"`)
		}
		n := &node{kind: callPrefix, prefix: args[0].s, suffix: &node{kind: callSemver}}
		if args[1] != nil {
			n.suffix = args[1].call
		}
		return n, nil
	default: // regex
		if args[0] == nil {
			return nil, p.errorAt(closing.col, `regex() needs its argument pattern, found ")"`)
		}
		return &node{kind: callRegex, pattern: args[0].s, re: args[0].re, group: args[0].group}, nil
	}
}
