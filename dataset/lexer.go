package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// lexer reads JSON tokens from a stream, checking the syntax as it goes (the grammar of
// RFC 8259 and the messages of encoding/json), so that a file of any size is read in one pass
// with a small buffer. It tracks lines and columns so that a syntax error is placed exactly.
type lexer struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte in buf
	base int64 // file offset of buf[0]
	eof  bool
	rerr error // a read error other than io.EOF

	// Position of buf[0]: its line (from 1) and how many characters of that line come before it.
	line, col int

	stack []byte // open containers, '{' or '['
	state lexState

	// The token just read: its kind, its text (a string's value unescaped, a number's
	// literal; valid until the next call), its offset, and the end of the token before it.
	kind    tokKind
	text    []byte
	off     int64
	prevEnd int64
	scratch []byte

	interned map[string]string // short texts, which a file repeats (countries, zones, formats)
}

// maxInterned bounds the texts interned and their length.
const (
	maxInterned    = 1 << 16
	maxInternedLen = 24
)

// textString returns the token's text as a string, shared with earlier equal short texts
// so that a hundred thousand customers in Latvia hold one "LV".
func (lx *lexer) textString() string {
	if len(lx.text) > maxInternedLen {
		return string(lx.text)
	}
	if s, ok := lx.interned[string(lx.text)]; ok {
		return s
	}
	s := string(lx.text)
	if len(lx.interned) < maxInterned {
		if lx.interned == nil {
			lx.interned = make(map[string]string)
		}
		lx.interned[s] = s
	}
	return s
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokBeginObject
	tokEndObject
	tokBeginArray
	tokEndArray
	tokString
	tokNumber
	tokTrue
	tokFalse
	tokNull
)

type lexState uint8

const (
	stTop         lexState = iota // nothing read yet
	stValue                       // after ':' or an array's ','
	stArrayFirst                  // after '['
	stArrayNext                   // after an array element
	stObjectFirst                 // after '{'
	stObjectKey                   // after an object's ','
	stObjectColon                 // after a key
	stObjectNext                  // after a member's value
	stEnd                         // after the top-level value
)

// Messages of syntax errors that parse words for people.
const (
	msgEmpty     = "the file is empty; a dataset is a JSON object"
	msgUnclosed  = "unexpected end of file: an object, array or string is not closed"
	msgAfterEnd  = "unexpected data after the end of the dataset"
	msgBadUTF8   = "invalid UTF-8; save the file as UTF-8"
	lexBufSize   = 64 << 10
	maxTokenSize = 64 << 20 // a string or number longer than this is refused
)

// lexError is a syntax problem at a file offset; kind tells parse what it is.
type lexError struct {
	off  int64
	msg  string
	deep bool // nested too deeply: a later syntax error takes precedence
}

func (e *lexError) Error() string { return e.msg }

func newLexer(r io.Reader) *lexer {
	return &lexer{r: r, buf: make([]byte, 0, lexBufSize), line: 1}
}

// fill reads more input, keeping buf[keep:] (keep ≤ pos); it reports whether bytes came.
func (lx *lexer) fill(keep int) bool {
	if lx.eof {
		return false
	}
	if keep > 0 {
		lx.account(lx.buf[:keep])
		n := copy(lx.buf, lx.buf[keep:])
		lx.buf = lx.buf[:n]
		lx.pos -= keep
		lx.base += int64(keep)
	}
	if len(lx.buf) == cap(lx.buf) {
		if cap(lx.buf) >= maxTokenSize {
			lx.rerr = fmt.Errorf("a value longer than %d MB", maxTokenSize>>20)
			lx.eof = true
			return false
		}
		nb := make([]byte, len(lx.buf), 2*cap(lx.buf))
		copy(nb, lx.buf)
		lx.buf = nb
	}
	for {
		n, err := lx.r.Read(lx.buf[len(lx.buf):cap(lx.buf)])
		lx.buf = lx.buf[:len(lx.buf)+n]
		if err != nil {
			lx.eof = true
			if !errors.Is(err, io.EOF) {
				lx.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// account moves the tracked position over b, bytes that leave the buffer.
func (lx *lexer) account(b []byte) {
	if nl := bytes.Count(b, []byte{'\n'}); nl > 0 {
		lx.line += nl
		lx.col = 0
		b = b[bytes.LastIndexByte(b, '\n')+1:]
	}
	lx.col += runeCount(b)
}

// runeCount counts the characters of b, which holds valid UTF-8 up to any error.
func runeCount(b []byte) int { return utf8.RuneCount(b) }

// position returns the line and column (in characters) of file offset off, which must be
// at or after the start of the buffer.
func (lx *lexer) position(off int64) (line, col int) {
	i := int(min(max(off-lx.base, 0), int64(len(lx.buf))))
	b := lx.buf[:i]
	line, col = lx.line, lx.col
	if nl := bytes.Count(b, []byte{'\n'}); nl > 0 {
		line += nl
		col = 0
		b = b[bytes.LastIndexByte(b, '\n')+1:]
	}
	return line, col + runeCount(b) + 1
}

// syntax turns a lexError into a *SyntaxError. The whole file must be valid UTF-8 before
// any other syntax problem is reported, as the file as a whole is checked first: the rest
// of the input is read for that.
func (lx *lexer) syntax(e *lexError) error {
	if lx.rerr != nil && e.msg != msgBadUTF8 {
		return fmt.Errorf("read dataset: %w", lx.rerr)
	}
	line, col := lx.position(e.off)
	if e.msg != msgBadUTF8 {
		if off, bad := lx.checkUTF8(e.off); bad {
			line, col = lx.position(off)
			return &SyntaxError{Line: line, Column: col, Message: msgBadUTF8}
		} else if lx.rerr != nil {
			return fmt.Errorf("read dataset: %w", lx.rerr)
		}
	}
	return &SyntaxError{Line: line, Column: col, Message: e.msg}
}

// checkUTF8 reads the input from file offset from (in the buffer) to its end and returns
// the offset of the first invalid UTF-8, keeping the buffer from there.
func (lx *lexer) checkUTF8(from int64) (int64, bool) {
	i := int(from - lx.base)
	for {
		for i < len(lx.buf) {
			c := lx.buf[i]
			if c < utf8.RuneSelf {
				i++
				continue
			}
			if !utf8.FullRune(lx.buf[i:]) && !lx.eof {
				break // read more first
			}
			r, size := utf8.DecodeRune(lx.buf[i:])
			if r == utf8.RuneError && size <= 1 {
				return lx.base + int64(i), true
			}
			i += size
		}
		if lx.eof && i >= len(lx.buf) {
			return 0, false
		}
		lx.pos = i
		lx.fill(i)
		i = lx.pos
	}
}

func (lx *lexer) fail(off int64, format string, args ...any) error {
	return &lexError{off: off, msg: fmt.Sprintf(format, args...)}
}

// quoteChar formats c as encoding/json does in its messages.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// skipSpace moves past white space; false at the end of the input.
func (lx *lexer) skipSpace() bool {
	for {
		for lx.pos < len(lx.buf) {
			switch lx.buf[lx.pos] {
			case ' ', '\t', '\n', '\r':
				lx.pos++
			default:
				return true
			}
		}
		if !lx.fill(lx.pos) {
			return false
		}
	}
}

// next reads the next token into lx.kind, lx.text and lx.off. Commas and colons are
// checked and skipped. At the end of the input it returns tokEOF, after checking that
// nothing but white space follows the top-level value.
func (lx *lexer) next() error {
	lx.prevEnd = lx.base + int64(lx.pos)
	if !lx.skipSpace() {
		lx.off = lx.base + int64(lx.pos)
		switch lx.state {
		case stEnd:
			lx.kind = tokEOF
			return nil
		case stTop:
			return &lexError{off: lx.off, msg: msgEmpty}
		}
		return &lexError{off: lx.off, msg: msgUnclosed}
	}
	c := lx.buf[lx.pos]
	lx.off = lx.base + int64(lx.pos)
	switch lx.state {
	case stEnd:
		return &lexError{off: lx.off, msg: msgAfterEnd}
	case stObjectFirst, stObjectKey:
		if c == '}' && lx.state == stObjectFirst {
			lx.pos++
			return lx.closed(tokEndObject)
		}
		if c != '"' {
			return lx.fail(lx.off, "invalid character %s looking for beginning of object key string", quoteChar(c))
		}
		if err := lx.str(); err != nil {
			return err
		}
		lx.state = stObjectColon
		return nil
	case stObjectColon:
		if c != ':' {
			return lx.fail(lx.off, "invalid character %s after object key", quoteChar(c))
		}
		lx.pos++
		lx.state = stValue
		return lx.next()
	case stObjectNext:
		switch c {
		case ',':
			lx.pos++
			lx.state = stObjectKey
			return lx.next()
		case '}':
			lx.pos++
			return lx.closed(tokEndObject)
		}
		return lx.fail(lx.off, "invalid character %s after object key:value pair", quoteChar(c))
	case stArrayNext:
		switch c {
		case ',':
			lx.pos++
			lx.state = stValue
			return lx.next()
		case ']':
			lx.pos++
			return lx.closed(tokEndArray)
		}
		return lx.fail(lx.off, "invalid character %s after array element", quoteChar(c))
	case stArrayFirst:
		if c == ']' {
			lx.pos++
			return lx.closed(tokEndArray)
		}
	}
	return lx.value(c)
}

// closed ends the innermost container.
func (lx *lexer) closed(k tokKind) error {
	lx.kind = k
	lx.stack = lx.stack[:len(lx.stack)-1]
	lx.afterValue()
	return nil
}

func (lx *lexer) afterValue() {
	switch {
	case len(lx.stack) == 0:
		lx.state = stEnd
	case lx.stack[len(lx.stack)-1] == '{':
		lx.state = stObjectNext
	default:
		lx.state = stArrayNext
	}
}

// value reads a value starting with c.
func (lx *lexer) value(c byte) error {
	switch {
	case c == '{':
		lx.pos++
		lx.kind = tokBeginObject
		lx.stack = append(lx.stack, '{')
		lx.state = stObjectFirst
		return nil
	case c == '[':
		lx.pos++
		lx.kind = tokBeginArray
		lx.stack = append(lx.stack, '[')
		lx.state = stArrayFirst
		return nil
	case c == '"':
		if err := lx.str(); err != nil {
			return err
		}
	case c == '-' || (c >= '0' && c <= '9'):
		if err := lx.number(); err != nil {
			return err
		}
	case c == 't':
		if err := lx.literal("true", tokTrue); err != nil {
			return err
		}
	case c == 'f':
		if err := lx.literal("false", tokFalse); err != nil {
			return err
		}
	case c == 'n':
		if err := lx.literal("null", tokNull); err != nil {
			return err
		}
	default:
		return lx.fail(lx.off, "invalid character %s looking for beginning of value", quoteChar(c))
	}
	lx.afterValue()
	return nil
}

// ensure makes n bytes from pos available if the input has them.
func (lx *lexer) ensure(n int) bool {
	for len(lx.buf)-lx.pos < n {
		if !lx.fill(lx.pos) {
			return false
		}
	}
	return true
}

func (lx *lexer) literal(word string, k tokKind) error {
	lx.ensure(len(word))
	for i := 1; i < len(word); i++ {
		if lx.pos+i >= len(lx.buf) {
			return &lexError{off: lx.base + int64(len(lx.buf)), msg: msgUnclosed}
		}
		if c := lx.buf[lx.pos+i]; c != word[i] {
			return lx.fail(lx.base+int64(lx.pos+i), "invalid character %s in literal %s (expecting %s)", quoteChar(c), word, quoteChar(word[i]))
		}
	}
	lx.pos += len(word)
	lx.kind = k
	return nil
}

// number reads a number literal; the byte after it is left for the next token.
func (lx *lexer) number() error {
	start := lx.pos
	i := start
	// at returns the byte at i, reading more input (keeping the literal); -1 at the end.
	at := func() int {
		for i >= len(lx.buf) {
			n := i - start
			lx.pos = start
			ok := lx.fill(start)
			start, i = lx.pos, lx.pos+n
			if !ok {
				return -1
			}
		}
		return int(lx.buf[i])
	}
	digits := func() int {
		n := 0
		for c := at(); c >= '0' && c <= '9'; c = at() {
			i++
			n++
		}
		return n
	}
	bad := func(context string) error {
		c := at()
		if c < 0 {
			return &lexError{off: lx.base + int64(len(lx.buf)), msg: msgUnclosed}
		}
		return lx.fail(lx.base+int64(i), "invalid character %s %s", quoteChar(byte(c)), context)
	}
	if at() == '-' {
		i++
	}
	switch c := at(); {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		digits()
	default:
		return bad("in numeric literal")
	}
	if at() == '.' {
		i++
		if digits() == 0 {
			return bad("after decimal point in numeric literal")
		}
	}
	if c := at(); c == 'e' || c == 'E' {
		i++
		if c := at(); c == '+' || c == '-' {
			i++
		}
		if digits() == 0 {
			return bad("in exponent of numeric literal")
		}
	}
	if at() < 0 && len(lx.stack) > 0 {
		return &lexError{off: lx.base + int64(len(lx.buf)), msg: msgUnclosed}
	}
	lx.text = lx.buf[start:i]
	lx.pos = i
	lx.kind = tokNumber
	return nil
}

// str reads a string at pos (the opening quote) into lx.text, unescaped.
func (lx *lexer) str() error {
	start := lx.pos // the quote
	i := start + 1
	escaped := false
	for {
		// The common case: plain ASCII without escapes.
		for i < len(lx.buf) {
			c := lx.buf[i]
			if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' {
				i++
				continue
			}
			break
		}
		if i >= len(lx.buf) {
			if !lx.refillString(&start, &i) {
				return &lexError{off: lx.base + int64(len(lx.buf)), msg: msgUnclosed}
			}
			continue
		}
		c := lx.buf[i]
		switch {
		case c == '"':
			raw := lx.buf[start+1 : i]
			lx.pos = i + 1
			lx.kind = tokString
			if escaped {
				return lx.unescape(raw, lx.base+int64(start+1))
			}
			lx.text = raw
			return nil
		case c == '\\':
			escaped = true
			if !lx.ensureAt(&start, &i, 2) {
				return &lexError{off: lx.base + int64(len(lx.buf)), msg: msgUnclosed}
			}
			switch e := lx.buf[i+1]; e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if !lx.ensureAt(&start, &i, 6) {
					// Report the first bad or missing hex digit.
					for j := i + 2; j < len(lx.buf); j++ {
						if !isHex(lx.buf[j]) {
							return lx.fail(lx.base+int64(j), "invalid character %s in \\u hexadecimal character escape", quoteChar(lx.buf[j]))
						}
					}
					return &lexError{off: lx.base + int64(len(lx.buf)), msg: msgUnclosed}
				}
				for j := i + 2; j < i+6; j++ {
					if !isHex(lx.buf[j]) {
						return lx.fail(lx.base+int64(j), "invalid character %s in \\u hexadecimal character escape", quoteChar(lx.buf[j]))
					}
				}
				i += 6
			default:
				return lx.fail(lx.base+int64(i+1), "invalid character %s in string escape code", quoteChar(e))
			}
		case c < 0x20:
			return lx.fail(lx.base+int64(i), "invalid character %s in string literal", quoteChar(c))
		default: // a multi-byte character
			if !utf8.FullRune(lx.buf[i:]) {
				if !lx.refillString(&start, &i) {
					return &lexError{off: lx.base + int64(i), msg: msgBadUTF8}
				}
				continue
			}
			r, size := utf8.DecodeRune(lx.buf[i:])
			if r == utf8.RuneError && size <= 1 {
				return &lexError{off: lx.base + int64(i), msg: msgBadUTF8}
			}
			i += size
		}
	}
}

// refillString reads more input during a string that starts at *start, moving the
// indexes with the buffer; false at the end of the input.
func (lx *lexer) refillString(start, i *int) bool {
	lx.pos = *start
	off := *i - *start
	ok := lx.fill(*start)
	*start = lx.pos
	*i = lx.pos + off
	return ok
}

// ensureAt makes n bytes from *i available, keeping the string from *start.
func (lx *lexer) ensureAt(start, i *int, n int) bool {
	for len(lx.buf)-*i < n {
		if !lx.refillString(start, i) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// unescape decodes a string's escapes into lx.scratch, as encoding/json does: a lone
// surrogate becomes U+FFFD.
func (lx *lexer) unescape(raw []byte, off int64) error {
	out := lx.scratch[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			out = append(out, raw[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if dr := utf16.DecodeRune(r, hex4(raw[i+2:i+6])); dr != utf8.RuneError {
						r2 = dr
						i += 6
					}
				}
				r = r2
			}
			out = utf8.AppendRune(out, r)
			continue
		}
		i += 2
	}
	lx.scratch = out
	lx.text = out
	return nil
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
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

// skipBOM skips a UTF-8 byte order mark at the start, as some editors write one.
func (lx *lexer) skipBOM() {
	lx.ensure(3)
	if bytes.HasPrefix(lx.buf[lx.pos:], []byte("\xef\xbb\xbf")) {
		// The mark is not a character of the first line: drop it from the count.
		lx.buf = lx.buf[3:]
		lx.base += 3
	}
}
