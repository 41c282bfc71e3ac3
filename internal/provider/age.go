package provider

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// ageUnits are the units of a minimum age.
var ageUnits = map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}

// parseMinAge parses a minimum age: "0" (no age rule), or decimal numbers,
// each with a unit d (24 h), h, m or s: "7d", "36h", "1d12h", "1.5d".
func parseMinAge(s string) (time.Duration, error) {
	notAnAge := fmt.Errorf("minimum age %q is not an age: write decimal numbers each with a unit d, h, m or s, such as \"7d\", \"36h\", \"1d12h\" or \"1.5d\", or \"0\" for no age rule", s)
	switch {
	case s == "0":
		return 0, nil
	case s == "":
		return 0, fmt.Errorf("minimum age is empty: give an age such as \"7d\", or \"0\" for no age rule")
	case s[0] == '-':
		return 0, fmt.Errorf("minimum age %q is negative: give an age such as \"7d\", or \"0\" for no age rule", s)
	}
	var seconds float64
	for rest := s; rest != ""; {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if i == 0 || err != nil || i == len(rest) || ageUnits[rest[i]] == 0 {
			return 0, notAnAge
		}
		seconds += n * ageUnits[rest[i]].Seconds()
		rest = rest[i+1:]
	}
	switch {
	case seconds >= math.MaxInt64/float64(time.Second):
		return 0, fmt.Errorf("minimum age %q is longer than any image can be old: give an age such as \"7d\", or \"0\" for no age rule", s)
	case seconds < 1 && seconds > 0:
		return 0, fmt.Errorf("minimum age %q is shorter than a second: give an age such as \"7d\", or \"0\" for no age rule", s)
	}
	return time.Duration(seconds * float64(time.Second)), nil
}
