// Package loaders turns the files people have — plain text, HTML pages,
// JSON Lines exports, RSS and Atom feeds, gzipped or not, in folders or on
// standard input — into [Document]s with text and metadata, ready for
// extraction.
//
// # Formats
//
// Each format is a small package (loaders/text, loaders/html, loaders/jsonl,
// loaders/feed) that exports a [Format] descriptor: its name, file
// extensions, MIME types, magic bytes and a constructor. A [Registry] holds
// the formats a program uses and finds the one for an input by name,
// extension, MIME type or content sniffing; loaders/all builds the default
// registry. Registries are values: tests build their own.
//
// # Records and errors
//
// A [Loader] reads one input and emits [Record]s: a document, or the error
// that kept one record from becoming a document (a malformed JSON line, a
// feed item without text). An error in one record never stops the others;
// only an input that cannot be read at all fails the whole Load. Errors name
// the input and, for formats with several records, the line or item, through
// [SyntaxError].
//
// # Offsets
//
// A Document's Text is what extraction reads and what spans index. For
// plain text it is the file as read, metadata lines included; loaders mark
// such lines in [Document.Boilerplate] instead of removing them, so offsets
// still index the file. For HTML, feeds and JSON Lines it is the article
// text the format yields. Offsets inside Go are bytes; the graph converts
// them to code points at its boundary.
//
// Slices in a Document belong to the caller once emitted.
package loaders
