// Package serve is `approvals serve`: the inbox over SSH. Each connecting
// approver gets an inbox of their own, built per session by the
// composition root's Factory, behind Charm's wish server on
// golang.org/x/crypto/ssh.
//
// Who may connect is an OpenSSH authorized_keys file (KeyFile), read again
// when it changes; a key line may bind the key to one Entra user with the
// option approvals-user="UPN". Only public keys authenticate. A session
// whose sign-in resolves to another user than its key's is ended before
// its inbox makes any Graph call (identityGuard, guardedBackend).
//
// Each session runs its own Bubble Tea program on the session's input and
// output, with the client's size, colour profile (TERM/COLORTERM) and
// NO_COLOR; OSC 52 copies reach the client. The server owns SIGINT and
// SIGTERM: Shutdown lets every session send what it has queued before it
// closes. An idle timeout ends sessions nobody types in, never one that
// holds a decision.
package serve
