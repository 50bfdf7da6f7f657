package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// lockPollInterval is how often lockFile retries a busy lock; flock itself
// cannot be interrupted by a context.
const lockPollInterval = 50 * time.Millisecond

// osUser is the unprivileged account the server runs as when we are root,
// since postgres, initdb and pg_ctl all refuse to run as root.
type osUser struct {
	name   string
	uid    uint32
	gid    uint32
	groups []uint32
}

// serverOwner returns nil when the current user may run the server itself,
// else the postgres user, or nobody on systems without one.
func serverOwner() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if u, err = user.Lookup("nobody"); err != nil {
			return nil, fmt.Errorf("look up an unprivileged user to run postgres (tried postgres, nobody): %w", err)
		}
	}
	return newOSUser(u)
}

func newOSUser(u *user.User) (*osUser, error) {
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("parse uid of %s: %w", u.Username, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("parse gid of %s: %w", u.Username, err)
	}
	o := &osUser{name: u.Username, uid: uint32(uid), gid: uint32(gid)}
	// Supplementary groups only widen access; without them the primary
	// group still works, so a lookup failure is not fatal.
	ids, _ := u.GroupIds()
	for _, id := range ids {
		if g, err := strconv.ParseUint(id, 10, 32); err == nil {
			o.groups = append(o.groups, uint32(g))
		}
	}
	return o, nil
}

func (o *osUser) credential() *syscall.Credential {
	return &syscall.Credential{Uid: o.uid, Gid: o.gid, Groups: o.groups}
}

// checkTraversable reports the first parent of dir that o cannot search,
// which would stop the server reaching its data and socket directory.
func checkTraversable(dir string, o *osUser) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("check access to %s: %w", p, err)
		}
		if !o.canSearch(fi) {
			return fmt.Errorf("directory %s is not traversable by user %s, who runs postgres because PostgreSQL refuses root; "+
				"run chmod o+x %s, move the project to a directory other users can reach, or set DATABASE_URL to an existing server", p, o.name, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func (o *osUser) canSearch(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true // no ownership data; let postgres report any problem
	}
	perm := fi.Mode().Perm()
	switch {
	case st.Uid == o.uid:
		return perm&0o100 != 0
	case st.Gid == o.gid || slices.Contains(o.groups, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// chownToOwner hands the cluster directory to the server's user so it can
// create its data directory, socket and log there. The lock files keep
// their owner, root, who can open them whatever the directory's owner.
func (c *Cluster) chownToOwner() error {
	if c.owner == nil {
		return nil
	}
	uid, gid := int(c.owner.uid), int(c.owner.gid)
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == c.path(startLockName) || p == c.path(useLockName) {
			return nil
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		return fmt.Errorf("chown to %s: %w", c.owner.name, err)
	}
	return nil
}

// lockFile opens path, creating it, and takes a flock of kind how
// (LOCK_SH or LOCK_EX), polling until it is free or ctx is done. The lock
// lasts until unlockFile or process exit.
func lockFile(ctx context.Context, path string, how int) (*os.File, error) {
	ticker := time.NewTicker(lockPollInterval)
	defer ticker.Stop()
	for {
		f, err := tryLockFile(path, how)
		if f != nil || err != nil {
			return f, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock %s: %w", path, context.Cause(ctx))
		case <-ticker.C:
		}
	}
}

// tryLockFile is lockFile without waiting: it returns a nil file and nil
// error when someone else holds a conflicting lock.
func tryLockFile(path string, how int) (*os.File, error) {
	// Each open is its own open file description, so flock also excludes
	// other handles within this process.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	switch {
	case err == nil:
		return f, nil
	case errors.Is(err, syscall.EWOULDBLOCK):
		f.Close()
		return nil, nil
	default:
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
}

// unlockFile releases a lock from lockFile; closing the only descriptor
// of the open file description drops the flock.
func unlockFile(f *os.File) {
	if f != nil {
		f.Close()
	}
}
