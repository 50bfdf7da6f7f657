package report

// SetAfterBatch lets tests stop a compile after a batch, as a crash would.
func SetAfterBatch(c *Compiler, fn func(*Compile) error) { c.afterBatch = fn }
