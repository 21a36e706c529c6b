package graph

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// StaticToken is a credential that always returns token: for scripts
// (APPROVALS_TOKEN, --auth token) and the simulator, whose bearer token is
// simply the caller's user id or principal name.
func StaticToken(token string) azcore.TokenCredential { return staticToken{token: token} }

type staticToken struct{ token string }

func (s staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	// A far expiry: the bearer policy must never try to refresh it.
	return azcore.AccessToken{Token: s.token, ExpiresOn: time.Now().Add(100 * 365 * 24 * time.Hour)}, nil
}

// String and GoString keep the token out of any %v / %#v formatting.
func (staticToken) String() string   { return "graph.StaticToken(REDACTED)" }
func (staticToken) GoString() string { return "graph.StaticToken(REDACTED)" }
