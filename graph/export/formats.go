package export

import (
	"fmt"
	"io"
	"strings"
)

// Names of the formats.
const (
	NQuads    = "nquads"
	JSONLD    = "jsonld"
	GraphML   = "graphml"
	GEXF      = "gexf"
	Cytoscape = "cytoscape"
)

// Format describes one export format.
type Format struct {
	// Name is what --format and ?format= take.
	Name string
	// Ext is the file extension, without the dot.
	Ext string
	// MIMEType is the media type served over HTTP.
	MIMEType string
	// Write writes a graph in the format.
	Write func(w io.Writer, g *Graph) error
}

// Formats lists the formats, sorted by name.
func Formats() []Format {
	return []Format{
		{Cytoscape, "cyjs", "application/json", writeCytoscape},
		{GEXF, "gexf", "application/gexf+xml", writeGEXF},
		{GraphML, "graphml", "application/graphml+xml", writeGraphML},
		{JSONLD, "jsonld", "application/ld+json", writeJSONLD},
		{NQuads, "nq", "application/n-quads", writeNQuads},
	}
}

// Names returns the formats' names, sorted.
func Names() []string {
	var out []string
	for _, f := range Formats() {
		out = append(out, f.Name)
	}
	return out
}

// ByName returns the format called name (ignoring case; a format's
// extension is accepted too).
func ByName(name string) (Format, error) {
	for _, f := range Formats() {
		if strings.EqualFold(name, f.Name) || strings.EqualFold(name, f.Ext) {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("export: unknown format %q (one of %s)", name, strings.Join(Names(), ", "))
}
