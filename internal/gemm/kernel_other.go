//go:build !amd64 || purego

package gemm

// Without the assembly kernels (another CPU, or the purego build tag),
// every product runs the pure-Go kernel.
var (
	active32 = pureGo32
	active64 = pureGo64
)

func f32Config() *config[float32] { return active32 }
func f64Config() *config[float64] { return active64 }
