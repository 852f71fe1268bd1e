//go:build unix

package badger4

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockDir takes the lock Badger takes on a database directory (flock on
// the directory), if no process holds it.
func lockDir(dir string) (unlock func(), ok bool) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, false
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() {
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, true
}
