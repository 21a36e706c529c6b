package sim

import (
	"fmt"
	"math/rand/v2"
)

// newGUID formats 128 random bits as a version 4 GUID, the shape of every
// Graph object id. The generator passes its seeded source so ids are
// deterministic; request ids use the global source.
func newGUID(r *rand.Rand) string {
	var hi, lo uint64
	if r != nil {
		hi, lo = r.Uint64(), r.Uint64()
	} else {
		hi, lo = rand.Uint64(), rand.Uint64()
	}
	hi = hi&^0xf000 | 0x4000                        // version 4
	lo = lo&^(0xc<<60) | 0x8<<60                    // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", // 8-4-4-4-12
		hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}
