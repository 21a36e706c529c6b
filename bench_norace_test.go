//go:build bench && !race

package main

const benchRace = false
