package gql_test

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/gql"
)

const article = `Minister says road is open

Yerevan, 2023-05-02

Foreign Minister Ararat Mirzoyan said on Tuesday that the Lachin road had been closed for months. "Nothing passes," Mirzoyan told reporters.
`

const ingestMutation = `mutation($docs: [DocumentInput!]!) { ingest(documents: $docs) {
	loaded unchanged replaced failed
	documents { index id outcome statements error document { id title url publisher published { iso } source } } } }`

type ingestResult struct {
	Ingest struct {
		Loaded, Unchanged, Replaced, Failed int
		Documents                           []struct {
			Index      int
			ID         *string
			Outcome    string
			Statements int
			Error      *string
			Document   *struct {
				ID, Source            string
				Title, URL, Publisher *string
				Published             *struct{ Iso string }
			}
		}
	}
}

func TestIngestAndDelete(t *testing.T) {
	s := newServer(t, newStore(t), gql.Options{})
	docs := []map[string]any{
		{"text": article, "url": "https://news.example/mirzoyan?utm_source=x", "publisher": "Example News", "published": "2023-05-02", "source": "mirzoyan"},
		{"text": "   "},
		{"text": "<html><body><article><p>Nothing.</p></article></body></html>", "format": "nonsense"},
	}
	var r ingestResult
	s.query(t, ingestMutation, &r, client.Var("docs", docs))
	in := r.Ingest
	if in.Loaded != 1 || in.Failed != 2 || len(in.Documents) != 3 {
		t.Fatalf("ingest: %+v", in)
	}
	d := in.Documents[0]
	if d.Outcome != "LOADED" || d.ID == nil || d.Error != nil || d.Document == nil || d.Statements == 0 {
		t.Fatalf("first document: %+v", d)
	}
	if doc := d.Document; doc.URL == nil || *doc.URL != "https://news.example/mirzoyan" || *doc.Publisher != "Example News" ||
		doc.Published == nil || doc.Published.Iso != "2023-05-02" || doc.Source != "mirzoyan" {
		t.Errorf("stored document %+v", *doc)
	}
	for i, want := range []string{"empty", "unknown format"} {
		d := in.Documents[i+1]
		if d.Outcome != "FAILED" || d.Error == nil || !strings.Contains(*d.Error, want) || d.Document != nil {
			t.Errorf("document %d: %+v, want an error saying %q", i+1, d, want)
		}
	}

	var again ingestResult
	s.query(t, ingestMutation, &again, client.Var("docs", docs[:1]))
	if again.Ingest.Unchanged != 1 || again.Ingest.Documents[0].Outcome != "UNCHANGED" {
		t.Errorf("second ingest: %+v", again.Ingest)
	}

	var st struct {
		Statements struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Speaker *struct{ Name string } }
			}
		}
	}
	s.query(t, `query($d: ID!) { statements(filter: {document: $d}) { totalCount edges { node { speaker { name } } } } }`, &st, client.Var("d", *d.ID))
	if st.Statements.TotalCount != d.Statements {
		t.Errorf("%d statements stored, ingest said %d", st.Statements.TotalCount, d.Statements)
	}

	var del struct{ A, B bool }
	s.query(t, `mutation($id: ID!) { a: deleteDocument(id: $id) }`, &del, client.Var("id", *d.ID))
	s.query(t, `mutation($id: ID!) { b: deleteDocument(id: $id) }`, &del, client.Var("id", *d.ID))
	if !del.A || del.B {
		t.Errorf("deleteDocument: first %v, second %v", del.A, del.B)
	}
	ids, err := s.r.Store.Documents(context.Background())
	if err != nil || len(ids) != 0 {
		t.Errorf("documents after delete: %v %v", ids, err)
	}
}

func TestMutationsNeedToken(t *testing.T) {
	const del = `mutation { deleteDocument(id: "https://provgraph.org/id/doc/none") }`
	for _, c := range []struct {
		name string
		opt  gql.Options
		hdr  string
		code string
	}{
		{"no token", gql.Options{Token: "s3cret"}, "", gql.CodeUnauthenticated},
		{"wrong token", gql.Options{Token: "s3cret"}, "Bearer s3cre", gql.CodeUnauthenticated},
		{"basic auth", gql.Options{Token: "s3cret"}, "Basic s3cret", gql.CodeUnauthenticated},
		{"right token", gql.Options{Token: "s3cret"}, "Bearer s3cret", ""},
		{"read-only", gql.Options{ReadOnly: true, Token: "s3cret"}, "Bearer s3cret", gql.CodeForbidden},
		{"open", gql.Options{}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var opts []client.Option
			if c.hdr != "" {
				opts = append(opts, client.AddHeader("Authorization", c.hdr))
			}
			s := newServer(t, newStore(t), c.opt, opts...)
			if c.code == "" {
				var r struct{ DeleteDocument bool }
				s.query(t, del, &r)
				return
			}
			errs := s.errorsOf(t, del)
			if errs[0].Extensions["code"] != c.code {
				t.Errorf("got %+v, want code %s", errs, c.code)
			}
			if strings.Contains(s.log.String(), "s3cret") {
				t.Errorf("the token was logged")
			}
			// Queries never need the token.
			var q struct{ Documents struct{ TotalCount int } }
			s.query(t, `{ documents { totalCount } }`, &q)
		})
	}
}

// tracer is a stand-in for the cross-document linking: it answers every
// question with the claims of a fixed list whose text shares a word with it.
type tracer []graph.Provenance

func (tr tracer) Trace(ctx context.Context, text string, first int) ([]graph.Provenance, error) {
	var out []graph.Provenance
	for _, p := range tr {
		for _, w := range strings.Fields(strings.ToLower(text)) {
			if len(w) > 3 && strings.Contains(strings.ToLower(p.Claim.Text), w) {
				out = append(out, p)
				break
			}
		}
	}
	return out[:min(len(out), first)], nil
}

const provenanceQuery = `query($q: String!) { provenance(claim: $q, first: 3) {
	score claim { id text } first { text date { iso } speaker { name } document { id } }
	repeats { text speaker { name } } disputedBy { text speaker { name } } } }`

func TestProvenance(t *testing.T) {
	docs := seedDocs(t)
	s := newServer(t, newStore(t, docs...), gql.Options{})
	errs := s.errorsOf(t, provenanceQuery, client.Var("q", "Who first said that about 10,000 Armenian soldiers?"))
	if errs[0].Extensions["code"] != gql.CodeUnavailable || !strings.Contains(errs[0].Message, "provenance tracing is not available") {
		t.Errorf("without a tracer: %+v", errs)
	}

	// The shape of an answer, from statements of the seeds.
	var first, repeat, dispute graph.Statement
	for _, dg := range docs {
		for _, e := range dg.Edges {
			if e.Kind != graph.Said {
				continue
			}
			for _, st := range dg.Statements {
				if st.ID != e.To {
					continue
				}
				switch {
				case e.From == graph.ActorID("Ilham Aliyev") && first.ID == "":
					first = st
				case e.From == graph.ActorID("Antony Blinken") && repeat.ID == "":
					repeat = st
				case e.From == graph.ActorID("Nikol Pashinyan") && dispute.ID == "":
					dispute = st
				}
			}
		}
	}
	claim := graph.Claim{ID: graph.ClaimID("soldiers"), Text: "10,000 Armenian soldiers remain in Azerbaijan"}
	s.r.Tracer = tracer{{Claim: claim, Score: 0.9, First: first, Repeats: []graph.Statement{repeat}, DisputedBy: []graph.Statement{dispute}}}
	var r struct {
		Provenance []struct {
			Score float64
			Claim struct{ ID, Text string }
			First struct {
				Text     string
				Date     *struct{ Iso string }
				Speaker  *struct{ Name string }
				Document struct{ ID string }
			}
			Repeats, DisputedBy []struct {
				Text    string
				Speaker *struct{ Name string }
			}
		}
	}
	s.query(t, provenanceQuery, &r, client.Var("q", "Who first said that about 10,000 Armenian soldiers remain in Azerbaijan?"))
	if len(r.Provenance) != 1 {
		t.Fatalf("%d answers, want 1", len(r.Provenance))
	}
	p := r.Provenance[0]
	if p.Score != 0.9 || p.Claim.Text != claim.Text || p.First.Speaker == nil || p.First.Speaker.Name != "Ilham Aliyev" || p.First.Document.ID != string(first.Document) {
		t.Errorf("answer %+v", p)
	}
	if len(p.Repeats) != 1 || p.Repeats[0].Speaker == nil || p.Repeats[0].Speaker.Name != "Antony Blinken" ||
		len(p.DisputedBy) != 1 || p.DisputedBy[0].Speaker == nil || p.DisputedBy[0].Speaker.Name != "Nikol Pashinyan" {
		t.Errorf("repeats %+v, disputedBy %+v", p.Repeats, p.DisputedBy)
	}
	s.query(t, provenanceQuery, &r, client.Var("q", "unrelated question"))
	if len(r.Provenance) != 0 {
		t.Errorf("an unrelated question matched %+v", r.Provenance)
	}
}

// TestMutationsGoThroughRelink checks that every write and removal of a
// document goes through the Relink hook, with its document, and that the
// change's outcome comes back through it.
func TestMutationsGoThroughRelink(t *testing.T) {
	s := newServer(t, newStore(t), gql.Options{})
	var seen []graph.ID
	s.r.Relink = func(ctx context.Context, doc graph.ID, change func() error) error {
		seen = append(seen, doc)
		return change()
	}
	docs := []map[string]any{{"text": article, "url": "https://news.example/mirzoyan", "source": "mirzoyan"}}
	var r ingestResult
	s.query(t, ingestMutation, &r, client.Var("docs", docs))
	if r.Ingest.Loaded != 1 || r.Ingest.Documents[0].ID == nil {
		t.Fatalf("ingest: %+v", r.Ingest)
	}
	id := graph.ID(*r.Ingest.Documents[0].ID)
	var del struct{ A, B bool }
	s.query(t, `mutation($id: ID!) { a: deleteDocument(id: $id) }`, &del, client.Var("id", id))
	s.query(t, `mutation($id: ID!) { b: deleteDocument(id: $id) }`, &del, client.Var("id", id))
	if !del.A || del.B {
		t.Errorf("deleteDocument through the hook: first %v, second %v", del.A, del.B)
	}
	if len(seen) != 3 || seen[0] != id || seen[1] != id || seen[2] != id {
		t.Errorf("hook saw %v, want the document three times", seen)
	}
}
