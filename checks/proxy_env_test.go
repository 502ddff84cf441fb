package checks

import "testing"

func TestProxyInEnvironment(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"none", nil, nil},
		{"https proxy", map[string]string{"HTTPS_PROXY": "http://proxy.corp:3128"}, []string{
			"requests to api.contio.ai (api_url) go through the proxy http://proxy.corp:3128 from HTTPS_PROXY",
			"requests to auth.contio.ai (auth_url) go through the proxy",
		}},
		{"lower-case form", map[string]string{"https_proxy": "http://proxy.corp:3128"}, []string{"from https_proxy", "from https_proxy"}},
		{"upper-case wins", map[string]string{"HTTPS_PROXY": "http://a:1", "https_proxy": "http://b:2"}, []string{"http://a:1", "http://a:1"}},
		{"password masked", map[string]string{"HTTPS_PROXY": "http://bob:hunter2@proxy:3128"}, []string{"http://bob:***@proxy:3128", "http://bob:***@proxy:3128"}},
		{"domain suffix exempts both", map[string]string{"HTTPS_PROXY": "http://p:1", "NO_PROXY": "contio.ai"}, []string{
			`api.contio.ai (api_url) is exempted from HTTPS_PROXY by the NO_PROXY entry "contio.ai"`,
			`auth.contio.ai (auth_url) is exempted`,
		}},
		{"leading dot", map[string]string{"HTTPS_PROXY": "http://p:1", "no_proxy": ".contio.ai"}, []string{"no_proxy entry \".contio.ai\"", "no_proxy entry"}},
		{"star", map[string]string{"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, []string{"entry \"*\"", "entry \"*\""}},
		{"one host with port", map[string]string{"HTTPS_PROXY": "http://p:1", "NO_PROXY": "api.contio.ai:443"}, []string{
			`entry "api.contio.ai:443"`, "requests to auth.contio.ai (auth_url) go through the proxy",
		}},
		{"other port does not match", map[string]string{"HTTPS_PROXY": "http://p:1", "NO_PROXY": "api.contio.ai:8443"}, []string{
			"requests to api.contio.ai", "requests to auth.contio.ai",
		}},
		{"http proxy only", map[string]string{"HTTP_PROXY": "http://p:1"}, []string{
			"HTTP_PROXY is set but api.contio.ai is https, so it goes direct", "auth.contio.ai is https",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			ig.Env = tc.env
			fs := famExpect(t, "CD6005", ig, tc.want...)
			for _, f := range fs {
				if f.Location.EnvVar == "" {
					t.Errorf("location %v, want the variable", f.Location)
				}
			}
		})
	}
}

func TestProxyLoopbackIsNeverProxied(t *testing.T) {
	ig := famIG()
	ig.APIURL = famVal("http://127.0.0.1:8080", 2)
	ig.AuthURL = famVal("http://127.0.0.1:8080", 3)
	ig.Env = map[string]string{"HTTP_PROXY": "http://p:1", "HTTPS_PROXY": "http://p:1"}
	famExpect(t, "CD6005", ig)
}

func TestNoProxyMatches(t *testing.T) {
	cases := []struct {
		noProxy, host, port, want string
	}{
		{"contio.ai", "contio.ai", "443", "contio.ai"},
		{"contio.ai", "api.contio.ai", "443", "contio.ai"},
		{".contio.ai", "contio.ai", "443", ""},
		{"*.contio.ai", "api.contio.ai", "443", "*.contio.ai"},
		{"notcontio.ai", "contio.ai", "443", ""},
		{"tio.ai", "api.contio.ai", "443", ""},
		{" API.Contio.AI ", "api.contio.ai", "443", " API.Contio.AI "},
		{"10.0.0.0/8", "10.1.2.3", "443", "10.0.0.0/8"},
		{"10.0.0.0/8", "api.contio.ai", "443", ""},
		{"", "api.contio.ai", "443", ""},
	}
	for _, tc := range cases {
		if got := noProxyMatches(tc.noProxy, tc.host, tc.port); got != tc.want {
			t.Errorf("noProxyMatches(%q, %q, %q) = %q, want %q", tc.noProxy, tc.host, tc.port, got, tc.want)
		}
	}
}
