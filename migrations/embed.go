// Package migrations holds the ordered SQL migrations of the schema. Files
// are named NNNN_what.tx.up.sql and NNNN_what.tx.down.sql; each runs in one
// transaction. A migration is never edited after it lands: a change is a new
// file.
package migrations

import "embed"

// FS holds every migration file, embedded in the binary.
//
//go:embed *.sql
var FS embed.FS
