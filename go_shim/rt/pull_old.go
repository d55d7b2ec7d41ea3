//go:build !go1.23

package rt

// stopPull has nothing to stop before Go 1.23, which has no iter package.
func stopPull(uint64) {}
