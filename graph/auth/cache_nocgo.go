//go:build darwin && !cgo

package auth

import (
	"errors"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// persistentCache: on macOS azidentity/cache needs the Keychain through
// cgo; a binary cross-compiled without cgo keeps tokens in memory.
func persistentCache(string) (azidentity.Cache, error) {
	return azidentity.Cache{}, errors.New("this build has no Keychain access (built without cgo)")
}
