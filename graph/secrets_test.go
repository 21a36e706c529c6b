package graph

import (
	"fmt"
	"testing"
)

// Printing a client or its options (a debug line, a panic value) never
// shows the token, even once the bearer policy has cached it.
func TestFormattedClientHasNoToken(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	opts := Options{GraphURL: f.srv.URL, Credential: StaticToken(fakeToken)}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for name, v := range map[string]any{"client": c, "options": opts, "credential": opts.Credential} {
			mustContainNoToken(t, name+" as "+verb, fmt.Sprintf(verb, v))
		}
	}
}
