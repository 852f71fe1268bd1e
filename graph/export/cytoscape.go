package export

import (
	"encoding/json"
	"io"
)

type cyDoc struct {
	FormatVersion string     `json:"format_version"`
	GeneratedBy   string     `json:"generated_by"`
	Target        string     `json:"target_cytoscapejs_version"`
	Data          cyData     `json:"data"`
	Elements      cyElements `json:"elements"`
}

type cyData struct {
	Name      string `json:"name"`
	Truncated bool   `json:"truncated"`
}

type cyElements struct {
	Nodes []cyElement `json:"nodes"`
	Edges []cyElement `json:"edges"`
}

type cyElement struct {
	Data map[string]value `json:"data"`
}

// writeCytoscape writes g as Cytoscape.js JSON: the object cy.json()
// returns and cy.json(obj) or cytoscape({elements}) reads, which the
// Cytoscape desktop application imports as .cyjs. Node IDs are the IRIs;
// edge IDs are "source kind target".
func writeCytoscape(w io.Writer, g *Graph) error {
	doc := cyDoc{
		FormatVersion: "1.0", GeneratedBy: "provgraph", Target: "~3.34",
		Data:     cyData{Name: "provgraph", Truncated: g.Truncated},
		Elements: cyElements{Nodes: []cyElement{}, Edges: []cyElement{}},
	}
	for _, n := range g.Nodes {
		d := nodeValues(n)
		d["id"] = string(n.ID)
		doc.Elements.Nodes = append(doc.Elements.Nodes, cyElement{Data: d})
	}
	for _, e := range g.Edges {
		d := edgeValues(e)
		d["id"] = e.ID()
		d["source"] = string(e.From)
		d["target"] = string(e.To)
		d["label"] = e.Kind
		doc.Elements.Edges = append(doc.Elements.Edges, cyElement{Data: d})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
