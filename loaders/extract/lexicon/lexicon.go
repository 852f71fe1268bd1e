// Package lexicon gives the WordNet word classes that matter to finding who
// said what: verbs of communication ("say", "deny", "tweet"), cognition
// ("believe", "conclude"), perception, emotion and social acts; nouns of
// communication ("statement", "report"), cognition, persons ("spokesman",
// "senator"), groups ("ministry", "party") and locations.
//
// The table (wordnet.go) is generated from WordNet 3.0 by ./gen. WordNet 3.0
// Copyright 2006 by Princeton University, used under its licence: "Permission
// to use, copy, modify and distribute this software and database and its
// documentation for any purpose and without fee or royalty is hereby
// granted, provided that you agree to comply with the following copyright
// notice and statements, including the disclaimer, and that the same appear
// on ALL copies of the software, database and documentation, including
// modifications that you make for internal use or for distribution. WordNet
// 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS
// SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
// REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The name of Princeton
// University or Princeton may not be used in advertising or publicity
// pertaining to distribution of the software and/or database."
package lexicon

import (
	"strconv"
	"strings"
	"sync"
)

// Class is a set of word classes.
type Class uint16

// Word classes, as bits of a Class.
const (
	VerbCommunication Class = 1 << iota
	VerbCognition
	VerbPerception
	VerbEmotion
	VerbSocial
	NounCommunication
	NounCognition
	NounPerson
	NounGroup
	NounLocation
)

// Entry is what the lexicon knows of a word form.
type Entry struct {
	// Any holds the classes of all the word's senses; First those of its
	// most frequent verb and noun senses.
	Any, First Class
	// Lemma is the base form the entry was found under.
	Lemma string
}

type key struct {
	pos  byte
	word string
}

var (
	once  sync.Once
	words map[key]Entry
	exc   map[key]string
)

func load() {
	words = make(map[key]Entry, 30000)
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || len(f[0]) < 3 {
			continue
		}
		anyC, _ := strconv.ParseUint(f[1], 16, 16)
		first, _ := strconv.ParseUint(f[2], 16, 16)
		words[key{f[0][0], f[0][2:]}] = Entry{Any: Class(anyC), First: Class(first), Lemma: f[0][2:]}
	}
	exc = make(map[key]string, 3000)
	for _, line := range strings.Split(exceptions, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && len(f[0]) > 2 {
			exc[key{f[0][0], f[0][2:]}] = f[1]
		}
	}
}

var (
	verbRules = [][2]string{{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}}
	nounRules = [][2]string{{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}}
)

// lookup finds a lower-cased form of part of speech pos ('v' or 'n'),
// undoing inflection as WordNet's morphy does.
func lookup(pos byte, w string) (Entry, bool) {
	if e, ok := words[key{pos, w}]; ok {
		return e, true
	}
	if l, ok := exc[key{pos, w}]; ok {
		if e, ok := words[key{pos, l}]; ok {
			return e, true
		}
	}
	rules := verbRules
	if pos == 'n' {
		rules = nounRules
	}
	for _, r := range rules {
		if strings.HasSuffix(w, r[0]) && len(w) > len(r[0])+1 {
			if e, ok := words[key{pos, w[:len(w)-len(r[0])] + r[1]}]; ok {
				return e, true
			}
		}
	}
	return Entry{}, false
}

// Lookup returns the classes of a lower-cased word form, as a verb and as a
// noun merged.
func Lookup(w string) Entry {
	once.Do(load)
	v, vok := lookup('v', w)
	n, nok := lookup('n', w)
	switch {
	case vok && nok:
		return Entry{Any: v.Any | n.Any, First: v.First | n.First, Lemma: v.Lemma}
	case vok:
		return v
	case nok:
		return n
	}
	return Entry{}
}
