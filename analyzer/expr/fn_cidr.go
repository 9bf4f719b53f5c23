package expr

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strconv"
)

// CIDR functions: parseCidr, cidrSubnet, cidrHost, for IPv4 and IPv6
// ranges, with the outputs of the documented examples (an IPv6 range has
// no broadcast member, its first usable address is the network address,
// and cidrHost counts from the address after the network address).

func cidrFunctions() []*function {
	return []*function{
		{name: "parseCidr", minArgs: 1, maxArgs: 1, eval: fnParseCIDR},
		{name: "cidrSubnet", minArgs: 3, maxArgs: 3, eval: fnCIDRSubnet},
		{name: "cidrHost", minArgs: 2, maxArgs: 2, eval: fnCIDRHost},
	}
}

// u128 is an IP address as a 128-bit unsigned integer (IPv4 in the low
// 32 bits).
type u128 struct{ hi, lo uint64 }

func (x u128) or(y u128) u128  { return u128{x.hi | y.hi, x.lo | y.lo} }
func (x u128) not() u128       { return u128{^x.hi, ^x.lo} }
func (x u128) and(y u128) u128 { return u128{x.hi & y.hi, x.lo & y.lo} }

func (x u128) add(n uint64) u128 {
	lo, carry := bits.Add64(x.lo, n, 0)
	return u128{x.hi + carry, lo}
}

func (x u128) sub(n uint64) u128 {
	lo, borrow := bits.Sub64(x.lo, n, 0)
	return u128{x.hi - borrow, lo}
}

func (x u128) shl(n uint) u128 {
	switch {
	case n >= 128:
		return u128{}
	case n >= 64:
		return u128{x.lo << (n - 64), 0}
	case n == 0:
		return x
	}
	return u128{x.hi<<n | x.lo>>(64-n), x.lo << n}
}

// ones returns a value with the low n bits set.
func ones(n uint) u128 {
	if n >= 128 {
		return u128{^uint64(0), ^uint64(0)}
	}
	return u128{}.not().shl(n).not()
}

// cidr is a parsed network: its masked address, prefix length and
// address width (32 or 128).
type cidr struct {
	net   u128
	bits  int
	width int
}

func (n cidr) hostBits() uint { return uint(n.width - n.bits) }

func (n cidr) addr(x u128) string {
	if n.width == 32 {
		v := uint32(x.lo)
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], x.hi)
	binary.BigEndian.PutUint64(b[8:], x.lo)
	return netip.AddrFrom16(b).String()
}

// parseNetwork parses argument 0 as a CIDR; v is the failure otherwise.
func parseNetwork(c *call, a []Value) (cidr, Value, bool) {
	s, ok := a[0].Str()
	if !ok {
		return cidr{}, c.typeErr(a, 0, "a string"), false
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return cidr{}, c.fail("invalid CIDR %s", quote(s)), false
	}
	p = p.Masked()
	n := cidr{bits: p.Bits()}
	if p.Addr().Is4() {
		b := p.Addr().As4()
		n.width = 32
		n.net = u128{lo: uint64(binary.BigEndian.Uint32(b[:]))}
	} else {
		b := p.Addr().As16()
		n.width = 128
		n.net = u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
	}
	return n, Value{}, true
}

func fnParseCIDR(c *call, a []Value) Value {
	n, bad, ok := parseNetwork(c, a)
	if !ok {
		return bad
	}
	hostMask := ones(n.hostBits())
	mask := ones(uint(n.width)).and(hostMask.not())
	last := n.net.or(hostMask)
	if n.width == 128 {
		return obj(
			"network", n.addr(n.net),
			"netmask", n.addr(mask),
			"firstUsable", n.addr(n.net),
			"lastUsable", n.addr(last),
			"cidr", Int(int64(n.bits)),
		)
	}
	first, lastUsable := n.net.add(1), last.sub(1)
	if n.bits >= 31 {
		first, lastUsable = n.net, last
	}
	return obj(
		"network", n.addr(n.net),
		"netmask", n.addr(mask),
		"broadcast", n.addr(last),
		"firstUsable", n.addr(first),
		"lastUsable", n.addr(lastUsable),
		"cidr", Int(int64(n.bits)),
	)
}

func fnCIDRSubnet(c *call, a []Value) Value {
	n, bad, ok := parseNetwork(c, a)
	if !ok {
		return bad
	}
	nb, ok := a[1].IntVal()
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	idx, ok := a[2].IntVal()
	if !ok {
		return c.typeErr(a, 2, "an int")
	}
	if nb < int64(n.bits) || nb > int64(n.width) {
		return c.fail("new prefix length %d must be between %d and %d", nb, n.bits, n.width)
	}
	if idx < 0 || nb-int64(n.bits) < 63 && idx >= int64(1)<<(nb-int64(n.bits)) {
		return c.fail("subnet index %d is out of range", idx)
	}
	network := n.net.or(u128{lo: uint64(idx)}.shl(uint(int64(n.width) - nb)))
	return String(n.addr(network) + "/" + strconv.FormatInt(nb, 10))
}

func fnCIDRHost(c *call, a []Value) Value {
	n, bad, ok := parseNetwork(c, a)
	if !ok {
		return bad
	}
	idx, ok := a[1].IntVal()
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	if idx < 0 {
		return c.fail("host index %d is out of range", idx)
	}
	first := uint64(1)
	usable := uint64(0) // number of usable hosts; 0 means "more than fit in 63 bits"
	hb := n.hostBits()
	switch {
	case n.width == 32 && n.bits >= 31:
		first, usable = 0, uint64(1)<<hb
	case n.width == 32:
		usable = uint64(1)<<hb - 2
	case hb < 63:
		usable = uint64(1)<<hb - 1
	}
	if usable != 0 && uint64(idx) >= usable {
		return c.fail("host index %d is out of range", idx)
	}
	return String(n.addr(n.net.add(first + uint64(idx))))
}
