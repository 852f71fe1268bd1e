package jsonl

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// bufSize is the size of the read buffer; a line that fits in it is parsed
// where it lies, without a copy. It matches the buffer loaders.Registry.Read
// puts in front of a loader, so that bufio.NewReaderSize reuses that one.
const bufSize = 64 << 10

var bom = []byte("\xef\xbb\xbf")

// lineReader splits its input into lines of at most limit bytes (without
// their "\n" or "\r\n"). A longer line is reported with its length and read
// past without being kept in memory.
type lineReader struct {
	br    *bufio.Reader
	limit int64
	buf   []byte // a line that spans several buffers
	n     int    // number of the last line read, 1-based
	start int64  // byte offset of the last line read
	size  int64  // length of the last line read, without its line break
	next  int64  // byte offset of the next line
}

func newLineReader(r io.Reader, limit int64) *lineReader {
	lr := &lineReader{br: bufio.NewReaderSize(r, bufSize), limit: limit}
	// A byte order mark is not part of the first line.
	if b, _ := lr.br.Peek(len(bom)); bytes.Equal(b, bom) {
		lr.br.Discard(len(bom))
		lr.next = int64(len(bom))
	}
	return lr
}

// read returns the next line, or io.EOF after the last one. The line is
// valid until the next call; long reports a line over the limit, which is
// then returned empty. Any other error comes from the input.
func (lr *lineReader) read() (line []byte, long bool, err error) {
	lr.buf = lr.buf[:0]
	lr.start = lr.next
	lr.size = 0
	pieces := 0
	for {
		frag, err := lr.br.ReadSlice('\n')
		lr.next += int64(len(frag))
		if err == nil {
			frag = frag[:len(frag)-1]
		}
		lr.size += int64(len(frag))
		// One byte over the limit is kept for a "\r" before the "\n".
		if lr.size > lr.limit+1 {
			long = true
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if !long {
				lr.buf = append(lr.buf, frag...)
			}
			pieces++
			continue
		case err == nil, err == io.EOF:
			if err == io.EOF && pieces == 0 && len(frag) == 0 {
				return nil, false, io.EOF
			}
			lr.n++
			switch {
			case long:
				return nil, true, nil
			case pieces == 0:
				line = frag
			default:
				lr.buf = append(lr.buf, frag...)
				line = lr.buf
			}
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
				lr.size--
			}
			if int64(len(line)) > lr.limit {
				return nil, true, nil
			}
			return line, false, nil
		default:
			return nil, false, err
		}
	}
}
