// Package account renders the pages of signing in and out and of setting
// a password: sign-in, change password, forgotten password, reset, and the
// development mailbox.
package account

import (
	"time"

	"goaltracker/views/components"
)

// DemoAccount is a demo login listed on the sign-in page while the demo
// district is loaded.
type DemoAccount struct {
	Email string
	Role  string
}

// LoginView is the sign-in form.
type LoginView struct {
	CSRFToken string
	Email     components.Field
	Password  components.Field
	Error     string
	Next      string
	Demo      []DemoAccount
	// DemoPassword is shown beside the demo accounts.
	DemoPassword string
}

// ChangePasswordView is the change-password form.
type ChangePasswordView struct {
	CSRFToken string
	Current   components.Field
	Password  components.Field
	Confirm   components.Field
	Error     string
}

// ForgotView is the form that asks for a reset link, and the page that
// confirms it was sent.
type ForgotView struct {
	CSRFToken string
	Email     components.Field
	Sent      bool
	Minutes   int
}

// ResetView is the form that sets a new password through a reset link, or
// says the link no longer works.
type ResetView struct {
	CSRFToken string
	Action    string
	Email     string
	Password  components.Field
	Confirm   components.Field
	Invalid   bool
}

// MailboxView lists the mails kept in development.
type MailboxView struct {
	Mails []Mail
}

// Mail is one kept mail.
type Mail struct {
	To      string
	Subject string
	Body    string
	SentAt  time.Time
}
