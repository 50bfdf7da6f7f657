// Package admin renders the frame shared by the administration pages and
// the Admin landing page. Each area of administration has its own package
// under views/admin.
package admin

// Section is one area of administration the person may use.
type Section struct {
	Key         string
	Label       string
	Href        string
	Description string
}
