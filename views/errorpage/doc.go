// Package errorpage renders the pages and fragments that answer a failed
// request.
package errorpage
