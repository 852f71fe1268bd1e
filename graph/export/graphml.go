package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// GraphML's namespace.
const graphMLNS = "http://graphml.graphdrawing.org/xmlns"

type graphMLDoc struct {
	XMLName xml.Name     `xml:"graphml"`
	XMLNS   string       `xml:"xmlns,attr"`
	Keys    []graphMLKey `xml:"key"`
	Graph   graphMLGraph `xml:"graph"`
}

type graphMLKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphMLGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Nodes       []graphMLNode `xml:"node"`
	Edges       []graphMLEdge `xml:"edge"`
}

type graphMLNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphMLData `xml:"data"`
}

type graphMLEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphMLData `xml:"data"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// writeGraphML writes g as GraphML. Node and edge IDs are n0, n1, ... and
// e0, e1, ... (GraphML IDs are NMTOKENs, which IRIs are not); each node's
// IRI is its iri attribute, and labels are the label attribute, which
// Gephi and yEd show.
func writeGraphML(w io.Writer, g *Graph) error {
	doc := graphMLDoc{XMLNS: graphMLNS, Graph: graphMLGraph{ID: "provgraph", EdgeDefault: "directed"}}
	for _, a := range nodeAttrs {
		doc.Keys = append(doc.Keys, graphMLKey{ID: "n_" + a.Name, For: "node", Name: a.Name, Type: a.Type})
	}
	for _, a := range edgeAttrs {
		doc.Keys = append(doc.Keys, graphMLKey{ID: "e_" + a.Name, For: "edge", Name: a.Name, Type: a.Type})
	}
	ids := make(map[string]string, len(g.Nodes))
	for i, n := range g.Nodes {
		id := "n" + strconv.Itoa(i)
		ids[string(n.ID)] = id
		vals := nodeValues(n)
		gn := graphMLNode{ID: id}
		for _, a := range nodeAttrs {
			if v, ok := vals[a.Name]; ok {
				gn.Data = append(gn.Data, graphMLData{Key: "n_" + a.Name, Value: format(v)})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, gn)
	}
	for i, e := range g.Edges {
		vals := edgeValues(e)
		ge := graphMLEdge{ID: "e" + strconv.Itoa(i), Source: ids[string(e.From)], Target: ids[string(e.To)]}
		for _, a := range edgeAttrs {
			if v, ok := vals[a.Name]; ok {
				ge.Data = append(ge.Data, graphMLData{Key: "e_" + a.Name, Value: format(v)})
			}
		}
		doc.Graph.Edges = append(doc.Graph.Edges, ge)
	}
	return writeXML(w, doc)
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// format writes an attribute value as text.
func format(v value) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}
