// Package browser holds end-to-end tests that drive a headless Chromium
// through the real application: each test starts the app on its own
// database with the demo district loaded, and walks a user path in the
// browser. The tests skip when no Chromium is installed.
package browser
