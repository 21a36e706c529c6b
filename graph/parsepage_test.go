package graph

import (
	"encoding/json"
	"errors"
	"testing"
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
