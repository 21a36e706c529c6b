//go:build race

package bench

// raceDetector: the race detector makes JSON-heavy tests 5–10× slower.
const raceDetector = true
