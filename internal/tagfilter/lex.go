package tagfilter

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const whitespace = " \t\r\n"

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokName
	tokString
	tokLParen
	tokRParen
	tokComma
	tokEquals
	tokBadChar      // a character that starts no token
	tokUnterminated // a string without its closing quote
)

type token struct {
	kind tokKind
	text string // the name, the string's contents, or the bad character
	col  int
	end  int // the column just past the token
}

// describe names a token for "expected X, found Y" messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the expression"
	case tokName:
		return t.text
	case tokString:
		return "a string"
	case tokLParen:
		return `"("`
	case tokRParen:
		return `")"`
	case tokComma:
		return `","`
	case tokEquals:
		return `"="`
	case tokUnterminated:
		return "a string without its closing quote"
	default:
		return fmt.Sprintf("%q", t.text)
	}
}

// lexer splits an expression into tokens, counting columns in characters.
type lexer struct {
	src string
	pos int // byte offset
	col int // 1-based character column of pos
}

func (l *lexer) advance(n int) {
	l.col += utf8.RuneCountInString(l.src[l.pos : l.pos+n])
	l.pos += n
}

func (l *lexer) next() token {
	for l.pos < len(l.src) && strings.IndexByte(whitespace, l.src[l.pos]) >= 0 {
		l.advance(1)
	}
	t := token{col: l.col}
	if l.pos == len(l.src) {
		t.end = l.col
		return t
	}
	c := l.src[l.pos]
	switch {
	case c == '(' || c == ')' || c == ',' || c == '=':
		t.kind = punctuation(c)
		t.text = l.src[l.pos : l.pos+1]
		l.advance(1)
	case c == '\'' || c == '"':
		i := strings.IndexByte(l.src[l.pos+1:], c)
		if i < 0 {
			t.kind = tokUnterminated
			t.text = string(c)
			l.advance(len(l.src) - l.pos)
		} else {
			t.kind = tokString
			t.text = l.src[l.pos+1 : l.pos+1+i]
			l.advance(i + 2)
		}
	case isLetter(c):
		i := l.pos + 1
		for i < len(l.src) && (isLetter(l.src[i]) || isDigit(l.src[i]) || l.src[i] == '_') {
			i++
		}
		t.kind = tokName
		t.text = l.src[l.pos:i]
		l.advance(i - l.pos)
	default:
		_, n := utf8.DecodeRuneInString(l.src[l.pos:])
		t.kind = tokBadChar
		t.text = l.src[l.pos : l.pos+n]
		l.advance(n)
	}
	t.end = l.col
	return t
}

func punctuation(c byte) tokKind {
	switch c {
	case '(':
		return tokLParen
	case ')':
		return tokRParen
	case ',':
		return tokComma
	default:
		return tokEquals
	}
}
