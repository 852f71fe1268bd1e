package export

import (
	"encoding/xml"
	"io"
	"strconv"

	"github.com/provgraph/provgraph/graph"
)

// GEXF 1.3's namespaces.
const (
	gexfNS    = "http://gexf.net/1.3"
	gexfVizNS = "http://gexf.net/1.3/viz"
)

type gexfDoc struct {
	XMLName xml.Name  `xml:"gexf"`
	XMLNS   string    `xml:"xmlns,attr"`
	Viz     string    `xml:"xmlns:viz,attr"`
	Version string    `xml:"version,attr"`
	Meta    gexfMeta  `xml:"meta"`
	Graph   gexfGraph `xml:"graph"`
}

type gexfMeta struct {
	Creator     string `xml:"creator"`
	Description string `xml:"description"`
}

type gexfGraph struct {
	DefaultEdgeType string           `xml:"defaultedgetype,attr"`
	Mode            string           `xml:"mode,attr"`
	Attributes      []gexfAttributes `xml:"attributes"`
	Nodes           gexfNodes        `xml:"nodes"`
	Edges           gexfEdges        `xml:"edges"`
}

type gexfAttributes struct {
	Class string          `xml:"class,attr"`
	Attrs []gexfAttribute `xml:"attribute"`
}

type gexfAttribute struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfNodes struct {
	Count int        `xml:"count,attr"`
	Nodes []gexfNode `xml:"node"`
}

type gexfEdges struct {
	Count int        `xml:"count,attr"`
	Edges []gexfEdge `xml:"edge"`
}

type gexfNode struct {
	ID     string         `xml:"id,attr"`
	Label  string         `xml:"label,attr"`
	Values *gexfAttValues `xml:"attvalues,omitempty"`
	Color  gexfColor      `xml:"viz:color"`
	Shape  gexfShape      `xml:"viz:shape"`
}

type gexfEdge struct {
	ID     string         `xml:"id,attr"`
	Source string         `xml:"source,attr"`
	Target string         `xml:"target,attr"`
	Label  string         `xml:"label,attr"`
	Values *gexfAttValues `xml:"attvalues,omitempty"`
}

type gexfAttValues struct {
	Values []gexfAttValue `xml:"attvalue"`
}

type gexfAttValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfColor struct {
	R int `xml:"r,attr"`
	G int `xml:"g,attr"`
	B int `xml:"b,attr"`
}

type gexfShape struct {
	Value string `xml:"value,attr"`
}

// style is how a node kind is drawn: the explorer page uses the same
// colours.
type style struct {
	R, G, B int
	// Shape is a GEXF viz shape: disc, square, triangle, diamond.
	Shape string
}

var styles = map[string]style{
	graph.KindDocument:  {0x5b, 0x6b, 0x7f, "square"},
	graph.KindActor:     {0x1f, 0x77, 0xb4, "disc"},
	graph.KindStatement: {0xe0, 0x8a, 0x1e, "diamond"},
	graph.KindClaim:     {0x9b, 0x3d, 0xb8, "triangle"},
	graph.KindPlace:     {0x2c, 0xa0, 0x4c, "disc"},
	graph.KindDate:      {0x8c, 0x8c, 0x8c, "square"},
}

// writeGEXF writes g as GEXF 1.3, the format Gephi reads natively, with
// node colours and shapes by kind. Node IDs are the IRIs.
func writeGEXF(w io.Writer, g *Graph) error {
	doc := gexfDoc{
		XMLNS: gexfNS, Viz: gexfVizNS, Version: "1.3",
		Meta:  gexfMeta{Creator: "provgraph", Description: "A source-provenance graph: who said what, who said it first, who repeated it and who disputes it."},
		Graph: gexfGraph{DefaultEdgeType: "directed", Mode: "static"},
	}
	types := map[string]string{"string": "string", "double": "double"}
	nodeAttrIDs := make(map[string]string)
	na := gexfAttributes{Class: "node"}
	for i, a := range nodeAttrs {
		if a.Name == "label" {
			continue // the node's label attribute
		}
		id := strconv.Itoa(i)
		nodeAttrIDs[a.Name] = id
		na.Attrs = append(na.Attrs, gexfAttribute{ID: id, Title: a.Name, Type: types[a.Type]})
	}
	edgeAttrIDs := make(map[string]string)
	ea := gexfAttributes{Class: "edge"}
	for i, a := range edgeAttrs {
		id := strconv.Itoa(i)
		edgeAttrIDs[a.Name] = id
		ea.Attrs = append(ea.Attrs, gexfAttribute{ID: id, Title: a.Name, Type: types[a.Type]})
	}
	doc.Graph.Attributes = []gexfAttributes{na, ea}
	doc.Graph.Nodes.Count = len(g.Nodes)
	for _, n := range g.Nodes {
		st := styles[n.Kind]
		gn := gexfNode{ID: string(n.ID), Label: n.Label, Color: gexfColor{st.R, st.G, st.B}, Shape: gexfShape{st.Shape}}
		vals := nodeValues(n)
		var av gexfAttValues
		for _, a := range nodeAttrs {
			if id, ok := nodeAttrIDs[a.Name]; ok {
				if v, ok := vals[a.Name]; ok {
					av.Values = append(av.Values, gexfAttValue{For: id, Value: format(v)})
				}
			}
		}
		if len(av.Values) > 0 {
			gn.Values = &av
		}
		doc.Graph.Nodes.Nodes = append(doc.Graph.Nodes.Nodes, gn)
	}
	doc.Graph.Edges.Count = len(g.Edges)
	for i, e := range g.Edges {
		ge := gexfEdge{ID: strconv.Itoa(i), Source: string(e.From), Target: string(e.To), Label: e.Kind}
		vals := edgeValues(e)
		var av gexfAttValues
		for _, a := range edgeAttrs {
			if v, ok := vals[a.Name]; ok {
				av.Values = append(av.Values, gexfAttValue{For: edgeAttrIDs[a.Name], Value: format(v)})
			}
		}
		if len(av.Values) > 0 {
			ge.Values = &av
		}
		doc.Graph.Edges.Edges = append(doc.Graph.Edges.Edges, ge)
	}
	return writeXML(w, doc)
}
