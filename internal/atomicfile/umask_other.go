//go:build !unix

package atomicfile

import "os"

// umask is 022 where the platform has none to read.
func umask() os.FileMode { return 0o022 }
