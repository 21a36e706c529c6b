package sim

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// decodeBody undoes the request body's Content-Encoding. Microsoft's SDKs
// gzip request bodies by default (Kiota's CompressionHandler sends
// Content-Encoding: gzip and falls back to a plain body only on a 415),
// and Graph reads them. A coding other than gzip is 415 Unsupported Media
// Type (RFC 9110 §15.5.16), so such a client retries without it; a body
// that is not gzip is 400 when it is read.
func decodeBody(r *http.Request) *Error {
	var codings []string
	for _, v := range r.Header.Values("Content-Encoding") {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	switch {
	case len(codings) == 0:
		return nil
	case len(codings) > 1 || (codings[0] != "gzip" && codings[0] != "x-gzip"):
		return newError(http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			"Content-Encoding '%s' is not supported; send gzip or an unencoded body.", strings.Join(codings, ", "))
	}
	r.Header.Del("Content-Encoding")
	if r.ContentLength == 0 {
		return nil
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		return badRequest("Unable to read the request body: it is not valid gzip (%v).", err)
	}
	// The handlers bound what they read, so this bounds the decompressed
	// size too.
	r.Body, r.ContentLength = io.NopCloser(zr), -1
	return nil
}
