package loaders

import (
	"errors"
	"fmt"
	"strings"
	"time"

	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"

	"github.com/provgraph/provgraph/graph"
)

// ErrNoDate is returned (wrapped) by [ParseDate] for text that holds no date.
var ErrNoDate = errors.New("no date")

// layouts are the machine forms of dates in metadata, tried before the
// general parser, with the precision each gives.
var layouts = []struct {
	layout string
	prec   graph.Precision
	zone   bool
}{
	{time.RFC3339Nano, graph.PrecisionTime, true},
	{"2006-01-02T15:04:05Z0700", graph.PrecisionTime, true},
	{"2006-01-02T15:04Z07:00", graph.PrecisionTime, true},
	{"2006-01-02 15:04:05Z07:00", graph.PrecisionTime, true},
	{"2006-01-02 15:04:05 -0700", graph.PrecisionTime, true},
	{"2006-01-02T15:04:05", graph.PrecisionTime, false},
	{"2006-01-02 15:04:05", graph.PrecisionTime, false},
	{"2006-01-02 15:04", graph.PrecisionTime, false},
	{"2006-01-02T15:04", graph.PrecisionTime, false},
	{time.RFC1123Z, graph.PrecisionTime, true},
	{time.RFC1123, graph.PrecisionTime, true},
	{"Mon, 2 Jan 2006 15:04:05 -0700", graph.PrecisionTime, true},
	{"Mon, 2 Jan 2006 15:04:05 MST", graph.PrecisionTime, true},
	{"2006-01-02", graph.PrecisionDay, false},
	{"2006/01/02", graph.PrecisionDay, false},
	{"20060102", graph.PrecisionDay, false},
	{"2006-01", graph.PrecisionMonth, false},
	{"2006", graph.PrecisionYear, false},
}

var dateConfig = &dps.Configuration{
	Languages:          []string{"en"},
	ReturnTimeAsPeriod: true,
	// Metadata that gives no year or day must not borrow them from the
	// clock: a missing part lowers the precision instead.
	PreferredDayOfMonth: dps.First,
	StrictParsing:       false,
	CurrentTime:         time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
}

// ParseDate parses a publication date as metadata writes it ("2023-05-01",
// "2023-03-21 19:22:00", "Mon, 01 May 2023 10:00:00 +0300", "May 1, 2023",
// "March 2023") into a [graph.Date] at the precision it was given, with its
// time zone when it had one. Relative forms ("yesterday") are refused: a
// publication date is never computed from today's date.
func ParseDate(s string) (*graph.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ErrNoDate
	}
	for _, l := range layouts {
		t, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		return dateAt(fixZone(t), l.prec, l.zone), nil
	}
	dt, err := dps.Parse(dateConfig, s)
	if err != nil || dt.Time.IsZero() {
		return nil, fmt.Errorf("%q: %w", s, ErrNoDate)
	}
	if isRelative(s) {
		return nil, fmt.Errorf("%q is relative: %w", s, ErrNoDate)
	}
	var prec graph.Precision
	switch dt.Period {
	case date.Year:
		prec = graph.PrecisionYear
	case date.Month:
		prec = graph.PrecisionMonth
	case date.Day:
		prec = graph.PrecisionDay
	default:
		prec = graph.PrecisionTime
	}
	if prec != graph.PrecisionYear && !hasYear(s, dt.Time.Year()) {
		// "March 21" names no year; a publication date without one is
		// not a date we can place.
		return nil, fmt.Errorf("%q has no year: %w", s, ErrNoDate)
	}
	zone := prec == graph.PrecisionTime && dt.Time.Location() != time.UTC
	return dateAt(dt.Time, prec, zone), nil
}

// zoneOffsets are the UTC offsets, in hours, of the zone abbreviations
// news metadata uses. Go's parser gives an abbreviation it does not know
// in the local zone a zero offset, which would shift such times by hours.
var zoneOffsets = map[string]float64{
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"AKST": -9, "AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5,
	"GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "IST": 5.5, "CET": 1, "CEST": 2,
	"EET": 2, "EEST": 3, "MSK": 3, "AZT": 4, "AMT": 4, "GET": 4, "GST": 4, "PKT": 5, "JST": 9, "KST": 9,
	"AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12, "NZDT": 13, "SGT": 8, "HKT": 8,
}

// fixZone gives a time parsed with a zone abbreviation that abbreviation's
// real offset.
func fixZone(t time.Time) time.Time {
	name, off := t.Zone()
	if off != 0 || name == "" {
		return t
	}
	h, ok := zoneOffsets[strings.ToUpper(name)]
	if !ok || h == 0 {
		return t
	}
	sec := int(h * 3600)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, sec))
}

func dateAt(t time.Time, p graph.Precision, zone bool) *graph.Date {
	var v string
	switch p {
	case graph.PrecisionYear:
		v = t.Format("2006")
	case graph.PrecisionMonth:
		v = t.Format("2006-01")
	case graph.PrecisionDay:
		v = t.Format("2006-01-02")
	default:
		if zone {
			v = t.Format("2006-01-02T15:04:05Z07:00")
		} else {
			v = t.Format("2006-01-02T15:04:05")
		}
	}
	return &graph.Date{Value: v, Precision: p}
}

var relativeWords = []string{"ago", "yesterday", "today", "tomorrow", "now", "last ", "next ", "this "}

func isRelative(s string) bool {
	l := strings.ToLower(s)
	for _, w := range relativeWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func hasYear(s string, year int) bool {
	return strings.Contains(s, fmt.Sprint(year)) || strings.Contains(s, fmt.Sprintf("'%02d", year%100))
}
