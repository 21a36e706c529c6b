package ui

import (
	tea "charm.land/bubbletea/v2"

	"approvals/ui/sanitize"
)

// action is what an overlay asks the inbox to do about a key. Dialogs (the
// form, the quit question, the sign-in) only say what the user chose; the
// root carries it out in do, in one place.
type action interface{ isAction() }

type (
	keyTaken      struct{}                    // handled (or ignored) by the overlay: nothing else to do
	closeOverlay  struct{ layer layer }       // close it, nothing else
	askQuit       struct{}                    // quit, asking first when something would be lost
	quitNow       struct{}                    // the quit question answered yes
	stayOpen      struct{}                    // the quit question answered no
	formEdited    struct{}                    // the form's text or list changed: it may take more or fewer rows
	submitForm    struct{}                    // send the decision (after checking the justification)
	cancelForm    struct{}                    // close the form, keep the text as a draft, nothing sent
	retrySignIn   struct{}                    // start the sign-in again
	cancelSignIn  struct{}                    // stop the sign-in in progress
	leaveSignIn   struct{}                    // back to the inbox as last read after a failed sign-in
	copyToClip    struct{ text, note string } // put text on the clipboard and say so
	undoNewest    struct{}                    // undo the newest queued decision
	inboxCommands struct{ cmd tea.Cmd }       // an inbox change already made; cmd follows
)

func (keyTaken) isAction()      {}
func (closeOverlay) isAction()  {}
func (askQuit) isAction()       {}
func (quitNow) isAction()       {}
func (stayOpen) isAction()      {}
func (formEdited) isAction()    {}
func (submitForm) isAction()    {}
func (cancelForm) isAction()    {}
func (retrySignIn) isAction()   {}
func (cancelSignIn) isAction()  {}
func (leaveSignIn) isAction()   {}
func (copyToClip) isAction()    {}
func (undoNewest) isAction()    {}
func (inboxCommands) isAction() {}

// do carries out an overlay's action.
func (m *Model) do(act action) tea.Cmd {
	switch a := act.(type) {
	case closeOverlay:
		m.close(a.layer)
	case askQuit:
		return m.askQuit()
	case quitNow:
		m.close(layerQuit)
		return m.quit()
	case stayOpen:
		m.close(layerQuit)
		m.holdUndoWindows()
	case formEdited:
		m.relayout()
	case submitForm:
		cmd := m.submitForm()
		m.relayout() // a refusal (required, too long) adds a line to the form
		return cmd
	case cancelForm:
		m.closeForm(true)
		m.notice("Cancelled: nothing was sent.", noticeInfo)
	case retrySignIn:
		return m.startSignIn()
	case cancelSignIn:
		m.signIn.cancel()
	case leaveSignIn:
		return m.backToInbox()
	case copyToClip:
		m.notice(a.note, noticeInfo)
		// The text may be the server's: clean it, since it will be
		// pasted (into a shell, say) where a line break would run a command.
		return tea.SetClipboard(sanitize.Line(a.text))
	case undoNewest:
		m.undo()
	case inboxCommands:
		return a.cmd
	}
	return nil
}
