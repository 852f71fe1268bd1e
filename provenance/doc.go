// Package provenance links documents to each other as they are loaded: it
// groups statements that assert the same proposition into claims, resolves
// actors named differently across documents, adds cited edges (a later
// statement → the earlier one it repeats) and disputes edges (a statement →
// one it denies or contradicts), and answers "who first claimed X"
// ([Linker.Trace]).
//
// # Why a package of its own
//
// Linking runs after extraction and before a document is written: it reads
// the store's index of what is already stored ([graph.Index]) and adds
// cross-document nodes and edges to the document's [graph.DocGraph]. It is
// neither extraction (loaders/extract sees one text at a time and knows
// nothing of the store) nor storage (graph only defines the model and the
// interfaces). Keeping it apart lets the load path call it between
// [loaders.Ingester.Graph] and [graph.Store.Put], and lets the GraphQL
// layer call [Linker.Trace] through a one-method interface ([Tracer]).
//
// # Normalisation
//
// A statement's content is split into propositions (clauses: "X, as well
// as the fact that Y" is two). Each proposition becomes a set of terms:
// content words reduced to a stem (WordNet's base form from package
// lexicon, then a light suffix stripper, so "misinforming" and
// "misinformation" meet), capitalised words as entities (nationalities and
// capitals folded to their countries), and numbers as values ("10,000",
// "ten thousand" and "10 thousand" are all n:10000). Small closed classes
// are listed by hand: function words, negators, denial cues, evaluative
// words, nationalities and capitals, and a few synonym groups (troops,
// soldiers, servicemen) that WordNet's word classes do not group. A
// proposition also records its polarity (a negator outside a condition)
// and the terms that follow each denial cue.
//
// # Claims
//
// A proposition joins the claim of the best-matching proposition already
// linked when their weighted terms agree (Dice at least 0.55, or most of
// the smaller one contained in the larger), their numbers agree and their
// polarities are equal; otherwise it founds a claim whose ID is derived
// from its sorted terms ([graph.ClaimID]), so verbatim repeats get the same
// claim whatever the load order. A statement asserts one claim per
// proposition ([graph.PredAsserts]); [graph.Statement.Claim] is its first.
// A claim's first statement is computed when asked, from its members: by
// statement date, then publication date, undated after dated. A statement
// whose date lacks its year ("On March 21") takes the full date of the
// same speaker's matching statement in another document with the same
// month and day: the same speech act, dated elsewhere.
//
// # Edges
//
// cited: a statement of a claim → the earlier statement of another document
// or actor it matched (rule [RuleRepeat], or [RuleSameSpeechAct] for the
// same speaker on the same day). disputes, between different actors that
// are not tied to the same country, at most one rule per pair, precision
// first: [RuleOpposite] (the negated proposition is contained in the
// other), [RuleDenial] (the words after a denial cue, such as "false
// propaganda", "so-called", "misinforming", are found in the other; or the
// denial names its target's author: "Armenia's claims", "Pashinyan's
// statements about the escalation", "Yerevan protested Baku's move") and
// [RuleValence] (the same act called "a gross violation" and "a legitimate
// step"). Every edge carries [graph.Evidence] with the rule, a confidence
// and the span of the new document's statement.
//
// # Actors
//
// Within a document, an actor named only by a role ("the President of
// Azerbaijan") is merged into the document's one person whose names hold
// that role; a person is named by the longest personal name the document
// uses ("Antony Blinken" for "Blinken"); a capital, a country or "the
// Armenian side" speaking is that country's government. Across documents
// actors merge only through the same canonical name, so two people sharing
// a surname or a title are never merged.
//
// # Index
//
// Candidates are found through index keys kept in the store
// ([graph.IndexEntry], written in the document's named graph so that
// replacing or removing the document keeps the index consistent): twelve
// MinHash LSH band keys per proposition and its term keys. Keys held by
// more than 200 statements are skipped as too common, so linking a document
// costs a bounded number of look-ups whatever the size of the graph. The
// documents of a batch not yet written are kept in a [MemIndex] in front of
// the store's index ([Linker.Flush] empties it), so they see each other.
// [MemIndex] also serves tests as a whole store.
//
// Removing a document removes its index entries and the edges into its
// statements (the store does that); answers are computed from the claims'
// current members, so the next earliest statement becomes the first
// without relinking.
package provenance
