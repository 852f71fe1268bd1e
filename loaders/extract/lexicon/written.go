package lexicon

// written are nouns of texts that speak for whoever issued them: "the
// statement said", "according to the report", "Miller said in a
// statement".
var written = map[string]bool{
	"statement": true, "statements": true, "release": true, "readout": true, "report": true,
	"communique": true, "communiqué": true, "letter": true, "transcript": true, "memo": true,
	"document": true, "declaration": true, "announcement": true, "notice": true, "filing": true,
	"summary": true, "account": true, "message": true, "post": true, "tweet": true,
}

// Written reports whether a lower-cased noun names a text that speaks for
// its issuer ("statement", "report", "readout").
func Written(w string) bool { return written[w] }
