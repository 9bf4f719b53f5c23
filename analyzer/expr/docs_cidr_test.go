package expr

import "testing"

// Documented examples of the CIDR functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-cidr
// The examples build arrays with copy loops over range(0, 5); map gives
// the same arrays.

const docCIDRPage = "template-functions-cidr"

func TestDocsCIDR(t *testing.T) {
	runDoc(t, docCIDRPage, "", []docCase{
		{"v4info", "parseCidr('10.144.0.0/20')", `{"network":"10.144.0.0","netmask":"255.255.240.0","broadcast":"10.144.15.255","firstUsable":"10.144.0.1","lastUsable":"10.144.15.254","cidr":20}`},
		{"v6info", "parseCidr('fdad:3236:5555::/48')", `{"network":"fdad:3236:5555::","netmask":"ffff:ffff:ffff::","firstUsable":"fdad:3236:5555::","lastUsable":"fdad:3236:5555:ffff:ffff:ffff:ffff:ffff","cidr":48}`},
		{"v4subnets", "map(range(0, 5), lambda('i', cidrSubnet('10.144.0.0/20', 24, lambdaVariables('i'))))",
			`["10.144.0.0/24", "10.144.1.0/24", "10.144.2.0/24", "10.144.3.0/24", "10.144.4.0/24"]`},
		{"v6subnets", "map(range(0, 5), lambda('i', cidrSubnet('fdad:3236:5555::/48', 52, lambdaVariables('i'))))",
			`["fdad:3236:5555::/52", "fdad:3236:5555:1000::/52", "fdad:3236:5555:2000::/52", "fdad:3236:5555:3000::/52", "fdad:3236:5555:4000::/52"]`},
		{"v4hosts", "map(range(0, 5), lambda('i', cidrHost('10.144.3.0/24', lambdaVariables('i'))))",
			`["10.144.3.1", "10.144.3.2", "10.144.3.3", "10.144.3.4", "10.144.3.5"]`},
		{"v6hosts", "map(range(0, 5), lambda('i', cidrHost('fdad:3236:5555:3000::/52', lambdaVariables('i'))))",
			`["fdad:3236:5555:3000::1", "fdad:3236:5555:3000::2", "fdad:3236:5555:3000::3", "fdad:3236:5555:3000::4", "fdad:3236:5555:3000::5"]`},
		// The cidrHost description: 192.168.1.0/24, hostIndex 0 gives 192.168.1.1.
		{"cidrHostRemark", "cidrHost('192.168.1.0/24', 0)", `"192.168.1.1"`},
		{"lastHost", "cidrHost('192.168.1.0/24', 253)", `"192.168.1.254"`},
	})
	env := newTestEnv(t)
	for _, x := range []string{"cidrHost('192.168.1.0/24', 254)", "cidrSubnet('10.144.0.0/20', 19, 0)", "cidrSubnet('10.144.0.0/20', 24, 16)", "parseCidr('10.0.0.0')", "cidrSubnet('fdad::/48', 129, 0)"} {
		if v := evalExpr(env, x); v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s = %s, want an error", x, v)
		}
	}
}
