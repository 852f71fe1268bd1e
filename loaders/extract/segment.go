package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period that does not end a sentence.
var abbreviations = func() map[string]bool {
	m := make(map[string]bool)
	for _, a := range strings.Fields(`Mr Mrs Ms Dr Prof Sr Jr St Sen Rep Gov Gen Lt Col Maj Capt Sgt Cmdr Adm
		Rev Hon Pres Supt Det Insp Amb Atty Sec Dep Asst Assoc Univ Corp Inc Ltd Co Bros Dept Est Fig No Nos Vol
		vs etc al approx ca cf Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thurs Fri Sat Sun
		Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev Okla Ore
		Pa Penn Tenn Tex Va Vt Wash Wis Wyo Ave Blvd Rd Mt Ft`) {
		m[a] = true
	}
	return m
}()

func isAbbreviation(w string) bool { return abbreviations[w] }

// Segment appends to buf the sentences of the tokens of s and returns it. A
// sentence ends at a line break, or after ".", "?", "!" or "…" (with any
// closing quotation marks and brackets that follow) when the next token
// starts a new sentence: it begins with a capital letter, a digit or an
// opening quotation mark.
func Segment(s string, toks []Token, buf []Sentence) []Sentence {
	first := 0
	end := func(last int) {
		if last > first {
			buf = append(buf, Sentence{Span: Span{toks[first].Start, toks[last-1].End}, First: first, Last: last})
		}
		first = last
	}
	for i := 0; i < len(toks); i++ {
		if i > first && toks[i].NewlineBefore {
			end(i)
		}
		t := toks[i]
		w := s[t.Start:t.End]
		if t.Kind != Punct || !(w == "." || w == "?" || w == "!" || w == "…" || w == "..." || w == "?!" || w == "!?") {
			continue
		}
		j := i + 1
		for j < len(toks) && !toks[j].SpaceBefore && (toks[j].Kind == CloseQuote || isCloser(s[toks[j].Start:toks[j].End])) {
			j++
		}
		if j >= len(toks) {
			continue
		}
		if toks[j].NewlineBefore || startsSentence(s, toks[j]) {
			if (w == "..." || w == "…") && !toks[j].NewlineBefore && !startsSentence(s, toks[j]) {
				continue
			}
			end(j)
			i = j - 1
		}
	}
	end(len(toks))
	return buf
}

func isCloser(w string) bool { return w == ")" || w == "]" || w == "}" }

func startsSentence(s string, t Token) bool {
	if !t.SpaceBefore {
		return false
	}
	if t.Kind == OpenQuote || t.Kind == Number {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[t.Start:t.End])
	return unicode.IsUpper(r) || r == '(' || r == '['
}
