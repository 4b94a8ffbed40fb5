package delivery

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

var (
	objStart = regexp.MustCompile(`(?m)^(\d+) 0 obj\n`)
	objRef   = regexp.MustCompile(`(\d+) 0 R\b`)
	sizeKey  = regexp.MustCompile(`/Size \d+`)
)

// canonical rewrites a PDF that pdfcpu wrote (a classic cross-reference table, no object
// streams) so that the same document always has the same bytes: pdfcpu numbers the objects
// of merged files and writes them in Go map order. The objects reachable from the trailer
// are renumbered in the order a breadth-first walk from /Root and /Info meets their
// references (pdfcpu writes dictionary keys sorted), written in that order, with a new
// cross-reference table. References are rewritten outside stream data only.
func canonical(pdf []byte) ([]byte, error) {
	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	trailer := bytes.LastIndex(pdf, []byte("\ntrailer"))
	sx := bytes.LastIndex(pdf, []byte("\nstartxref"))
	if xref < 0 || trailer < xref || sx < trailer {
		return nil, fmt.Errorf("no cross-reference table")
	}
	head := objStart.FindIndex(pdf)
	if head == nil {
		return nil, fmt.Errorf("no objects")
	}
	type object struct{ dict, stream []byte } // stream: from "stream" to the end, as is
	objs := map[int]object{}
	locs := objStart.FindAllSubmatchIndex(pdf[:xref+1], -1)
	for i, m := range locs {
		nr, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		end := xref + 1
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := bytes.TrimSuffix(bytes.TrimRight(pdf[m[1]:end], "\n"), []byte("endobj"))
		o := object{dict: body}
		if s := bytes.Index(body, []byte("\nstream\n")); s >= 0 {
			o = object{dict: body[:s], stream: body[s:]}
		}
		objs[nr] = o
	}
	tr := pdf[trailer+1 : sx+1]
	// number in the order of a breadth-first walk
	renum := map[int]int{}
	var order []int
	queue := [][]byte{tr}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		for _, m := range objRef.FindAllSubmatch(b, -1) {
			nr, _ := strconv.Atoi(string(m[1]))
			o, ok := objs[nr]
			if _, seen := renum[nr]; seen || !ok {
				continue
			}
			renum[nr] = len(order) + 1
			order = append(order, nr)
			queue = append(queue, o.dict)
		}
	}
	rewrite := func(b []byte) []byte {
		return objRef.ReplaceAllFunc(b, func(ref []byte) []byte {
			nr, _ := strconv.Atoi(string(objRef.FindSubmatch(ref)[1]))
			if n, ok := renum[nr]; ok {
				return fmt.Appendf(nil, "%d 0 R", n)
			}
			return []byte("null")
		})
	}
	out := append([]byte(nil), pdf[:head[0]]...)
	offsets := make([]int, len(order))
	for i, nr := range order {
		o := objs[nr]
		offsets[i] = len(out)
		out = fmt.Appendf(out, "%d 0 obj\n", i+1)
		out = append(out, rewrite(o.dict)...)
		out = append(out, o.stream...)
		if len(o.stream) == 0 || !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, '\n')
		}
		out = append(out, "endobj\n"...)
	}
	start := len(out)
	out = fmt.Appendf(out, "xref\n0 %d\n0000000000 65535 f \n", len(order)+1)
	for _, off := range offsets {
		out = fmt.Appendf(out, "%010d 00000 n \n", off)
	}
	out = append(out, sizeKey.ReplaceAll(rewrite(tr), fmt.Appendf(nil, "/Size %d", len(order)+1))...)
	return fmt.Appendf(out, "startxref\n%d\n%%%%EOF\n", start), nil
}
