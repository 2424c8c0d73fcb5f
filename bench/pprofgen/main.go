// Command pprofgen writes a large synthetic pprof profile for the benchmark
// (scripts/bench-pprof.mjs): many functions, locations with inlined frames,
// and many samples with unique deep stacks, written with
// github.com/google/pprof/profile (the same package go tool pprof uses).
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"

	"github.com/google/pprof/profile"
)

func main() {
	out := flag.String("o", "big.pb.gz", "output file (gzipped)")
	samples := flag.Int("samples", 1_000_000, "number of samples")
	funcs := flag.Int("funcs", 20_000, "number of functions")
	locs := flag.Int("locations", 200_000, "number of locations")
	flag.Parse()
	rng := rand.New(rand.NewSource(1))

	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "contentions", Unit: "count"}, {Type: "delay", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "contentions", Unit: "count"},
		Period:     1,
	}
	m := &profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x40000000, File: "/bin/synthetic", HasFunctions: true}
	p.Mapping = []*profile.Mapping{m}
	for i := 0; i < *funcs; i++ {
		name := fmt.Sprintf("example.com/pkg%d.(*Type%d).Method%d", i%97, i%31, i)
		p.Function = append(p.Function, &profile.Function{ID: uint64(i + 1), Name: name, SystemName: name, Filename: fmt.Sprintf("/src/pkg%d/file%d.go", i%97, i%13)})
	}
	for i := 0; i < *locs; i++ {
		loc := &profile.Location{ID: uint64(i + 1), Mapping: m, Address: uint64(0x400000 + i*16)}
		n := 1 + rng.Intn(3) // up to two inlined frames
		for k := 0; k < n; k++ {
			loc.Line = append(loc.Line, profile.Line{Function: p.Function[rng.Intn(*funcs)], Line: int64(1 + rng.Intn(2000))})
		}
		p.Location = append(p.Location, loc)
	}
	for i := 0; i < *samples; i++ {
		depth := 8 + rng.Intn(40)
		stack := make([]*profile.Location, depth)
		for k := range stack {
			stack[k] = p.Location[rng.Intn(*locs)]
		}
		p.Sample = append(p.Sample, &profile.Sample{Location: stack, Value: []int64{int64(1 + rng.Intn(100)), int64(rng.Intn(1e9))}})
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := p.Write(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
