package jsonl

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a validating JSON scanner that reports where the members
// of an object lie without decoding them, so that a line is walked once and
// only the fields a document uses are decoded. encoding/json would walk a
// line three times (validate, split into raw values, unquote) and decode
// every member.

// maxDepth bounds the nesting of arrays and objects, as encoding/json does,
// so that a line of 20 MB of "[" cannot exhaust the stack.
const maxDepth = 10000

// Kinds of JSON values, as value reports them.
const (
	kindString = '"'
	kindObject = '{'
	kindArray  = '['
	kindNumber = '0'
	kindTrue   = 't'
	kindFalse  = 'f'
	kindNull   = 'n'
)

// Flags of a string, as str reports them.
const (
	flagEscape   = 1 << iota // holds a backslash escape
	flagNonASCII             // holds bytes ≥ 0x80, which may not be valid UTF-8
)

// kindName names a kind of value for error messages.
func kindName(k byte) string {
	switch k {
	case kindString:
		return "string"
	case kindObject:
		return "object"
	case kindArray:
		return "array"
	case kindNumber:
		return "number"
	case kindTrue, kindFalse:
		return "boolean"
	case kindNull:
		return "null"
	}
	return "value"
}

// syntaxError is a JSON syntax error at a byte offset of a line. eof marks
// an error found at the end of the data: what came before is a valid prefix
// of a JSON value.
type syntaxError struct {
	off int
	msg string
	eof bool
}

func (e *syntaxError) Error() string { return e.msg }

// value is a JSON value as it appears in a line.
type value struct {
	kind  byte
	flags uint8 // of a string
	raw   []byte
}

// str returns the content of a string value, between its quotes.
func (v value) str() []byte { return v.raw[1 : len(v.raw)-1] }

// Byte classes inside a string.
const (
	cPlain = iota
	cQuote
	cBackslash
	cControl
	cHigh
)

var strClass = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		t[c] = cControl
	}
	t['"'] = cQuote
	t['\\'] = cBackslash
	for c := 0x80; c < 0x100; c++ {
		t[c] = cHigh
	}
	return t
}()

// scanner walks JSON text. Every method consumes what it reads, or fails
// with a *syntaxError.
type scanner struct {
	data  []byte
	pos   int
	depth int
}

func (s *scanner) unexpected() error {
	if s.pos >= len(s.data) {
		return &syntaxError{off: s.pos, msg: "unexpected end of line", eof: true}
	}
	return &syntaxError{off: s.pos, msg: "invalid character " + quoteByte(s.data[s.pos])}
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		if c == '\'' {
			return `'\''`
		}
		return "'" + string(rune(c)) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// value consumes one value, validating it whole.
func (s *scanner) value() (value, error) {
	start := s.pos
	if s.pos >= len(s.data) {
		return value{}, s.unexpected()
	}
	var v value
	var err error
	switch c := s.data[s.pos]; {
	case c == '"':
		v.kind = kindString
		v.flags, err = s.str()
	case c == '{':
		v.kind = kindObject
		err = s.object(nil)
	case c == '[':
		v.kind = kindArray
		err = s.array(nil)
	case c == 't':
		v.kind = kindTrue
		err = s.literal("true")
	case c == 'f':
		v.kind = kindFalse
		err = s.literal("false")
	case c == 'n':
		v.kind = kindNull
		err = s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		v.kind = kindNumber
		err = s.number()
	default:
		return value{}, s.unexpected()
	}
	if err != nil {
		return value{}, err
	}
	v.raw = s.data[start:s.pos]
	return v, nil
}

func (s *scanner) literal(lit string) error {
	rest := s.data[s.pos:]
	n := min(len(rest), len(lit))
	for i := 0; i < n; i++ {
		if rest[i] != lit[i] {
			s.pos += i
			return s.unexpected()
		}
	}
	s.pos += n
	if n < len(lit) {
		return s.unexpected()
	}
	return nil
}

func (s *scanner) digits() bool {
	start := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}

func (s *scanner) number() error {
	d := s.data
	if d[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos >= len(d):
		return s.unexpected()
	case d[s.pos] == '0':
		s.pos++
	case d[s.pos] >= '1' && d[s.pos] <= '9':
		s.digits()
	default:
		return s.unexpected()
	}
	if s.pos < len(d) && d[s.pos] == '.' {
		s.pos++
		if !s.digits() {
			return s.unexpected()
		}
	}
	if s.pos < len(d) && (d[s.pos] == 'e' || d[s.pos] == 'E') {
		s.pos++
		if s.pos < len(d) && (d[s.pos] == '+' || d[s.pos] == '-') {
			s.pos++
		}
		if !s.digits() {
			return s.unexpected()
		}
	}
	return nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// str consumes a string and returns its flags.
func (s *scanner) str() (uint8, error) {
	d := s.data
	i := s.pos + 1
	var flags uint8
	for i < len(d) {
		switch strClass[d[i]] {
		case cPlain:
			i++
		case cQuote:
			s.pos = i + 1
			return flags, nil
		case cHigh:
			flags |= flagNonASCII
			i++
		case cControl:
			s.pos = i
			return 0, &syntaxError{off: i, msg: "invalid character " + quoteByte(d[i]) + " in string literal"}
		case cBackslash:
			flags |= flagEscape
			if i+1 >= len(d) {
				s.pos = len(d)
				return 0, s.unexpected()
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for j := i + 2; j < i+6; j++ {
					if j >= len(d) {
						s.pos = j
						return 0, s.unexpected()
					}
					if !isHex(d[j]) {
						s.pos = j
						return 0, &syntaxError{off: j, msg: "invalid character " + quoteByte(d[j]) + " in \\u escape"}
					}
				}
				i += 6
			default:
				s.pos = i + 1
				return 0, &syntaxError{off: i + 1, msg: "invalid escape " + quoteByte(d[i+1]) + " in string literal"}
			}
		}
	}
	s.pos = len(d)
	return 0, s.unexpected()
}

func (s *scanner) enter() error {
	s.depth++
	if s.depth > maxDepth {
		return &syntaxError{off: s.pos, msg: "exceeded max depth"}
	}
	return nil
}

// object consumes an object, calling member (when not nil) with the raw
// content of each key, its flags and its value.
func (s *scanner) object(member func(key []byte, keyFlags uint8, v value)) error {
	if err := s.enter(); err != nil {
		return err
	}
	d := s.data
	s.pos++ // '{'
	s.skipSpace()
	if s.pos < len(d) && d[s.pos] == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if s.pos >= len(d) || d[s.pos] != '"' {
			return s.unexpected()
		}
		keyStart := s.pos + 1
		kf, err := s.str()
		if err != nil {
			return err
		}
		key := d[keyStart : s.pos-1]
		s.skipSpace()
		if s.pos >= len(d) || d[s.pos] != ':' {
			return s.unexpected()
		}
		s.pos++
		s.skipSpace()
		v, err := s.value()
		if err != nil {
			return err
		}
		if member != nil {
			member(key, kf, v)
		}
		s.skipSpace()
		if s.pos >= len(d) {
			return s.unexpected()
		}
		switch d[s.pos] {
		case ',':
			s.pos++
			s.skipSpace()
		case '}':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected()
		}
	}
}

// array consumes an array, calling elem (when not nil) with each element.
func (s *scanner) array(elem func(v value)) error {
	if err := s.enter(); err != nil {
		return err
	}
	d := s.data
	s.pos++ // '['
	s.skipSpace()
	if s.pos < len(d) && d[s.pos] == ']' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		v, err := s.value()
		if err != nil {
			return err
		}
		if elem != nil {
			elem(v)
		}
		s.skipSpace()
		if s.pos >= len(d) {
			return s.unexpected()
		}
		switch d[s.pos] {
		case ',':
			s.pos++
			s.skipSpace()
		case ']':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected()
		}
	}
}

// valid reports whether data holds exactly one JSON value, with white space
// around it.
func valid(data []byte) error {
	s := scanner{data: data}
	s.skipSpace()
	if _, err := s.value(); err != nil {
		return err
	}
	s.skipSpace()
	if s.pos < len(data) {
		return &syntaxError{off: s.pos, msg: "invalid character " + quoteByte(data[s.pos]) + " after top-level value"}
	}
	return nil
}

// unquote decodes the content of a string that the scanner has validated.
// Invalid UTF-8 is kept as it is; callers check it. A lone surrogate escape
// becomes U+FFFD, as in encoding/json.
func unquote(raw []byte, flags uint8) string {
	if flags&flagEscape == 0 {
		return string(raw)
	}
	var b strings.Builder
	b.Grow(len(raw))
	for {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 {
			b.Write(raw)
			return b.String()
		}
		b.Write(raw[:i])
		n := 2
		switch c := raw[i+1]; c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r := hex4(raw[i+2:])
			n = 6
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(raw) >= i+12 && raw[i+6] == '\\' && raw[i+7] == 'u' {
					r2 = hex4(raw[i+8:])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					n = 12
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default: // '"', '\\', '/'
			b.WriteByte(c)
		}
		raw = raw[i+n:]
	}
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
