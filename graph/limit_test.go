package graph

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// A server that sends more than MaxResponseBytes gets an error, not a
// process that reads it all into memory; a body of exactly the limit is
// read whole.
func TestResponseBodiesAreBounded(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	name := "Megan Bowen"
	f.handle("GET /v1.0/me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": meID, "displayName": name})
	})
	exact := len(`{"displayName":"`+name+`","id":"`+meID+`"}`) + 1 // writeJSON ends with a newline
	c := testClient(t, f, func(o *Options) { o.MaxResponseBytes = int64(exact) })
	if me, err := c.Me(t.Context()); err != nil || me.DisplayName != name {
		t.Fatalf("a body of exactly the limit: %+v, %v", me, err)
	}

	name = strings.Repeat("x", 4096)
	c = testClient(t, f, func(o *Options) { o.MaxResponseBytes = 1024 })
	before := f.count("GET /v1.0/me")
	_, err := c.Me(t.Context())
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Fatalf("a 4 KB body with a 1 KB limit: %v", err)
	}
	if n := f.count("GET /v1.0/me") - before; n != 1 {
		t.Fatalf("the oversized body was asked for %d times; it must not be retried", n)
	}
}
