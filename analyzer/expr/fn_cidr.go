package expr

import (
	"net/netip"
	"strconv"
)

// CIDR functions for IPv4: parseCidr, cidrSubnet, cidrHost. IPv6 ranges
// are reported as unsupported.

func cidrFunctions() []*function {
	return []*function{
		{name: "parseCidr", minArgs: 1, maxArgs: 1, eval: fnParseCIDR},
		{name: "cidrSubnet", minArgs: 3, maxArgs: 3, eval: fnCIDRSubnet},
		{name: "cidrHost", minArgs: 2, maxArgs: 2, eval: fnCIDRHost},
	}
}

// ipv4Prefix parses argument 0 as an IPv4 CIDR; v is non-zero on failure.
func ipv4Prefix(c *call, a []Value) (netip.Prefix, Value, bool) {
	s, ok := a[0].Str()
	if !ok {
		return netip.Prefix{}, c.typeErr(a, 0, "a string"), false
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, c.fail("invalid CIDR %s", quote(s)), false
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, c.unsupported("IPv6 CIDR"), false
	}
	return p.Masked(), Value{}, true
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func addr(u uint32) string {
	return netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)}).String()
}

func fnParseCIDR(c *call, a []Value) Value {
	p, bad, ok := ipv4Prefix(c, a)
	if !ok {
		return bad
	}
	bitsN := p.Bits()
	mask := uint32(0)
	if bitsN > 0 {
		mask = ^uint32(0) << (32 - bitsN)
	}
	network := u32(p.Addr())
	broadcast := network | ^mask
	first, last := network+1, broadcast-1
	if bitsN >= 31 {
		first, last = network, broadcast
	}
	return obj(
		"network", addr(network),
		"netmask", addr(mask),
		"broadcast", addr(broadcast),
		"firstUsable", addr(first),
		"lastUsable", addr(last),
		"cidr", Int(int64(bitsN)),
	)
}

func fnCIDRSubnet(c *call, a []Value) Value {
	p, bad, ok := ipv4Prefix(c, a)
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
	if nb < int64(p.Bits()) || nb > 32 {
		return c.fail("new prefix length %d must be between %d and 32", nb, p.Bits())
	}
	count := int64(1) << (nb - int64(p.Bits()))
	if idx < 0 || idx >= count {
		return c.fail("subnet index %d is out of range (0..%d)", idx, count-1)
	}
	network := u32(p.Addr()) + uint32(idx)<<(32-nb)
	return String(addr(network) + "/" + strconv.FormatInt(nb, 10))
}

func fnCIDRHost(c *call, a []Value) Value {
	p, bad, ok := ipv4Prefix(c, a)
	if !ok {
		return bad
	}
	idx, ok := a[1].IntVal()
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	size := int64(1) << (32 - p.Bits())
	first := int64(1)
	usable := size - 2
	if p.Bits() >= 31 {
		first, usable = 0, size
	}
	if idx < 0 || idx >= usable {
		return c.fail("host index %d is out of range", idx)
	}
	return String(addr(u32(p.Addr()) + uint32(first+idx)))
}
