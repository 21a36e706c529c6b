//go:build !darwin || cgo

package auth

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity/cache"
)

// persistentCache is azidentity/cache: encrypted with a key in the kernel
// keyring (Linux), DPAPI (Windows) or the Keychain (macOS, cgo builds).
func persistentCache(name string) (azidentity.Cache, error) {
	return cache.New(&cache.Options{Name: name})
}
