package export

import (
	"context"
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

// prefetcher runs a query and reads and decodes its rows on its own
// goroutine while the caller writes the rows read before: the wait for
// the database's first row, the network reads and the decoding overlap
// excelize's work instead of adding to it.
type prefetcher[T any] struct {
	full     chan []T
	free     chan []T
	done     chan struct{}
	finished chan struct{}
	stopOnce sync.Once
	// cancel ends the query when the caller stops early.
	cancel context.CancelFunc
	// what names the rows in errors.
	what string
	// err is the reading goroutine's error, read after finished closes.
	err error
}

// prefetch starts a goroutine that opens rows with query, under a
// context derived from ctx, and turns each into a T with scan, which may
// reuse its scan targets; what names the rows in errors. The caller calls
// each or stop, and does not use the query's connection until either has
// returned. Stopping before the rows end cancels the query, which closes
// its connection.
func prefetch[T any](ctx context.Context, what string, query func(context.Context) (pgx.Rows, error),
	scan func(pgx.Rows) (T, error)) *prefetcher[T] {
	ctx, cancel := context.WithCancel(ctx)
	p := &prefetcher[T]{
		what:     what,
		cancel:   cancel,
		full:     make(chan []T, prefetchBatches),
		free:     make(chan []T, prefetchBatches),
		done:     make(chan struct{}),
		finished: make(chan struct{}),
	}
	for range prefetchBatches {
		p.free <- make([]T, 0, prefetchBatch)
	}
	go p.read(ctx, query, scan)
	return p
}

func (p *prefetcher[T]) read(ctx context.Context, query func(context.Context) (pgx.Rows, error),
	scan func(pgx.Rows) (T, error)) {
	defer close(p.finished)
	defer close(p.full)
	rows, err := query(ctx)
	if err != nil {
		p.err = err
		return
	}
	defer rows.Close()
	for {
		var batch []T
		select {
		case batch = <-p.free:
		case <-p.done:
			return
		}
		batch = batch[:0]
		for len(batch) < cap(batch) && rows.Next() {
			row, err := scan(rows)
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

// stop ends the reading goroutine and waits for it; it may be called
// more than once.
func (p *prefetcher[T]) stop() {
	p.stopOnce.Do(func() {
		close(p.done)
		p.cancel()
	})
	<-p.finished
}
