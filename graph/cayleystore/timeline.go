package cayleystore

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"sort"
	"sync"
	"weak"

	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/provgraph/provgraph/graph"
)

// The timeline of all statements (every statement, sorted by date,
// document and position) is what an unfiltered statement list pages
// through. Building it reads every statement's ID and date, which at
// 100,000 statements takes a good part of a second on Badger, so it is
// kept between reads for as long as the store does not change.
//
// A change is detected without any help from the write path: Cayley's
// key-value layer keeps a horizon (the last ID it gave a node or quad,
// which every addition raises) and a quad count (which every deletion
// lowers) in its metadata, so their pair differs after every write. Stores
// without a key-value layer (memstore) rebuild the timeline each time.

// timeline is the cached timeline of one store.
type timeline struct {
	version []byte // the horizon and size it was built at
	ids     []graph.ID
	dates   []string
}

var (
	timelinesMu sync.Mutex
	// timelines holds each store's timeline without keeping the store
	// alive; an entry goes when its store is collected.
	timelines = make(map[weak.Pointer[Store]]*timeline)
)

// version returns the store's write version, or nil when it has none.
func (s *Store) version(ctx context.Context) ([]byte, error) {
	if s.kv == nil {
		return nil, nil
	}
	var out []byte
	err := hkv.View(s.kv, func(tx hkv.Tx) error {
		for _, k := range []string{"horizon", "size"} {
			v, err := tx.Get(ctx, hkv.Key{[]byte("meta"), []byte(k)})
			if err != nil && !errors.Is(err, hkv.ErrNotFound) {
				return err
			}
			out = append(append(out, v...), 0xff)
		}
		return nil
	})
	return out, err
}

// allStatements returns every statement's ID and date value, in timeline
// order.
func (s *Store) allStatements(ctx context.Context, v *view) ([]graph.ID, []string, error) {
	ver, err := s.version(ctx)
	if err != nil {
		return nil, nil, err
	}
	key := weak.Make(s)
	cached := func() *timeline {
		timelinesMu.Lock()
		defer timelinesMu.Unlock()
		if t := timelines[key]; t != nil && bytes.Equal(t.version, ver) {
			return t
		}
		return nil
	}
	if ver != nil {
		if t := cached(); t != nil {
			return t.ids, t.dates, nil
		}
		// One build at a time: requests that arrive while the timeline
		// is being built take the one it gives rather than each building
		// their own.
		s.timelineBuild.Lock()
		defer s.timelineBuild.Unlock()
		if t := cached(); t != nil {
			return t.ids, t.dates, nil
		}
	}
	ids, dates, err := v.findStatements(ctx, graph.StatementFilter{})
	if err != nil {
		return nil, nil, err
	}
	sortTimeline(ids, dates)
	if ver != nil {
		timelinesMu.Lock()
		if _, ok := timelines[key]; !ok {
			runtime.AddCleanup(s, func(k weak.Pointer[Store]) {
				timelinesMu.Lock()
				delete(timelines, k)
				timelinesMu.Unlock()
			}, key)
		}
		timelines[key] = &timeline{version: ver, ids: ids, dates: dates}
		timelinesMu.Unlock()
	}
	return ids, dates, nil
}

// sortTimeline sorts statement IDs and their dates together.
func sortTimeline(ids []graph.ID, dates []string) {
	sort.Sort(byTimeline{ids, dates})
}

type byTimeline struct {
	ids   []graph.ID
	dates []string
}

func (b byTimeline) Len() int { return len(b.ids) }
func (b byTimeline) Less(i, j int) bool {
	return graph.CompareTimeline(b.dates[i], b.ids[i], b.dates[j], b.ids[j]) < 0
}
func (b byTimeline) Swap(i, j int) {
	b.ids[i], b.ids[j] = b.ids[j], b.ids[i]
	b.dates[i], b.dates[j] = b.dates[j], b.dates[i]
}
