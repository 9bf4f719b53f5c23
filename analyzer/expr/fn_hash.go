package expr

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"strings"
)

// guid() and uniqueString(): the exact algorithms of ARM (§2.3 of the ARM
// notes). Both hash the arguments joined with "-".

func hashFunctions() []*function {
	return []*function{
		{name: "guid", minArgs: 1, maxArgs: -1, eval: fnGUID},
		{name: "uniqueString", minArgs: 1, maxArgs: -1, eval: fnUniqueString},
		{name: "newGuid", maxArgs: 0, eval: func(*call, []Value) Value {
			return NewUnknown(&Unknown{Expr: "newGuid()", Reason: "newGuid() returns a different value on every deployment", Marks: MarkNewGUID})
		}},
	}
}

// armNamespace is the namespace UUID of guid(),
// 11fb06fb-712d-4ddd-98c7-e71bbd588830.
var armNamespace = [16]byte{0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30}

// GUID returns guid(args...): the RFC 4122 version 5 (SHA-1) UUID of the
// arguments joined with "-" in ARM's namespace, in lower case.
func GUID(args ...string) string {
	h := sha1.New()
	h.Write(armNamespace[:])
	h.Write([]byte(strings.Join(args, "-")))
	sum := h.Sum(nil)
	var u [16]byte
	copy(u[:], sum[:16])
	u[6] = u[6]&0x0F | 0x50
	u[8] = u[8]&0x3F | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// UniqueString returns uniqueString(args...): a 64-bit MurmurHash3
// variant of the arguments joined with "-", base32-encoded in 13
// characters.
func UniqueString(args ...string) string {
	data := []byte(strings.Join(args, "-"))
	const (
		c1 uint32 = 0x239B961B
		c2 uint32 = 0xAB0E9789
	)
	var h1, h2 uint32
	n := len(data)
	i := 0
	for ; i+8 <= n; i += 8 {
		k1 := binary.LittleEndian.Uint32(data[i:])
		k2 := binary.LittleEndian.Uint32(data[i+4:])
		k1 = bits.RotateLeft32(k1*c1, 15) * c2
		h1 ^= k1
		h1 = bits.RotateLeft32(h1, 19) + h2
		h1 = h1*5 + 0x561CCD1B
		k2 = bits.RotateLeft32(k2*c2, 17) * c1
		h2 ^= k2
		h2 = bits.RotateLeft32(h2, 13) + h1
		h2 = h2*5 + 0x0BCAA747
	}
	if t := n - i; t > 0 {
		var k1 uint32
		for j := 0; j < t && j < 4; j++ {
			k1 |= uint32(data[i+j]) << (8 * j)
		}
		h1 ^= bits.RotateLeft32(k1*c1, 15) * c2
		if t > 4 {
			var k2 uint32
			for j := 4; j < t; j++ {
				k2 |= uint32(data[i+j]) << (8 * (j - 4))
			}
			h2 ^= bits.RotateLeft32(k2*c2, 17) * c1
		}
	}
	h1 ^= uint32(n)
	h2 ^= uint32(n)
	h1 += h2
	h2 += h1
	h1 = fmix32(h1)
	h2 = fmix32(h2)
	h1 += h2
	h2 += h1
	hash := uint64(h2)<<32 | uint64(h1)
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var out [13]byte
	for k := range out {
		out[k] = alphabet[hash>>59]
		hash <<= 5
	}
	return string(out[:])
}

func fmix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85EBCA6B
	h ^= h >> 13
	h *= 0xC2B2AE35
	h ^= h >> 16
	return h
}

func fnGUID(c *call, a []Value) Value {
	var buf [4]string
	s, bad, ok := stringArgs(c, a, buf[:0])
	if !ok {
		return bad
	}
	return String(GUID(s...))
}

func fnUniqueString(c *call, a []Value) Value {
	var buf [4]string
	s, bad, ok := stringArgs(c, a, buf[:0])
	if !ok {
		return bad
	}
	return String(UniqueString(s...))
}
