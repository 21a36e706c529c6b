package graph

import (
	"encoding/json"
	"errors"
	"testing"

	"approvals/graph/internal/fixtures"
)

// parsePage agrees with encoding/json on what a page holds, and refuses
// what is not a whole collection.
func TestParsePage(t *testing.T) {
	t.Parallel()
	good := []string{
		`{"value":[]}`,
		` {"@odata.context":"x{[","value":[{"id":"a","s":"]}\"\\"},{"id":"b","n":[1,2,{"x":null}]}],"@odata.nextLink":"https://g/next?a=1"} `,
		`{"value":[ {"s":"\\\\"} , "\\\"]" ,{"t":"a\\\\\"}"} ]}`,
		`{"value":null,"other":true}`,
		`{"value":[ 1 , "two" , [3] ], "@odata.count": -1.5e3}`,
		`{"v\u0061lue":[{"id":"c"}]}`,
	}
	for _, body := range good {
		p, err := parsePage([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		var want struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatal(err)
		}
		if len(p.items) != len(want.Value) || p.next != want.NextLink {
			t.Fatalf("%s: %d items, next %q; encoding/json: %d, %q", body, len(p.items), p.next, len(want.Value), want.NextLink)
		}
		for i := range p.items {
			if string(p.items[i]) != string(want.Value[i]) {
				t.Fatalf("%s: item %d is %s, want %s", body, i, p.items[i], want.Value[i])
			}
		}
	}
	for _, body := range []string{`{}`, `null`, `{"id":"x"}`} {
		if _, err := parsePage([]byte(body)); !errors.Is(err, errNotCollection) {
			t.Fatalf("%s: %v, want not a collection", body, err)
		}
	}
	for _, body := range []string{``, `[]`, `{"value":[{"id":"a"}]`, `{"value":[{"id":"a"]}`, `{"value":"x"}`,
		`{"value":[]} {}`, `{"value":[],}`, `{"value" []}`, `{"value":[{"id":"a}]}`, `{"value":[], "x": nope}`,
		// Empty elements (these crashed the splitter), a string cut short
		// after an escaped quote, brackets that do not match inside an entry.
		`{"value":[,]}`, `{"value":[{"id":"a"},,{"id":"b"}]}`, `{"value":[{"id":"a"},]}`, `{"value":[{"id":"a\"}]}`,
		`{"value":[{"id":["a"}]]}`} {
		if _, err := parsePage([]byte(body)); err == nil {
			t.Fatalf("%s: accepted", body)
		}
	}
}

// FuzzParsePage holds the one-pass page parser to encoding/json: it never
// panics; it accepts every valid collection page and finds in it exactly
// the elements and nextLink encoding/json finds (the last of repeated
// members, as encoding/json keeps); and it accepts no valid JSON that is
// not a collection page. (Invalid bodies it may let through only where
// nothing is read: elements are checked when decoded, and members other
// than value and @odata.nextLink are skipped by their brackets and
// strings alone.)
func FuzzParsePage(f *testing.F) {
	for _, b := range []string{
		`{"value":[]}`, `{"value":null}`, `{"value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"https://g/n"}`,
		`{"@odata.nextLink":"x","value":[1,"two",[3]],"value":[{"x":"]}"}]}`, `{"v\u0061lue":[{"id":"c"}]}`,
		`{"value":[,]}`, `{"value":[{"id":"a"},]}`, `{"value":[{"id":nope}]}`, `{"Value":[1]}`, `null`, `[]`,
	} {
		f.Add([]byte(b))
	}
	for _, b := range fixtures.JSONBodies() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parsePage(body)
		var members map[string]json.RawMessage
		valid := json.Unmarshal(body, &members) == nil && members != nil
		var want []json.RawMessage
		var wantNext string
		collection := valid && members["value"] != nil
		if collection {
			collection = json.Unmarshal(members["value"], &want) == nil
			if raw, ok := members["@odata.nextLink"]; ok && json.Unmarshal(raw, &wantNext) != nil {
				collection = false
			}
		}
		if collection {
			if err != nil {
				t.Fatalf("a valid page was refused: %v\n%s", err, body)
			}
			if len(p.items) != len(want) || p.next != wantNext {
				t.Fatalf("%d items, next %q; encoding/json: %d, %q\n%s", len(p.items), p.next, len(want), wantNext, body)
			}
			for i := range want {
				if string(p.items[i]) != string(want[i]) {
					t.Fatalf("item %d is %s, encoding/json's %s", i, p.items[i], want[i])
				}
			}
			return
		}
		if err == nil && json.Valid(body) {
			t.Fatalf("accepted what is not a collection page:\n%s", body)
		}
	})
}
