package main

import (
	"reflect"
	"testing"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
)

// config names what the user may set; graph and auth own what those names
// mean. The root checks that they agree, since neither may import the
// other's package.
func TestConfigNamesAgreeWithTheParts(t *testing.T) {
	for _, name := range config.Clouds {
		if _, err := graph.CloudByName(name); err != nil {
			t.Errorf("config accepts cloud %q but the client does not: %v", name, err)
		}
	}
	if !reflect.DeepEqual(config.Clouds, graph.CloudNames()) {
		t.Errorf("config.Clouds %q != graph.CloudNames() %q", config.Clouds, graph.CloudNames())
	}
	for _, name := range config.Sources {
		if _, ok := graph.ParseSource(name); !ok {
			t.Errorf("config accepts source %q but the client does not", name)
		}
	}
	if config.AuthDeviceCode != auth.MethodDeviceCode || config.AuthBrowser != auth.MethodBrowser || config.AuthToken != auth.MethodToken {
		t.Error("config's auth methods are not auth's")
	}
	if config.DefaultClientID != auth.DefaultClientID || config.DefaultTenant != auth.DefaultTenant {
		t.Error("config's default client id or tenant is not auth's")
	}
}
