// Command oracle is stallscope's reference reader for Go execution traces.
//
// It wraps golang.org/x/exp/trace (the Go team's own parser, the code behind
// `go tool trace`) so the TypeScript parser can be compared with it event by event.
//
// Usage:
//
//	oracle dump <trace|->            print ev.String() + "\n" for every event
//	oracle count <trace>             print "events=<n> seconds=<float> bytes=<size>"
//
// dump: if ReadEvent (or NewReader) fails with anything but io.EOF, a final line
// "ERROR: <err>" is printed and the exit status is 1.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/exp/trace"
)

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  oracle dump <trace|->
  oracle count <trace>
`)
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "dump":
		if len(os.Args) != 3 {
			usage()
		}
		os.Exit(cmdDump(os.Args[2]))
	case "count":
		if len(os.Args) != 3 {
			usage()
		}
		os.Exit(cmdCount(os.Args[2]))
	default:
		usage()
	}
	return
}

func openInput(name string) (io.Reader, func(), error) {
	if name == "-" {
		return os.Stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// dumpEvents prints every event of r to w and returns the first non-EOF error.
func dumpEvents(r io.Reader, w *bufio.Writer) error {
	tr, err := trace.NewReader(r)
	if err != nil {
		return err
	}
	for {
		ev, err := tr.ReadEvent()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		w.WriteString(ev.String())
		w.WriteByte('\n')
	}
}

func cmdDump(name string) int {
	in, closeFn, err := openInput(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		return 1
	}
	defer closeFn()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	err = dumpEvents(bufio.NewReaderSize(in, 1<<20), w)
	if err != nil {
		fmt.Fprintf(w, "ERROR: %v\n", err)
	}
	w.Flush()
	if err != nil {
		return 1
	}
	return 0
}

func cmdCount(name string) int {
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		return 1
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		return 1
	}
	start := time.Now()
	tr, err := trace.NewReader(bufio.NewReaderSize(f, 1<<20))
	n := 0
	if err == nil {
		for {
			_, err = tr.ReadEvent()
			if err != nil {
				break
			}
			n++
		}
	}
	secs := time.Since(start).Seconds()
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Printf("events=%d seconds=%f bytes=%d\nERROR: %v\n", n, secs, st.Size(), err)
		return 1
	}
	fmt.Printf("events=%d seconds=%f bytes=%d\n", n, secs, st.Size())
	return 0
}
