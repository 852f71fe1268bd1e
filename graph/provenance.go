package graph

// Provenance answers "who first claimed X" for one claim: the claim, how
// well it matches the question, its first statement, the later statements
// that repeat it in date order, and the statements that dispute it.
type Provenance struct {
	Claim Claim
	// Score is the match between the question and the claim, in [0, 1];
	// results are ordered by it, best first.
	Score float64
	// First is the claim's earliest statement: by statement date, then by
	// publication date; undated statements come after dated ones.
	First Statement
	// Repeats are the claim's other statements, in the same order.
	Repeats []Statement
	// DisputedBy are the statements that dispute the claim or any of its
	// statements, in date order.
	DisputedBy []Statement
}
