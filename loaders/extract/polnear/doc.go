// Package polnear reads the PolNeAR attribution corpus and scores
// attribution extraction against it exactly as the shared evaluation script
// polnear_score.py does.
//
// # Corpus
//
// A split folder (for example .../polnear/dev) holds text/NAME.txt and
// attributions/NAME_XXXX.ann, BRAT standoff files whose offsets are Unicode
// code points into the text. [Load] reads every text that has at least one
// .ann file, taking the lexicographically first as gold, and returns its
// attributions (events with a Source, Cue and Content role) in file order.
// Like the scorer it drops attributions that have no content span, and it
// reads files as Python's text mode does: UTF-8, a byte order mark kept as
// a character, "\r\n" and "\r" read as "\n". Unlike the scorer it validates:
// a malformed line, an offset outside the text, an unknown reference or a
// covered text that differs from the text the line quotes is an error
// naming the file and line (see [LineError]).
//
// # Offsets
//
// Each span is given twice: [Span] in byte offsets into [Document.Text],
// the unit extraction code works in, and [CPSpan] in code points, the unit
// of the files, of graphd extract --json and of the scorer. [Offsets]
// converts between the two for any text. Span has the same underlying type
// as extract.Span, so a plain conversion passes spans between the packages;
// this package imports nothing of the module so that it builds on its own.
//
// # Scoring
//
// [Score] reproduces polnear_score.py: word tokens are Python's \w+ (letters
// and numbers of every script and "_"; Unicode marks are not word
// characters in Python, so they are not here either), identified by their
// start offset in code points; contents are matched one to one, greedily by
// best token Jaccard, ties broken as Python's reverse-sorted (jaccard, i, j)
// tuples are. [ReadPredictions] reads the JSON Lines the script reads.
// Go's Unicode tables (15.0) are newer than those of the Python the script
// was checked with (3.11, Unicode 14.0); the two differ only on code points
// Python leaves unassigned.
//
// Load takes no context, unlike other I/O in the module: it reads a few
// megabytes of local files and loads the train split in well under a
// second (60 ms with a warm cache), too fast to be worth cancelling.
package polnear
