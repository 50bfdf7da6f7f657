package account

import (
	"testing"
	"time"
)

// TestCacheKeepsNoAnswerReadBeforeAChange is the race the generation
// guards against: a lookup reads the database, a change is heard, and
// only then does the lookup try to keep what it read.
func TestCacheKeepsNoAnswerReadBeforeAChange(t *testing.T) {
	t.Parallel()
	var c sessionCache
	now := time.Now()
	cur := &Current{User: User{ID: 7}}
	c.put("a", cur, now.Add(time.Minute), c.generation(), now)
	if _, ok := c.get("a", now); ok {
		t.Fatal("kept a session while not listening")
	}

	c.setLive(true)
	gen := c.generation()
	c.forgetUser(99)
	c.put("a", cur, now.Add(time.Minute), gen, now)
	if _, ok := c.get("a", now); ok {
		t.Fatal("kept a session read before a change was heard")
	}

	c.put("a", cur, now.Add(time.Minute), c.generation(), now)
	if got, ok := c.get("a", now); !ok || got != cur {
		t.Fatal("did not keep a session read after the last change")
	}
	if _, ok := c.get("a", now.Add(time.Minute)); ok {
		t.Fatal("answered past the entry's end")
	}
	c.apply("user:7")
	if _, ok := c.get("a", now); ok {
		t.Fatal("kept a session of a user whose change was heard")
	}
	c.put("a", cur, now.Add(time.Minute), c.generation(), now)
	c.apply("all")
	if _, ok := c.get("a", now); ok {
		t.Fatal("kept a session after every session was dropped")
	}
	c.put("a", cur, now.Add(time.Minute), c.generation(), now)
	c.setLive(false)
	if _, ok := c.get("a", now); ok {
		t.Fatal("answered while not listening")
	}
}
