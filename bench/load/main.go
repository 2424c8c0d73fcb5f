// Command load is a busy Go program for benchmarks: many goroutines handing
// work over channels and a mutex, sleeping, allocating, so its execution trace
// is dense with scheduler events (about 30–60 MB of trace per second).
//
//	load -trace out.trace -seconds 5
package main

import (
	"flag"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

var sink []byte

func main() {
	out := flag.String("trace", "load.trace", "trace file to write")
	seconds := flag.Float64("seconds", 2, "how long to run")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	var wg sync.WaitGroup
	var mu sync.Mutex
	counter := 0
	for p := 0; p < 16; p++ {
		in := make(chan int)
		wg.Add(2)
		go func() { // producer
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				in <- i
				if i%64 == 0 {
					time.Sleep(50 * time.Microsecond)
				}
			}
			close(in)
		}()
		go func() { // consumer
			defer wg.Done()
			for v := range in {
				mu.Lock()
				counter += v
				mu.Unlock()
				if v%16 == 0 {
					sink = make([]byte, 4096)
				}
			}
		}()
	}
	wg.Wait()
	trace.Stop()
	f.Close()
}
