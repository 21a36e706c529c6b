package graph

import (
	"net/http"
	"strings"
	"testing"
)

// A Graph error whose code, message and request id attack the terminal
// becomes one clean line: sequences go whole (payload included), controls
// and C1 go, and the text is capped.
func TestHostileErrorIsOneCleanLine(t *testing.T) {
	t.Parallel()
	evil := "x\x1b[2J\x1b]0;PWNED-TITLE\a\x1b]52;c;ZXZpbA==\a\x1bPPWNED-DCS\x1b\\\u009dPWNED-C1\u009c\u009b31m\r\nline2\b" + strings.Repeat("Ω", 1000)
	body := `{"error":{"code":"` + jsonEscape(evil) + `","message":"` + jsonEscape(evil) + `","innerError":{"request-id":"` + jsonEscape(evil) + `"}}}`
	msg := newError(http.StatusBadRequest, nil, []byte(body)).Error()
	for _, bad := range []string{"\x1b", "PWNED", "ZXZpbA", "\u009b", "\u009d", "\r", "\n", "\b", "\a"} {
		if strings.Contains(msg, bad) {
			t.Errorf("the error keeps %q: %q", bad, msg)
		}
	}
	if !strings.Contains(msg, "x line2") || len([]rune(msg)) > 600 {
		t.Errorf("error text %q", msg)
	}
}

func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			b.WriteString(`\u00` + "0123456789abcdef"[r>>4:r>>4+1] + "0123456789abcdef"[r&15:r&15+1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
