// Package dates finds the dates a news text writes — absolute ("April 23,
// 2023", "2023-05-01"), partial ("March 21", "late May 2023") and relative
// to the publication date ("on Saturday", "last year", "earlier this
// month") — normalises them to ISO 8601 at their precision, and dates each
// attribution with the date its statement was made when the text gives it.
//
// A statement takes the last event date written before it in its paragraph
// ("On March 21, ... The President noted that ..."), else the event date
// that opens the document's first paragraph, which news and releases use to
// date the whole report. Without either it has no date of its own; the
// caller may fall back to the publication date.
package dates

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/provgraph/provgraph/loaders/extract"
)

// Finder is the date stage of an extraction pipeline.
type Finder struct{}

var _ extract.Extractor = Finder{}

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
}

const monthRE = `(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`

// patterns are tried in order; each match becomes one mention.
var patterns = []struct {
	re   *regexp.Regexp
	kind int
}{
	{regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`), kindISO},
	{regexp.MustCompile(`\b(` + monthRE + `)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`), kindMDY},
	{regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(` + monthRE + `),?\s+(\d{4})\b`), kindDMY},
	{regexp.MustCompile(`\b(?:(early|mid|late|end of|beginning of)[\s-]+)?(` + monthRE + `),?\s+(\d{4})\b`), kindMY},
	{regexp.MustCompile(`\b(` + monthRE + `)\s+(\d{1,2})(?:st|nd|rd|th)?\b`), kindMD},
	{regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + monthRE + `)\b`), kindDM},
	{regexp.MustCompile(`(?i)\b(?:(last|this|next)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`), kindWeekday},
	{regexp.MustCompile(`(?i)\b(yesterday|today|(?:earlier|later)\s+this\s+(?:week|month|year)|this\s+(?:week|month|year)|last\s+(?:week|month|year)|a\s+year\s+ago)\b`), kindRelative},
	{regexp.MustCompile(`\b(?:in|since|by|of|from|until)\s+((?:19|20)\d{2})\b`), kindYear},
}

const (
	kindISO = iota
	kindMDY
	kindDMY
	kindMY
	kindMD
	kindDM
	kindWeekday
	kindRelative
	kindYear
)

// Extract finds the date mentions of d and dates its attributions.
func (Finder) Extract(ctx context.Context, d *extract.Doc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ref, refOK := reference(d.Published)
	// The patterns run only around words that can be part of a date, which
	// keeps the cost of regular expressions off most of the text.
	for _, w := range windows(d.Text) {
		for _, m := range Find(d.Src[w.Start:w.End], ref, refOK) {
			m.Start += w.Start
			m.End += w.Start
			d.Dates = append(d.Dates, m)
		}
	}
	assign(d)
	return nil
}

// triggers are lower-cased words a date mention contains.
var triggers = func() map[string]bool {
	m := map[string]bool{"yesterday": true, "today": true, "ago": true, "this": true, "last": true, "earlier": true, "later": true}
	for w := range months {
		m[w] = true
	}
	for w := range weekdays {
		m[w] = true
	}
	return m
}()

// windows returns merged text ranges, from three tokens before to five
// after each token that may belong to a date.
func windows(t *extract.Text) []extract.Span {
	var out []extract.Span
	for i, tk := range t.Tokens {
		w := t.Src[tk.Start:tk.End]
		if tk.Kind == extract.Number {
			if len(w) != 4 && !(len(w) == 10 && strings.Count(w, "-") == 2) {
				continue
			}
		} else if tk.Kind != extract.Word || !triggers[strings.ToLower(strings.TrimSuffix(w, "."))] {
			continue
		}
		lo, hi := max(i-3, 0), min(i+6, len(t.Tokens))
		sp := extract.Span{Start: t.Tokens[lo].Start, End: t.Tokens[hi-1].End}
		if n := len(out); n > 0 && sp.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// reference returns the publication day, if it has one.
func reference(p *extract.Date) (time.Time, bool) {
	if p == nil || len(p.Value) < 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", p.Value[:10])
	return t, err == nil
}

// Find returns the date mentions of src, in order, resolved against the
// reference day ref when refOK.
func Find(src string, ref time.Time, refOK bool) []extract.DateMention {
	var out []extract.DateMention
	taken := func(a, b int) bool {
		for _, m := range out {
			if a < m.End && b > m.Start {
				return true
			}
		}
		return false
	}
	for _, p := range patterns {
		for _, m := range p.re.FindAllStringSubmatchIndex(src, -1) {
			if taken(m[0], m[1]) {
				continue
			}
			g := func(i int) string {
				if m[2*i] < 0 {
					return ""
				}
				return src[m[2*i]:m[2*i+1]]
			}
			date, ok := resolve(p.kind, g, ref, refOK)
			if !ok {
				continue
			}
			out = append(out, extract.DateMention{
				Span:  extract.Span{Start: m[0], End: m[1]},
				Date:  date,
				Event: p.kind != kindYear && !periodWords[strings.ToLower(wordBefore(src, m[0]))],
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func month(s string) (time.Month, bool) {
	m, ok := months[strings.ToLower(strings.TrimSuffix(s, "."))]
	return m, ok
}

func day(y int, m time.Month, d int) (extract.Date, bool) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Month() != m || d < 1 {
		return extract.Date{}, false
	}
	return extract.Date{Value: t.Format("2006-01-02"), Precision: "day"}, true
}

func resolve(kind int, g func(int) string, ref time.Time, refOK bool) (extract.Date, bool) {
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch kind {
	case kindISO:
		return day(atoi(g(1)), time.Month(atoi(g(2))), atoi(g(3)))
	case kindMDY:
		m, ok := month(g(1))
		if !ok {
			return extract.Date{}, false
		}
		return day(atoi(g(3)), m, atoi(g(2)))
	case kindDMY:
		m, ok := month(g(2))
		if !ok {
			return extract.Date{}, false
		}
		return day(atoi(g(3)), m, atoi(g(1)))
	case kindMY:
		m, ok := month(g(2))
		if !ok {
			return extract.Date{}, false
		}
		return extract.Date{Value: fmt.Sprintf("%04d-%02d", atoi(g(3)), m), Precision: "month"}, true
	case kindMD, kindDM:
		ms, ds := g(1), g(2)
		if kind == kindDM {
			ms, ds = g(2), g(1)
		}
		m, ok := month(ms)
		if !ok {
			return extract.Date{}, false
		}
		d := atoi(ds)
		if d < 1 || d > 31 {
			return extract.Date{}, false
		}
		if !refOK {
			return extract.Date{Value: fmt.Sprintf("--%02d-%02d", m, d), Precision: "unknown"}, true
		}
		// The most recent such day on or before the reference: news
		// reports the past.
		y := ref.Year()
		if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(ref.AddDate(0, 0, 7)) {
			y--
		}
		return day(y, m, d)
	case kindWeekday:
		wd := weekdays[strings.ToLower(g(2))]
		if !refOK {
			return extract.Date{}, false
		}
		back := (int(ref.Weekday()) - int(wd) + 7) % 7
		switch strings.ToLower(g(1)) {
		case "last":
			if back == 0 {
				back = 7
			}
		case "next":
			return extract.Date{Value: ref.AddDate(0, 0, (int(wd)-int(ref.Weekday())+7)%7).Format("2006-01-02"), Precision: "day"}, true
		}
		return extract.Date{Value: ref.AddDate(0, 0, -back).Format("2006-01-02"), Precision: "day"}, true
	case kindRelative:
		if !refOK {
			return extract.Date{}, false
		}
		w := strings.Join(strings.Fields(strings.ToLower(g(1))), " ")
		switch {
		case w == "yesterday":
			return extract.Date{Value: ref.AddDate(0, 0, -1).Format("2006-01-02"), Precision: "day"}, true
		case w == "today":
			return extract.Date{Value: ref.Format("2006-01-02"), Precision: "day"}, true
		case strings.HasSuffix(w, "this month"):
			return extract.Date{Value: ref.Format("2006-01"), Precision: "month"}, true
		case w == "last month":
			return extract.Date{Value: time.Date(ref.Year(), ref.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), Precision: "month"}, true
		case strings.HasSuffix(w, "this year"):
			return extract.Date{Value: ref.Format("2006"), Precision: "year"}, true
		case w == "last year" || w == "a year ago":
			return extract.Date{Value: strconv.Itoa(ref.Year() - 1), Precision: "year"}, true
		}
		return extract.Date{}, false
	case kindYear:
		return extract.Date{Value: g(1), Precision: "year"}, true
	}
	return extract.Date{}, false
}

// periodWords before a date make it the bound of a period ("since December
// 12, 2022"), not the date of an event.
var periodWords = map[string]bool{"since": true, "until": true, "till": true, "from": true, "through": true, "by": true, "before": true, "after": true, "between": true, "to": true}

// wordBefore returns the word that ends right before offset i.
func wordBefore(src string, i int) string {
	j := i
	for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
		j--
	}
	k := j
	for k > 0 && (src[k-1] >= 'a' && src[k-1] <= 'z' || src[k-1] >= 'A' && src[k-1] <= 'Z') {
		k--
	}
	return src[k:j]
}

// assign dates each attribution with the event date that governs it.
func assign(d *extract.Doc) {
	// A date inside what someone is reported to have said ("deliver your
	// State of the Union address on January 29th") dates what was said,
	// not when: it dates no statement.
	var contents []extract.Span
	for _, a := range d.Attributions {
		contents = append(contents, a.Content...)
	}
	events := make([]extract.DateMention, 0, len(d.Dates))
	for _, m := range d.Dates {
		if m.Event && m.Precision != "year" && !inside(m.Span, contents) {
			events = append(events, m)
		}
	}
	if len(events) == 0 {
		return
	}
	// The lede's date: an event date in the first three sentences of
	// article text (metadata lines and Title Case headlines do not
	// count).
	var lede *extract.DateMention
	article := 0
	for _, s := range d.Sentences {
		if d.Skipped(s.Span) || d.TitleCase(s) {
			continue
		}
		if article++; article > 3 {
			break
		}
		for i := range events {
			if events[i].Start >= s.Start && events[i].End <= s.End {
				lede = &events[i]
				break
			}
		}
		if lede != nil {
			break
		}
	}
	for i := range d.Attributions {
		a := &d.Attributions[i]
		end := a.Cue[0].End
		for _, c := range a.Content {
			end = max(end, c.End)
		}
		para := paragraphStart(d.Src, a.Cue[0].Start)
		var best *extract.DateMention
		for j := range events {
			m := &events[j]
			if m.Start >= para && m.Start < end {
				best = m
			}
		}
		if best == nil {
			best = lede
		}
		if best != nil {
			a.Date = best
		}
	}
}

func inside(s extract.Span, spans []extract.Span) bool {
	for _, c := range spans {
		if s.Start >= c.Start && s.End <= c.End {
			return true
		}
	}
	return false
}

func paragraphStart(src string, pos int) int {
	return strings.LastIndexByte(src[:pos], '\n') + 1
}
