package sim

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"testing"
)

func gzipJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// Microsoft's Go SDK (Kiota's CompressionHandler, on by default) gzips every
// request body and sends Content-Encoding: gzip; it falls back to an
// uncompressed body only on a 415. A PATCH decision and a $batch sent that
// way must work as they do against Graph.
func TestGzipRequestBodies(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	stage := emApprovals + "/req-em-1/stages/st-1"

	r := e.do("PATCH", stage, "megan@contoso.com", gzipJSON(t, approve("gzipped")), "Content-Encoding", "gzip")
	if r.status != 204 {
		t.Fatalf("gzipped PATCH: %d %s", r.status, r.body)
	}
	if st, _ := e.sim.StageState("req-em-1", "st-1"); st.ReviewResult != ResultApproved || st.Justification != "gzipped" {
		t.Errorf("StageState after a gzipped PATCH: %+v", st)
	}

	batch := map[string]any{"requests": []map[string]any{getItem("1", "/me")}}
	r = e.do("POST", "/v1.0/$batch", "megan@contoso.com", gzipJSON(t, batch), "Content-Encoding", "GZIP")
	if r.status != 200 {
		t.Fatalf("gzipped $batch: %d %s", r.status, r.body)
	}
	var out struct {
		Responses []batchResp `json:"responses"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil || len(out.Responses) != 1 || out.Responses[0].Status != 200 {
		t.Fatalf("gzipped $batch answered %s", r.body)
	}

	// "identity" is no encoding at all.
	pim := pimApprovals + "/req-pim-1/stages/req-pim-1"
	if r := e.do("PATCH", pim, "megan@contoso.com", approve("plain"), "Content-Encoding", "identity"); r.status != 204 {
		t.Fatalf("identity PATCH: %d %s", r.status, r.body)
	}

	// An encoding the simulator cannot read is 415, so an SDK retries
	// without it; a body that is not gzip is 400. Neither is applied.
	e2 := newEnv(t, Options{Tenant: smallTenant()})
	e2.do("PATCH", stage, "megan@contoso.com", "\x28\xb5\x2f\xfd", "Content-Encoding", "zstd").expect(t, 415, "UnsupportedMediaType")
	e2.do("PATCH", stage, "megan@contoso.com", gzipJSON(t, approve("twice")), "Content-Encoding", "gzip, br").expect(t, 415, "UnsupportedMediaType")
	e2.do("PATCH", stage, "megan@contoso.com", approve("not gzip"), "Content-Encoding", "gzip").expect(t, 400, "BadRequest")
	if st, _ := e2.sim.StageState("req-em-1", "st-1"); st.Status != StatusInProgress || st.PatchesApplied != 0 {
		t.Errorf("a rejected encoding changed the stage: %+v", st)
	}
}
