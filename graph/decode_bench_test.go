package graph

import (
	"encoding/json"
	"fmt"
	"testing"
)

// Decoding one listing page of 100 entitlement management requests: once
// (the body split in place, every entry fingerprinted and decoded), once
// unchanged (fingerprints only: every entry is in the cache), against the
// way it was done before (the body decoded into raw entries, copied, then
// each entry decoded).
func BenchmarkDecodePage(b *testing.B) {
	var items []map[string]any
	for i := range 100 {
		items = append(items, emRequest(fmt.Sprintf("em-%03d", i), t0))
	}
	body, err := json.Marshal(page(items, "https://graph.microsoft.com/v1.0/next?$skiptoken=100"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.Run("once", func(b *testing.B) {
		for b.Loop() {
			p, err := parsePage(body)
			if err != nil || len(p.items) != 100 {
				b.Fatal(err)
			}
			for _, raw := range p.items {
				_ = fingerprint(raw)
				if _, err := decodeEMItem(raw); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		known := map[print]bool{}
		p, _ := parsePage(body)
		for _, raw := range p.items {
			known[fingerprint(raw)] = true
		}
		for b.Loop() {
			p, err := parsePage(body)
			if err != nil {
				b.Fatal(err)
			}
			for _, raw := range p.items {
				if !known[fingerprint(raw)] {
					b.Fatal("not known")
				}
			}
		}
	})
	b.Run("before", func(b *testing.B) {
		for b.Loop() {
			var p wirePage
			if err := decodeBody(body, &p); err != nil || len(p.Value) != 100 {
				b.Fatal(err)
			}
			for _, raw := range p.Value {
				_ = fingerprint(raw)
				if _, err := decodeEMItem(raw); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
