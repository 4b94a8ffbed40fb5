//go:build !unix

package pdf

func cpuTime() int64 { return 0 }
