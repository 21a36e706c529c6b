// Package authtest holds what the tests of sign-in advice share: errors
// shaped as azidentity reports them. graph/auth decides the advice and
// ui/words words it, and both test it against the same errors.
package authtest

import "fmt"

// EntraError is how azidentity's AuthenticationFailedError shows a token
// endpoint error: a header, the response body (with the AADSTS code, trace
// id 0000 and correlation id 1111), a footer.
func EntraError(code, desc string) error {
	return fmt.Errorf(`DeviceCodeCredential authentication failed. 
POST https://login.microsoftonline.com/organizations/oauth2/v2.0/token
--------------------------------------------------------------------------------
RESPONSE 400: 400 Bad Request
--------------------------------------------------------------------------------
{
  "error": "invalid_grant",
  "error_description": "AADSTS%s: %s\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-03-01 09:00:00Z",
  "error_codes": [%s]
}
--------------------------------------------------------------------------------`, code, desc, code)
}
