// Package chart draws a measurable goal's progress as server-side SVG: the
// measured values, the aim line from baseline to target, the trend through
// the values and the reporting period boundaries, with a plain-language
// description and a data table for people who cannot see the picture.
//
// Layout turns an Input into a Model in SVG coordinates; the Chart and
// Sparkline components only print the Model. The SVG carries no script, no
// style attribute and no style element: colours and dashes are presentation
// attributes, which the app stylesheet may override through the classes.
package chart
