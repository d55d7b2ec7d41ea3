// Package codec is an append-style MessagePack encoder and a bounds-checked,
// zero-copy reader. It is the hot path of the Python<->Go bridge: encoders
// never allocate beyond growing the caller's slice, and the Reader never
// panics on any input.
//
// Encoders always choose the smallest encoding; non-negative integers use
// the unsigned forms, as msgpack-python does. Reads that fail leave the
// Reader where it was, so callers can peek and retry with another type.
package codec
