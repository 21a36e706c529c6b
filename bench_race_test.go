//go:build bench && race

package main

// benchRace: the race detector makes JSON-heavy tests 5–10× slower.
const benchRace = true
