// Package components holds the small pieces several screens share.
package components

import (
	"net/url"
	"strconv"
)

// Pager is the position in a paged list and the query that produced it.
type Pager struct {
	Page  int
	Pages int
	Total int
	// Path and Query rebuild the list's URL for another page.
	Path  string
	Query url.Values
}

// PageURL returns the list's URL for page n, keeping the other parameters.
func (p Pager) PageURL(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	if n <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}
