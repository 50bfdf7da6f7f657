// Package static embeds the stylesheets, scripts and icons the pages use,
// and names each file after a hash of its content so browsers may cache it
// for a year: a changed file gets a new name.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed app.css app.js favicon.svg vendor
var files embed.FS

// Prefix is the URL path under which the files are served.
const Prefix = "/static/"

// Asset is one embedded file and the hashed URL it is served under.
type Asset struct {
	Name    string
	URL     string
	Content []byte
}

var (
	byName = map[string]*Asset{}
	byURL  = map[string]*Asset{}
)

func init() {
	// Embedded files cannot change while the program runs, so the hashes are
	// computed once here; a read error would be a broken build.
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		a := &Asset{Name: name, URL: Prefix + hashed, Content: b}
		byName[name] = a
		byURL[a.URL] = a
		return nil
	})
	if err != nil {
		panic("static: read embedded files: " + err.Error())
	}
}

// URL returns the content-hashed URL of the embedded file name, such as
// "vendor/htmx.min.js". An unknown name panics: it is a mistake in a
// template, caught by the first test that renders it.
func URL(name string) string {
	a, ok := byName[name]
	if !ok {
		panic("static: no embedded file " + name)
	}
	return a.URL
}

// Lookup returns the file served at the URL path p, if any.
func Lookup(p string) (*Asset, bool) {
	a, ok := byURL[p]
	return a, ok
}
