package provenance

import (
	"math"
	"strconv"
	"strings"
	"sync"
)

// How informative a term is, in eight classes of its document frequency
// in news: class c holds the terms with ln(N/df) in [c·rarityStep,
// (c+1)·rarityStep), N documents of which df use the term, and class 7
// the terms too rare to be listed. "Long", "way" and "go" say little
// about which claim a proposition makes; "checkpoint", "villain" and
// "Pashinyan" say much. Two propositions that share only words of the
// first kind are not the same claim, however alike they look.
const (
	rarityClasses = 8
	rarityStep    = 0.75
	rarityRare    = rarityClasses - 1
)

// rarityWeights are the weights of a term's classes in a proposition's
// information: a word of class 4 (used by about one news article in 25)
// weighs 1, as every word did before rarity was known. They are binary
// fractions, so that a sum of them is the same in any order.
var rarityWeights = [rarityClasses]float64{0.125, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2}

// rarityClass returns the class of a document frequency df among n
// documents.
func rarityClass(df, n int) int {
	if df <= 0 || n <= 0 {
		return rarityRare
	}
	idf := math.Log(float64(n) / float64(df))
	return min(rarityRare, max(0, int(idf/rarityStep)))
}

// rarity returns the class of a term key: its class in [rarityTable], or
// [rarityRare] for a key the table does not list.
func rarity(key string) int {
	rarityOnce.Do(loadRarity)
	if c, ok := rarityOf[key]; ok {
		return int(c)
	}
	return rarityRare
}

var (
	rarityOnce sync.Once
	rarityOf   map[string]uint8
)

func loadRarity() {
	rarityOf = make(map[string]uint8, strings.Count(rarityTable, "\n"))
	for line := range strings.Lines(rarityTable) {
		line = strings.TrimSpace(line)
		i := strings.LastIndexByte(line, ' ')
		if i <= 0 {
			continue
		}
		key, c := line[:i], line[i+1:] // keys may hold spaces ("e:united states")
		if n, err := strconv.Atoi(c); err == nil && n >= 0 && n < rarityRare {
			rarityOf[key] = uint8(n)
		}
	}
}
