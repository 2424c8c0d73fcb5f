// Command oracle is stallscope's reference reader for Go execution traces.
//
// It wraps golang.org/x/exp/trace (the Go team's own parser, the code behind
// `go tool trace`) so the TypeScript parser can be compared with it event by event.
//
// Usage:
//
//	oracle dump <trace|->            print ev.String() + "\n" for every event
//	oracle count <trace>             print "events=<n> seconds=<float> bytes=<size>"
//	oracle conform [-o out.trace] <file.test>
//	                                 read an x/exp/trace testdata .test file (txtar with
//	                                 "expect" and text-form "trace"), parse it, dump the
//	                                 events and check the expectation
//
// dump: if ReadEvent (or NewReader) fails with anything but io.EOF, a final line
// "ERROR: <err>" is printed and the exit status is 1.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/exp/trace"

	"stallscope/oracle/internal/raw"
)

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  oracle dump <trace|->
  oracle count <trace>
  oracle conform [-o out.trace] <file.test>
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
	case "conform":
		os.Exit(cmdConform(os.Args[2:]))
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

// ---- conform ----

// parseTxtar splits a txtar archive into its files (name -> data, in order).
func parseTxtar(data []byte) (names []string, files [][]byte) {
	isMarker := func(line []byte) (string, bool) {
		s := strings.TrimRight(string(line), "\r\n")
		if strings.HasPrefix(s, "-- ") && strings.HasSuffix(s, " --") && len(s) >= 6 {
			return strings.TrimSpace(s[3 : len(s)-3]), true
		}
		return "", false
	}
	cur := -1
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i+1], data[i+1:]
		}
		if name, ok := isMarker(line); ok {
			names = append(names, name)
			files = append(files, nil)
			cur++
			continue
		}
		if cur >= 0 {
			files[cur] = append(files[cur], line...)
		}
	}
	return names, files
}

type expectation struct {
	failure bool
	matcher *regexp.Regexp
}

func parseExpectation(data []byte) (*expectation, error) {
	line := strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])
	c := strings.SplitN(line, " ", 2)
	switch c[0] {
	case "SUCCESS":
		return &expectation{}, nil
	case "FAILURE":
		if len(c) != 2 {
			return nil, fmt.Errorf("bad header line for FAILURE: %q", line)
		}
		pat, err := strconv.Unquote(c[1])
		if err != nil {
			return nil, fmt.Errorf("malformed pattern %s: %v", c[1], err)
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, err
		}
		return &expectation{failure: true, matcher: re}, nil
	}
	return nil, fmt.Errorf("bad expectation line: %q", line)
}

func (e *expectation) check(err error) error {
	if !e.failure && err != nil {
		return fmt.Errorf("unexpected error while reading the trace: %v", err)
	}
	if e.failure && err == nil {
		return fmt.Errorf("expected error while reading the trace: want something matching %q, got none", e.matcher)
	}
	if e.failure && !e.matcher.MatchString(err.Error()) {
		return fmt.Errorf("unexpected error while reading the trace: want something matching %q, got %s", e.matcher, err.Error())
	}
	return nil
}

// textToBinary converts a text-form trace (raw.TextReader syntax) into wire bytes.
func textToBinary(text []byte) ([]byte, error) {
	tr, err := raw.NewTextReader(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("bad trace text: %v", err)
	}
	var buf bytes.Buffer
	tw, err := raw.NewWriter(&buf, tr.Version())
	if err != nil {
		return nil, err
	}
	for {
		ev, err := tr.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("bad trace text: %v", err)
		}
		if err := tw.WriteEvent(ev); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// cmdConform prints the events of the .test file's trace like dump (with an
// "ERROR: <err>" line if parsing fails), then "CONFORM: PASS" or
// "CONFORM: FAIL <why>". Exit status 0 on PASS, 1 on FAIL, 2 on bad input.
func cmdConform(args []string) int {
	fs := flag.NewFlagSet("conform", flag.ExitOnError)
	out := fs.String("o", "", "also write the binary trace to this file")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		return 2
	}
	names, files := parseTxtar(data)
	if len(names) != 2 || names[0] != "expect" || names[1] != "trace" {
		fmt.Fprintf(os.Stderr, "oracle: malformed test file %s: want files [expect trace], got %v\n", fs.Arg(0), names)
		return 2
	}
	exp, err := parseExpectation(files[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		return 2
	}
	bin, err := textToBinary(files[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		return 2
	}
	if *out != "" {
		if err := os.WriteFile(*out, bin, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
			return 2
		}
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	rerr := dumpEvents(bytes.NewReader(bin), w)
	if rerr != nil {
		fmt.Fprintf(w, "ERROR: %v\n", rerr)
	}
	if cerr := exp.check(rerr); cerr != nil {
		fmt.Fprintf(w, "CONFORM: FAIL %v\n", cerr)
		return 1
	}
	fmt.Fprintln(w, "CONFORM: PASS")
	return 0
}
