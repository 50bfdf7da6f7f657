package account

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// sessionChannel is the channel on which the triggers of migration 0017
// announce changes to what a session carries: "user:<id>" for one user's
// sessions, "all" for every session.
const sessionChannel = "session_cache"

// sessionCacheLimit bounds the sessions one process keeps in memory. Past
// it, lookups of further sessions read the database every time.
const sessionCacheLimit = 20_000

// listenPing is how long the listening connection may stay silent before
// it is checked with a query, so that a connection lost without a word
// does not leave the cache trusting notifications that cannot arrive.
const listenPing = 30 * time.Second

// sessionCache keeps the sessions requests have read, so that a signed-in
// request does not read its session, user, grants and programs from the
// database every time. It holds anything only while a connection is
// listening on sessionChannel: a notification drops what it names, and a
// lost connection drops everything and turns the cache off until a new
// one listens. An entry is also dropped, whatever was heard, when its
// session expires or when it is due to be touched, so that no entry is
// older than touchInterval and the idle timeout still sees the session
// used.
type sessionCache struct {
	mu      sync.RWMutex
	live    bool
	entries map[string]cachedSession // by token hash
	// gen changes with every drop. A lookup that read the database stores
	// its answer only if gen has not changed since it began, so that an
	// answer read before a change cannot be kept after the change was
	// heard.
	gen uint64
}

type cachedSession struct {
	cur *Current
	// until is when the entry stops answering: the session's expiry or
	// its next touch, whichever comes first.
	until time.Time
}

// get returns the cached session of token hash, if one is live at now.
func (c *sessionCache) get(hash string, now time.Time) (*Current, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[hash]
	if !c.live || !ok || !now.Before(e.until) {
		return nil, false
	}
	return e.cur, true
}

// generation returns the generation a database read begins in, to hand
// to put with its answer.
func (c *sessionCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// put keeps cur until until, unless the cache is off or something was
// dropped since gen.
func (c *sessionCache) put(hash string, cur *Current, until time.Time, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.gen != gen {
		return
	}
	if len(c.entries) >= sessionCacheLimit {
		for h, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, h)
			}
		}
		if len(c.entries) >= sessionCacheLimit {
			return
		}
	}
	c.entries[hash] = cachedSession{cur: cur, until: until}
}

// forgetUser drops the sessions of userID.
func (c *sessionCache) forgetUser(userID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.entries {
		if e.cur.User.ID == userID {
			delete(c.entries, h)
		}
	}
}

// forgetAll drops every session.
func (c *sessionCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// setLive drops every session and turns the cache on or off.
func (c *sessionCache) setLive(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.live = live
	c.entries = map[string]cachedSession{}
}

func (c *sessionCache) isLive() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.live
}

// apply drops what a notification's payload names; anything but a user
// drops everything.
func (c *sessionCache) apply(payload string) {
	if id, ok := strings.CutPrefix(payload, "user:"); ok {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			c.forgetUser(n)
			return
		}
	}
	c.forgetAll()
}

// WatchSessions keeps the session cache in step with the database until
// ctx ends: it listens for the changes the database announces, and
// reconnects after losing its connection, with the cache off meanwhile.
// Without it, as in tests and tools, every lookup reads the database. It
// blocks; run it in its own goroutine.
func (s *Service) WatchSessions(ctx context.Context, log *slog.Logger) {
	wait := time.Second
	for {
		listened, err := s.listenForSessionChanges(ctx)
		s.cache.setLive(false)
		if ctx.Err() != nil {
			return
		}
		if listened {
			wait = time.Second
		}
		log.WarnContext(ctx, "session cache off until the database answers again", "error", err,
			"retry_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// StartWatchingSessions runs WatchSessions in a goroutine of its own and
// returns the function that stops it and waits until it has.
func (s *Service) StartWatchingSessions(log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.WatchSessions(ctx, log)
	}()
	return func() { cancel(); <-done }
}

// SessionCacheLive reports whether session lookups are answered from
// memory: whether a connection is listening for changes.
func (s *Service) SessionCacheLive() bool { return s.cache.isLive() }

// AwaitSessionCache waits until a connection listens for changes, or
// returns ctx's error.
func (s *Service) AwaitSessionCache(ctx context.Context) error {
	for !s.cache.isLive() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for the session cache: %w", ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// listenForSessionChanges opens a connection of its own, listens on
// sessionChannel and applies each notification until the connection
// fails or ctx ends. It reports whether it got as far as listening.
func (s *Service) listenForSessionChanges(ctx context.Context) (bool, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "LISTEN "+sessionChannel); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	// Only what commits from now on is heard, so only now may the cache
	// start keeping sessions.
	s.cache.setLive(true)
	for {
		waitCtx, cancel := context.WithTimeout(ctx, listenPing)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			s.cache.apply(n.Payload)
		case ctx.Err() != nil:
			return true, ctx.Err()
		case pgconn.Timeout(err) && !conn.IsClosed():
			if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
				return true, fmt.Errorf("check connection: %w", err)
			}
		default:
			return true, fmt.Errorf("wait for notification: %w", err)
		}
	}
}
