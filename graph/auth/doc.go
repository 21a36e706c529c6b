// Package auth signs the approver in to Microsoft Entra ID and hands the
// Graph client a token source: device code by default (works over SSH; the
// code goes to a callback, never printed over a TUI), an interactive browser
// on desktops, or a static bearer token for scripts and the simulator.
//
// A sign-in is remembered as an azidentity AuthenticationRecord (no secrets;
// a 0600 file in a 0700 folder, one per cloud, tenant and client id) that
// points into the azidentity/cache token cache. When the machine cannot
// host that cache (for example keyctl blocked in a container), tokens stay in
// memory and the user is told once what that means.
//
// Advise tells, for the errors a user will meet (AADSTS codes, 401, 403),
// why they happened and what is needed, as a Reason, a Need and the facts
// (code, ids, tenant and app); the user interface words it (ui/words).
// Nothing here names a command, flag or setting of the program.
package auth
