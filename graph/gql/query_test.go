package gql_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/99designs/gqlgen/client"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/gql"
	"github.com/provgraph/provgraph/graph/storetest"
)

type pageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

func TestDocumentsPages(t *testing.T) {
	s := seeded(t)
	const q = `query($after: String) { documents(first: 2, after: $after) {
		totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor node { id title url publisher authors text source format published { iso precision }
			statements(first: 3) { totalCount edges { node { id document { id } } } } } } } }`
	type resp struct {
		Documents struct {
			TotalCount int
			PageInfo   pageInfo
			Edges      []struct {
				Cursor string
				Node   struct {
					ID, Text, Source, Format string
					Title, URL, Publisher    *string
					Authors                  []string
					Published                *struct{ Iso, Precision string }
					Statements               struct {
						TotalCount int
						Edges      []struct {
							Node struct {
								ID       string
								Document struct{ ID string }
							}
						}
					}
				}
			}
		}
	}
	var ids []string
	var after *string
	for page := 0; ; page++ {
		var r resp
		s.query(t, q, &r, client.Var("after", after))
		d := r.Documents
		if d.TotalCount != len(seedDocs(t)) {
			t.Fatalf("totalCount %d, want %d", d.TotalCount, len(seedDocs(t)))
		}
		if d.PageInfo.HasPreviousPage != (page > 0) {
			t.Errorf("page %d: hasPreviousPage %v", page, d.PageInfo.HasPreviousPage)
		}
		for _, e := range d.Edges {
			ids = append(ids, e.Node.ID)
			if e.Node.Text == "" || e.Node.Format != "text" || !strings.HasPrefix(e.Node.Source, seeds) {
				t.Errorf("document %s: format %q, source %q, %d bytes of text", e.Node.ID, e.Node.Format, e.Node.Source, len(e.Node.Text))
			}
			for _, st := range e.Node.Statements.Edges {
				if st.Node.Document.ID != e.Node.ID {
					t.Errorf("statement %s of document %s says it is in %s", st.Node.ID, e.Node.ID, st.Node.Document.ID)
				}
			}
			if e.Node.Statements.TotalCount == 0 || len(e.Node.Statements.Edges) > 3 {
				t.Errorf("document %s: %d statements in a page of 3, of %d", e.Node.ID, len(e.Node.Statements.Edges), e.Node.Statements.TotalCount)
			}
		}
		if !d.PageInfo.HasNextPage {
			break
		}
		after = d.PageInfo.EndCursor
		if page > 5 {
			t.Fatal("pages do not end")
		}
	}
	if len(ids) != len(seedDocs(t)) || !slices.IsSorted(ids) {
		t.Errorf("pages gave %d documents %v, want %d, sorted", len(ids), ids, len(seedDocs(t)))
	}
}

func TestNodeLookups(t *testing.T) {
	s := seeded(t)
	doc := seedDocs(t)[1]
	st := doc.Statements[0]
	var actor graph.ID
	for _, e := range doc.Edges {
		if e.Kind == graph.Said {
			actor = e.From
			break
		}
	}
	for _, c := range []struct {
		name, id, typename string
	}{
		{"document", string(doc.Document.ID), "Document"},
		{"statement", string(st.ID), "Statement"},
		{"actor", string(actor), "Actor"},
		{"missing statement", string(doc.Document.ID) + "/s/0-1", ""},
		{"not an IRI", "hello", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r struct {
				Node  *struct{ Typename, ID string }
				Nodes []*struct{ ID string }
			}
			s.query(t, `query($id: ID!) { node(id: $id) { typename: __typename id } nodes(ids: [$id, $id]) { id } }`, &r, client.Var("id", c.id))
			if c.typename == "" {
				if r.Node != nil || len(r.Nodes) != 2 || r.Nodes[0] != nil {
					t.Errorf("got %+v %+v, want null", r.Node, r.Nodes)
				}
				return
			}
			if r.Node == nil || r.Node.Typename != c.typename || r.Node.ID != c.id {
				t.Errorf("got %+v, want a %s", r.Node, c.typename)
			}
			if len(r.Nodes) != 2 || r.Nodes[1] == nil || r.Nodes[1].ID != c.id {
				t.Errorf("nodes: %+v", r.Nodes)
			}
		})
	}
	var r struct {
		Document  *struct{ ID string }
		Statement *struct{ ID, Text string }
		Claim     *struct{ ID string }
	}
	s.query(t, `query($d: ID!, $s: ID!) { document(id: $d) { id } statement(id: $s) { id text } claim(id: $s) { id } }`, &r,
		client.Var("d", doc.Document.ID), client.Var("s", st.ID))
	if r.Document == nil || r.Statement == nil || r.Statement.Text != st.Content.Text || r.Claim != nil {
		t.Errorf("look-ups: %+v %+v %+v", r.Document, r.Statement, r.Claim)
	}
}

func TestActors(t *testing.T) {
	s := seeded(t)
	var r struct {
		Actors struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Name, Kind string
					Aliases        []string
					SaidCount      int
					Statements     struct {
						TotalCount int
						Edges      []struct {
							Node struct{ Speaker struct{ Name string } }
						}
					}
				}
			}
		}
		ByAlias *struct{ Name string }
		Nobody  *struct{ Name string }
	}
	s.query(t, `{ actors(search: "blinken", first: 5) { totalCount edges { node { id name kind aliases saidCount
			statements(first: 50) { totalCount edges { node { speaker { name } } } } } } }
		byAlias: actor(name: "Blinken") { name } nobody: actor(name: "Nobody at all") { name } }`, &r)
	if r.Actors.TotalCount < 1 || r.Actors.Edges[0].Node.Name != "Antony Blinken" {
		t.Fatalf("actors(search: blinken): %+v", r.Actors)
	}
	a := r.Actors.Edges[0].Node
	if a.Kind != "PERSON" || !slices.Contains(a.Aliases, "Blinken") || a.SaidCount == 0 || a.SaidCount != a.Statements.TotalCount {
		t.Errorf("Blinken: %+v", a)
	}
	for _, e := range a.Statements.Edges {
		if e.Node.Speaker.Name != "Antony Blinken" {
			t.Errorf("a statement of Blinken's is said by %q", e.Node.Speaker.Name)
		}
	}
	if r.ByAlias == nil || r.ByAlias.Name != "Antony Blinken" {
		t.Errorf("actor(name: Blinken) = %+v", r.ByAlias)
	}
	if r.Nobody != nil {
		t.Errorf("actor(name: Nobody at all) = %+v, want null", r.Nobody)
	}
}

type stmt struct {
	ID, Text, Kind, Cue string
	Source              *string
	Speaker             *struct{ Name string }
	Date                *struct{ Iso, Precision string }
	Document            struct{ ID string }
}

const stmtFields = `id text kind cue source speaker { name } date { iso precision } document { id }`

func TestStatementsFilter(t *testing.T) {
	s := seeded(t)
	docs := seedDocs(t)
	total := 0
	for _, d := range docs {
		total += len(d.Statements)
	}
	for _, c := range []struct {
		name   string
		filter map[string]any
		check  func(t *testing.T, st stmt)
		min    int
	}{
		{"none", nil, nil, total},
		{"actor by name", map[string]any{"actor": "Ilham Aliyev"}, func(t *testing.T, st stmt) {
			if st.Speaker == nil || st.Speaker.Name != "Ilham Aliyev" {
				t.Errorf("statement %s said by %+v", st.ID, st.Speaker)
			}
		}, 1},
		{"actor by alias", map[string]any{"actor": "Blinken"}, func(t *testing.T, st stmt) {
			if st.Speaker == nil || st.Speaker.Name != "Antony Blinken" {
				t.Errorf("statement %s said by %+v", st.ID, st.Speaker)
			}
		}, 1},
		{"document", map[string]any{"document": docs[2].Document.ID}, func(t *testing.T, st stmt) {
			if st.Document.ID != string(docs[2].Document.ID) {
				t.Errorf("statement %s is in %s", st.ID, st.Document.ID)
			}
		}, len(docs[2].Statements)},
		{"kind", map[string]any{"kind": "DIRECT"}, func(t *testing.T, st stmt) {
			if st.Kind != "DIRECT" {
				t.Errorf("statement %s is %s", st.ID, st.Kind)
			}
		}, 1},
		{"text", map[string]any{"text": "LACHIN"}, func(t *testing.T, st stmt) {
			if !strings.Contains(strings.ToLower(st.Text), "lachin") {
				t.Errorf("statement %s: %q", st.ID, st.Text)
			}
		}, 1},
		{"dates", map[string]any{"from": "2023-03", "to": "2023-03-31"}, func(t *testing.T, st stmt) {
			if st.Date == nil || !strings.HasPrefix(st.Date.Iso, "2023-03") {
				t.Errorf("statement %s dated %+v", st.ID, st.Date)
			}
		}, 1},
		{"nothing", map[string]any{"actor": "Nobody at all"}, nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r struct {
				Statements struct {
					TotalCount int
					Edges      []struct{ Node stmt }
				}
			}
			s.query(t, `query($f: StatementFilter) { statements(filter: $f, first: 100) { totalCount edges { node { `+stmtFields+` } } } }`, &r, client.Var("f", c.filter))
			got := r.Statements
			if got.TotalCount < c.min || (c.min == 0 && got.TotalCount != 0) || (c.filter == nil && got.TotalCount != total) {
				t.Errorf("totalCount %d, want at least %d", got.TotalCount, c.min)
			}
			if len(got.Edges) != min(got.TotalCount, 100) {
				t.Errorf("%d edges of %d", len(got.Edges), got.TotalCount)
			}
			var last string
			for _, e := range got.Edges {
				if c.check != nil {
					c.check(t, e.Node)
				}
				if e.Node.Date != nil && e.Node.Date.Precision != "UNKNOWN" {
					if e.Node.Date.Iso < last {
						t.Errorf("statement dated %s after one dated %s", e.Node.Date.Iso, last)
					}
					last = e.Node.Date.Iso
				}
			}
		})
	}
	if errs := s.errorsOf(t, `{ statements(first: 1000) { totalCount } }`); errs[0].Extensions["code"] != gql.CodeBadInput || !strings.Contains(errs[0].Message, "first must be between 0 and 100") {
		t.Errorf("first: 1000 gave %+v", errs)
	}
	if errs := s.errorsOf(t, `{ statements(after: "nonsense") { totalCount } }`); errs[0].Extensions["code"] != gql.CodeBadInput {
		t.Errorf("a bad cursor gave %+v", errs)
	}
}

func TestTimeline(t *testing.T) {
	s := seeded(t)
	var r struct {
		Timeline struct {
			TotalCount int
			Edges      []struct{ Node stmt }
		}
	}
	s.query(t, `{ timeline(actor: "Ilham Aliyev", place: "nowhere at all") { totalCount } }`, &r)
	if r.Timeline.TotalCount != 0 {
		t.Errorf("timeline at an unknown place: %d statements", r.Timeline.TotalCount)
	}
	s.query(t, `{ timeline(actor: "Ilham Aliyev") { totalCount edges { node { `+stmtFields+` } } } }`, &r)
	if r.Timeline.TotalCount == 0 {
		t.Fatal("Aliyev's timeline is empty")
	}
	var dated []string
	for _, e := range r.Timeline.Edges {
		if e.Node.Speaker == nil || e.Node.Speaker.Name != "Ilham Aliyev" {
			t.Errorf("timeline statement by %+v", e.Node.Speaker)
		}
		if e.Node.Date != nil && e.Node.Date.Precision != "UNKNOWN" {
			dated = append(dated, e.Node.Date.Iso)
		}
	}
	if !slices.IsSorted(dated) {
		t.Errorf("timeline out of order: %v", dated)
	}
	if errs := s.errorsOf(t, `{ timeline { totalCount } }`); errs[0].Extensions["code"] != gql.CodeBadInput {
		t.Errorf("timeline without arguments: %+v", errs)
	}
}

// TestStatementFields reads every field of a statement and checks the
// spans against the document's text.
func TestStatementFields(t *testing.T) {
	docs := storetest.QueryFixture()
	s := newServer(t, newStore(t, docs...), gql.Options{})
	st := docs[1].Statements[0]
	var r struct {
		Statement struct {
			ID, Text, Kind, Cue, Rule string
			Source                    *string
			Confidence                float64
			DateSource                *string
			Date                      *struct{ Iso, Precision string }
			Span, Sentence            struct {
				Start, End int
				Text       string
			}
			ContentSpans, CueSpans []struct {
				Start, End int
				Text       string
			}
			Places []struct {
				Name    string
				Aliases []string
			}
			Dates                []struct{ Iso string }
			Cites, CitedBy       []struct{ ID string }
			Disputes, DisputedBy []struct{ ID string }
			Claim                *struct{ ID, Text string }
			Document             struct{ ID, Text string }
			Speaker              *struct{ Name string }
			Edges                []struct {
				Kind     string
				Source   struct{ Typename, ID string }
				Target   struct{ ID string }
				Evidence struct {
					Rule       string
					Confidence float64
					Note       *string
					Document   struct{ ID string }
					Span       *struct {
						Start, End int
						Text       string
					}
				}
			}
		}
	}
	s.query(t, `query($id: ID!) { statement(id: $id) { id text kind cue rule source confidence dateSource date { iso precision }
		span { start end text } sentence { start end text } contentSpans { start end text } cueSpans { start end text }
		places { name aliases } dates { iso } cites { id } citedBy { id } disputes { id } disputedBy { id }
		claim { id text } document { id text } speaker { name }
		edges(direction: IN) { kind source { typename: __typename id } target { ... on Statement { id } }
			evidence { rule confidence note document { id } span { start end text } } } } }`, &r, client.Var("id", st.ID))
	g := r.Statement
	runes := []rune(docs[1].Document.Text)
	sub := func(a, b int) string { return string(runes[a:b]) }
	if g.Text != st.Content.Text || g.Kind != "INDIRECT" || g.Cue != st.Cue.Text || g.Source == nil || *g.Source != st.Source.Text || g.Rule != "sample" || g.Confidence != 0.9 {
		t.Errorf("statement: %+v", g)
	}
	if g.Date == nil || g.Date.Iso != "2023-02-02" || g.Date.Precision != "DAY" || g.DateSource == nil || *g.DateSource != "PUBLISHED" {
		t.Errorf("date %+v from %v", g.Date, g.DateSource)
	}
	if g.Span.Text != sub(g.Span.Start, g.Span.End) || !strings.HasPrefix(g.Span.Text, "Speaker") || !strings.HasSuffix(g.Span.Text, st.Content.Text) {
		t.Errorf("span %+v", g.Span)
	}
	if g.Sentence.Text != sub(st.Sentence.Start, st.Sentence.End) || len(g.ContentSpans) != 1 || g.ContentSpans[0].Text != st.Content.Text || len(g.CueSpans) != 1 || g.CueSpans[0].Text != "said" {
		t.Errorf("sentence %+v, content %+v, cue %+v", g.Sentence, g.ContentSpans, g.CueSpans)
	}
	if len(g.Places) != 1 || g.Places[0].Name != "Lachin corridor" || g.Claim == nil || g.Claim.Text != storetest.FixtureClaim.Text {
		t.Errorf("places %+v, claim %+v", g.Places, g.Claim)
	}
	if len(g.Disputes) != 1 || g.Disputes[0].ID != string(docs[0].Statements[0].ID) || len(g.DisputedBy) != 1 || g.DisputedBy[0].ID != string(docs[2].Statements[0].ID) {
		t.Errorf("disputes %+v, disputedBy %+v", g.Disputes, g.DisputedBy)
	}
	if len(g.Cites) != 0 || len(g.CitedBy) != 0 {
		t.Errorf("cites %+v, citedBy %+v (a document's cited edge is not a statement's)", g.Cites, g.CitedBy)
	}
	if g.Speaker == nil || !strings.HasPrefix(g.Speaker.Name, "Speaker ") || g.Document.ID != string(docs[1].Document.ID) {
		t.Errorf("speaker %+v, document %s", g.Speaker, g.Document.ID)
	}
	kinds := map[string]string{}
	for _, e := range g.Edges {
		kinds[e.Kind] = e.Source.Typename
		if e.Target.ID != string(st.ID) {
			t.Errorf("incoming edge ends at %s", e.Target.ID)
		}
		ev := e.Evidence
		if ev.Rule == "" || ev.Document.ID == "" {
			t.Errorf("%s edge evidence %+v", e.Kind, ev)
		}
		if ev.Span != nil && utf8.RuneCountInString(ev.Span.Text) != ev.Span.End-ev.Span.Start {
			t.Errorf("%s evidence span %+v", e.Kind, ev.Span)
		}
		if e.Kind == "DISPUTES" && (ev.Note == nil || *ev.Note != "opposite figures" || ev.Span == nil) {
			t.Errorf("dispute evidence %+v", ev)
		}
	}
	if want := map[string]string{"SAID": "Actor", "CITED": "Document", "DISPUTES": "Statement"}; !mapsEqual(kinds, want) {
		t.Errorf("incoming edges %v, want %v", kinds, want)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestClaims(t *testing.T) {
	docs := storetest.QueryFixture()
	s := newServer(t, newStore(t, docs...), gql.Options{})
	var r struct {
		Claims struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Text   string
					First      *struct{ ID string }
					DisputedBy []struct{ ID string }
					Statements struct {
						TotalCount int
						Edges      []struct{ Node struct{ ID string } }
					}
				}
			}
		}
		None struct{ TotalCount int }
	}
	s.query(t, `{ claims(search: "lachin road") { totalCount edges { node { id text first { id } disputedBy { id }
		statements { totalCount edges { node { id } } } } } } none: claims(search: "armenian soldiers") { totalCount } }`, &r)
	if r.Claims.TotalCount != 1 || r.None.TotalCount != 0 {
		t.Fatalf("claims: %+v, none: %+v", r.Claims, r.None)
	}
	c := r.Claims.Edges[0].Node
	first := string(docs[0].Statements[0].ID)
	if c.ID != string(storetest.FixtureClaim.ID) || c.First == nil || c.First.ID != first || c.Statements.TotalCount != 3 || c.Statements.Edges[0].Node.ID != first {
		t.Errorf("claim %+v", c)
	}
	// Documents 1 and 2 dispute the first statements of 0 and 1, which
	// assert the claim.
	want := []string{string(docs[1].Statements[0].ID), string(docs[2].Statements[0].ID)}
	var got []string
	for _, d := range c.DisputedBy {
		got = append(got, d.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("disputedBy %v, want %v", got, want)
	}
}

func TestSubgraph(t *testing.T) {
	s := seeded(t)
	doc := seedDocs(t)[2]
	type sub struct {
		Truncated bool
		Nodes     []struct{ ID, Kind, Label string }
		Edges     []struct {
			ID, Kind, Source, Target string
			Evidence                 *struct{ Rule string }
		}
	}
	var r struct{ Subgraph sub }
	s.query(t, `query($ids: [ID!]!) { subgraph(ids: $ids, depth: 2, limit: 500) { truncated nodes { id kind label } edges { id kind source target evidence { rule } } } }`,
		&r, client.Var("ids", []string{string(doc.Document.ID), "https://provgraph.org/id/doc/none"}))
	g := r.Subgraph
	if len(g.Nodes) < 1+len(doc.Statements) || g.Nodes[0].ID != string(doc.Document.ID) || g.Nodes[0].Kind != "DOCUMENT" {
		t.Fatalf("subgraph nodes: %+v", g.Nodes)
	}
	ids := map[string]string{}
	kinds := map[string]bool{}
	for _, n := range g.Nodes {
		ids[n.ID] = n.Kind
		kinds[n.Kind] = true
		if n.Label == "" {
			t.Errorf("node %s has no label", n.ID)
		}
	}
	for _, k := range []string{"DOCUMENT", "STATEMENT", "ACTOR"} {
		if !kinds[k] {
			t.Errorf("no %s node within two links of a document", k)
		}
	}
	for _, e := range g.Edges {
		if ids[e.Source] == "" || ids[e.Target] == "" {
			t.Errorf("edge %s joins a node outside the subgraph", e.ID)
		}
		derived := e.Kind == "said" || e.Kind == "cited" || e.Kind == "disputes"
		if derived != (e.Evidence != nil) {
			t.Errorf("edge %s: evidence %+v", e.ID, e.Evidence)
		}
	}
	s.query(t, `query($ids: [ID!]!) { subgraph(ids: $ids, depth: 3, limit: 5) { truncated nodes { id kind label } edges { id kind source target evidence { rule } } } }`,
		&r, client.Var("ids", []string{string(doc.Document.ID)}))
	if !r.Subgraph.Truncated || len(r.Subgraph.Nodes) != 5 {
		t.Errorf("limit 5: truncated %v, %d nodes", r.Subgraph.Truncated, len(r.Subgraph.Nodes))
	}
	if errs := s.errorsOf(t, `{ subgraph(ids: [], depth: 9) { truncated } }`); errs[0].Extensions["code"] != gql.CodeBadInput {
		t.Errorf("depth 9: %+v", errs)
	}
}

func TestGet(t *testing.T) {
	s := seeded(t)
	for _, c := range []struct {
		name, query, want string
		code              int
	}{
		{"query", "{ documents { totalCount } }", `{"data":{"documents":{"totalCount":5}}}`, http.StatusOK},
		{"mutation", `mutation { deleteDocument(id: "x") }`, "GET requests only allow query operations", http.StatusNotAcceptable},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.h.ServeHTTP(w, httptest.NewRequest("GET", "/graphql?query="+url.QueryEscape(c.query), nil))
			if w.Code != c.code || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("GET %s: %d %s", c.query, w.Code, w.Body)
			}
		})
	}
}

// TestClaimsOfSeeds reads the claims the linker found in the seeds.
func TestClaimsOfSeeds(t *testing.T) {
	s := seeded(t)
	var r struct {
		Claims struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Text  string
					First *struct {
						Speaker *struct{ Name string }
					}
					Statements struct {
						TotalCount int
						Edges      []struct {
							Node struct {
								Speaker *struct{ Name string }
								Claim   *struct{ ID string }
							}
						}
					}
				}
			}
		}
	}
	s.query(t, `{ claims(search: "10,000 servicemen") { totalCount edges { node { text first { speaker { name } }
		statements { totalCount edges { node { speaker { name } claim { id } } } } } } } }`, &r)
	if r.Claims.TotalCount == 0 {
		t.Fatal("no claim of the seeds mentions 10,000 servicemen")
	}
	c := r.Claims.Edges[0].Node
	if c.First == nil || c.First.Speaker == nil || c.First.Speaker.Name != "Ilham Aliyev" {
		t.Errorf("claim %q first said by %+v, want Ilham Aliyev", c.Text, c.First)
	}
	var speakers []string
	for _, e := range c.Statements.Edges {
		if e.Node.Speaker != nil {
			speakers = append(speakers, e.Node.Speaker.Name)
		}
	}
	if c.Statements.TotalCount < 2 || !slices.Contains(speakers, "Peter Tase") {
		t.Errorf("claim %q: %d statements by %v, want Peter Tase among them", c.Text, c.Statements.TotalCount, speakers)
	}
}
