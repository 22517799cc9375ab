// Command asm generates the AVX2+FMA micro-kernels of package gemm with avo.
//
// Run it through go generate in the gemm package:
//
//	go generate ./internal/gemm
//
// which runs
//
//	go run ./asm -out kernel_amd64.s -stubs kernel_stub_amd64.go -pkg gemm
//
// For each element type (float32 with 8 lanes a ymm register, float64 with
// 4) it writes one kernel for every row count mr = 1..6 of a tile and each
// of three column shapes: a full tile of two ymm registers (16 float32 or 8
// float64 columns), a tile of two registers whose second is loaded and
// stored under a mask (the columns of a partial tile, more than one
// register's worth), and a tile of one masked register. The mask keeps a
// kernel from reading or writing past the last column, so a partial tile
// of an unpacked row-major B or of C needs no copy.
//
// A kernel computes C[i][j] = alpha*sum_p A[i][p]*B[p][j] + beta*C[i][j]
// for its mr rows and its columns, with A and B given by a base pointer and
// byte strides: element A[i][p] is at a + i*rsa + p*csa and B[p][j] at
// b + p*rsb + j*size. Packed panels and unpacked row-major or transposed
// operands are all such strided views. When beta is zero C is only
// written, never read (it may hold NaN).
//
// Small row counts cannot keep the FMA units busy with one set of
// accumulators (each FMA waits about four cycles for the last one on the
// same register), so they keep several sets, each summing every S-th
// term of the k loop, and add them together at the end.
//
// A last kernel, for a single row of C, spans four registers (32 float32
// or 16 float64 columns, the last register masked): for one row, B's rows
// are read whole, one after the other.
//
// It also writes packB kernels that copy k rows of one column panel of a
// row-major B into a packed panel, the partial panel under a mask so the
// missing columns are written as zeros.
package main

import (
	"fmt"
	"log"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// dtype describes one element type and the instructions that move and
// multiply it.
type dtype struct {
	prefix string // "s" or "d", as in BLAS names
	goType string
	maskT  string // the integer type of the mask table
	size   int    // bytes per element
	lanes  int    // elements per ymm register

	load      func(ops ...Op)
	maskload  func(mxy, xy, mxy1 Op)
	broadcast func(ops ...Op)
	fma       func(ops ...Op)
	mul       func(ops ...Op)
	add       func(ops ...Op)
	ucomis    func(mx, x Op)
}

var (
	f32 = dtype{
		prefix: "s", goType: "float32", maskT: "int32", size: 4, lanes: 8,
		load: VMOVUPS, maskload: VMASKMOVPS, broadcast: VBROADCASTSS,
		fma: VFMADD231PS, mul: VMULPS, add: VADDPS, ucomis: VUCOMISS,
	}
	f64 = dtype{
		prefix: "d", goType: "float64", maskT: "int64", size: 8, lanes: 4,
		load: VMOVUPD, maskload: VMASKMOVPD, broadcast: VBROADCASTSD,
		fma: VFMADD231PD, mul: VMULPD, add: VADDPD, ucomis: VUCOMISD,
	}
)

// variant is the column shape of a kernel: how many ymm registers a row
// of the tile spans and whether the last of them is masked.
type variant struct {
	name   string
	width  int
	masked bool
}

var variants = []variant{
	{"full", 2, false},
	{"tail2", 2, true},
	{"tail1", 1, true},
}

// wide is the shape of the one-row kernel for products of a single row
// (predicting one sample): four registers, the last masked, so that a
// row of up to 32 float32 (16 float64) columns of B is read in one
// sweep rather than in two panels.
var wide = variant{"wide", 4, true}

// maxRows is the tallest tile: 6 rows of 2 registers are 12 accumulators,
// which with 2 registers of B, a broadcast of A and a mask fill the 16 ymm
// registers.
const maxRows = 6

func main() {
	ConstraintExpr("amd64,!purego")
	for _, dt := range []dtype{f32, f64} {
		for mr := 1; mr <= maxRows; mr++ {
			for _, v := range variants {
				kernel(dt, mr, v)
			}
		}
		kernel(dt, 1, wide)
		packB(dt, false)
		packB(dt, true)
	}
	Generate()
}

// paramAddr is the stack address of an argument, for instructions that
// read a float argument straight from memory.
func paramAddr(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		log.Fatal(err)
	}
	return b.Addr
}

// sets is the number of accumulator sets for a tile of mr rows and width
// registers: enough for about 8 independent FMA chains, at most 12
// accumulator registers.
func sets(mr, width int) int {
	per := mr * width
	s := (8 + per - 1) / per
	if most := 12 / per; s > most {
		s = most
	}
	if s < 1 {
		s = 1
	}
	return s
}

func kernel(dt dtype, mr int, v variant) {
	name := fmt.Sprintf("%sgemm%dx%s", dt.prefix, mr, v.name)
	TEXT(name, NOSPLIT, fmt.Sprintf(
		"func(k int, a *%[1]s, rsa, csa int, b *%[1]s, rsb int, c *%[1]s, ldc int, alpha, beta %[1]s, mask *%[2]s)",
		dt.goType, dt.maskT))
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a %d-row tile of %d-register rows (%s) of C = alpha*A*B + beta*C.", name, mr, v.width, v.name))

	k := Load(Param("k"), GP64())
	a0 := Load(Param("a"), GP64())
	rsa := Load(Param("rsa"), GP64())
	csa := Load(Param("csa"), GP64())
	b := Load(Param("b"), GP64())
	rsb := Load(Param("rsb"), GP64())

	// Rows 0-2 of A are addressed from a0 and rows 3-5 from a3, with
	// the row stride as index register scaled by 1 or 2.
	var a3 GPVirtual
	if mr > 3 {
		a3 = GP64()
		LEAQ(Mem{Base: a0, Index: rsa, Scale: 2}, a3)
		ADDQ(rsa, a3)
	}
	rowAddr := func(i int) Mem {
		base := a0
		if i >= 3 {
			base, i = a3, i-3
		}
		if i == 0 {
			return Mem{Base: base}
		}
		return Mem{Base: base, Index: rsa, Scale: uint8(i)}
	}

	var mask VecVirtual
	if v.masked {
		mask = YMM()
		VMOVDQU(Mem{Base: Load(Param("mask"), GP64())}, mask)
	}

	S := sets(mr, v.width)
	acc := make([][][]VecVirtual, S)
	for s := range acc {
		acc[s] = make([][]VecVirtual, mr)
		for i := range acc[s] {
			acc[s][i] = make([]VecVirtual, v.width)
			for w := range acc[s][i] {
				r := YMM()
				VXORPS(r, r, r)
				acc[s][i][w] = r
			}
		}
	}
	bw := make([]VecVirtual, v.width)
	for w := range bw {
		bw[w] = YMM()
	}
	t := YMM()

	step := func(s int) {
		for w := 0; w < v.width; w++ {
			m := Mem{Base: b, Disp: 32 * w}
			if v.masked && w == v.width-1 {
				dt.maskload(m, mask, bw[w])
			} else {
				dt.load(m, bw[w])
			}
		}
		for i := 0; i < mr; i++ {
			dt.broadcast(rowAddr(i), t)
			for w := 0; w < v.width; w++ {
				dt.fma(bw[w], t, acc[s][i][w])
			}
		}
		ADDQ(csa, a0)
		if mr > 3 {
			ADDQ(csa, a3)
		}
		ADDQ(rsb, b)
	}

	// Unroll by a multiple of S, at least 4 steps, to keep loop overhead
	// small beside the FMAs.
	U := S * ((4 + S - 1) / S)
	loop, tail, tailLoop, reduce := name+"_loop", name+"_tail", name+"_tailloop", name+"_reduce"
	CMPQ(k, Imm(uint64(U)))
	JL(LabelRef(tail))
	Label(loop)
	for u := 0; u < U; u++ {
		step(u % S)
	}
	SUBQ(Imm(uint64(U)), k)
	CMPQ(k, Imm(uint64(U)))
	JGE(LabelRef(loop))
	Label(tail)
	TESTQ(k, k)
	JE(LabelRef(reduce))
	Label(tailLoop)
	step(0)
	DECQ(k)
	JNZ(LabelRef(tailLoop))
	Label(reduce)
	for s := 1; s < S; s++ {
		for i := 0; i < mr; i++ {
			for w := 0; w < v.width; w++ {
				dt.add(acc[s][i][w], acc[0][i][w], acc[0][i][w])
			}
		}
	}
	sum := acc[0]

	ya := YMM()
	dt.broadcast(paramAddr("alpha"), ya)
	for i := 0; i < mr; i++ {
		for w := 0; w < v.width; w++ {
			dt.mul(ya, sum[i][w], sum[i][w])
		}
	}

	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	store := func(i int) {
		for w := 0; w < v.width; w++ {
			m := Mem{Base: c, Disp: 32 * w}
			if v.masked && w == v.width-1 {
				dt.maskload(sum[i][w], mask, m)
			} else {
				dt.load(sum[i][w], m)
			}
		}
	}

	// beta == 0: write C without reading it. An unordered compare (beta
	// is NaN) takes the reading path, as NaN*C must.
	withBeta := name + "_beta"
	zero := XMM()
	VXORPS(zero, zero, zero)
	dt.ucomis(paramAddr("beta"), zero)
	JNE(LabelRef(withBeta))
	JP(LabelRef(withBeta))
	for i := 0; i < mr; i++ {
		store(i)
		if i < mr-1 {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()

	Label(withBeta)
	yb := YMM()
	dt.broadcast(paramAddr("beta"), yb)
	for i := 0; i < mr; i++ {
		for w := 0; w < v.width; w++ {
			m := Mem{Base: c, Disp: 32 * w}
			if v.masked && w == v.width-1 {
				old := YMM()
				dt.maskload(m, mask, old)
				dt.fma(old, yb, sum[i][w])
			} else {
				dt.fma(m, yb, sum[i][w])
			}
		}
		store(i)
		if i < mr-1 {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}

// packB writes kernels that copy k rows of a 2-register-wide column panel
// of a row-major B (row stride rsb bytes) to dst, one panel row after the
// other. The masked one loads under the two-register mask and so writes
// zeros in the columns past the end of B.
func packB(dt dtype, masked bool) {
	name := dt.prefix + "packB"
	if masked {
		name += "Masked"
	}
	TEXT(name, NOSPLIT, fmt.Sprintf("func(k int, b *%[1]s, rsb int, dst *%[1]s, mask *%[2]s)", dt.goType, dt.maskT))
	Pragma("noescape")
	Doc(fmt.Sprintf("%s packs k rows of a %d-element column panel of B.", name, 2*dt.lanes))
	k := Load(Param("k"), GP64())
	b := Load(Param("b"), GP64())
	rsb := Load(Param("rsb"), GP64())
	dst := Load(Param("dst"), GP64())
	var m0, m1 VecVirtual
	if masked {
		mp := Load(Param("mask"), GP64())
		m0, m1 = YMM(), YMM()
		VMOVDQU(Mem{Base: mp}, m0)
		VMOVDQU(Mem{Base: mp, Disp: 32}, m1)
	}
	x0, x1 := YMM(), YMM()
	loop, done := name+"_loop", name+"_done"
	TESTQ(k, k)
	JE(LabelRef(done))
	Label(loop)
	if masked {
		dt.maskload(Mem{Base: b}, m0, x0)
		dt.maskload(Mem{Base: b, Disp: 32}, m1, x1)
	} else {
		dt.load(Mem{Base: b}, x0)
		dt.load(Mem{Base: b, Disp: 32}, x1)
	}
	dt.load(x0, Mem{Base: dst})
	dt.load(x1, Mem{Base: dst, Disp: 32})
	ADDQ(rsb, b)
	ADDQ(Imm(64), dst)
	DECQ(k)
	JNZ(LabelRef(loop))
	Label(done)
	VZEROUPPER()
	RET()
}
