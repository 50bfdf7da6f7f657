package export

import (
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// prefetchBatch is how many rows a prefetcher hands over at a time, and
// prefetchBatches how many batches are in use: read ahead, being written,
// and free. They bound what a prefetcher holds to a few thousand rows.
const (
	prefetchBatch   = 512
	prefetchBatches = 3
)

// prefetcher reads and decodes rows on its own goroutine while the caller
// writes the rows read before: on a machine with two cores, the network
// reads and decoding then overlap excelize's work instead of adding to it.
type prefetcher[T any] struct {
	full     chan []T
	free     chan []T
	done     chan struct{}
	finished chan struct{}
	stopOnce sync.Once
	// what names the rows in errors.
	what string
	// err is the reading goroutine's error, read after finished closes.
	err error
}

// prefetch starts reading rows, which what names in errors, turning each
// into a T with scan, which runs on the reading goroutine and may reuse
// its scan targets. The caller must call each, and must not touch rows or
// its connection until each has returned.
func prefetch[T any](rows pgx.Rows, what string, scan func() (T, error)) *prefetcher[T] {
	p := &prefetcher[T]{
		what:     what,
		full:     make(chan []T, prefetchBatches),
		free:     make(chan []T, prefetchBatches),
		done:     make(chan struct{}),
		finished: make(chan struct{}),
	}
	for range prefetchBatches {
		p.free <- make([]T, 0, prefetchBatch)
	}
	go p.read(rows, scan)
	return p
}

func (p *prefetcher[T]) read(rows pgx.Rows, scan func() (T, error)) {
	defer close(p.finished)
	defer close(p.full)
	for {
		var batch []T
		select {
		case batch = <-p.free:
		case <-p.done:
			return
		}
		batch = batch[:0]
		for len(batch) < cap(batch) && rows.Next() {
			row, err := scan()
			if err != nil {
				p.err = err
				return
			}
			batch = append(batch, row)
		}
		if len(batch) > 0 {
			select {
			case p.full <- batch:
			case <-p.done:
				return
			}
		}
		if len(batch) < cap(batch) {
			p.err = rows.Err()
			return
		}
	}
}

// each calls fn with every row in order, until the rows end or fn fails,
// and returns fn's error as it is, or the error of reading. fn must not
// keep the row: its memory is reused.
func (p *prefetcher[T]) each(fn func(*T) error) error {
	defer p.stop()
	for batch := range p.full {
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		p.free <- batch
	}
	<-p.finished
	if p.err != nil {
		return fmt.Errorf("read %s: %w", p.what, p.err)
	}
	return nil
}

// stop ends the reading goroutine and waits for it.
func (p *prefetcher[T]) stop() {
	p.stopOnce.Do(func() { close(p.done) })
	<-p.finished
}
