package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ageUnits are the units of a minimum age.
var ageUnits = map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}

// parseMinAge parses a minimum age: "0" (no age rule), or decimal numbers,
// each with a unit d (24 h), h, m or s: "7d", "36h", "1d12h", "1.5d".
func parseMinAge(s string) (time.Duration, error) {
	switch strings.TrimSpace(s) {
	case "0":
		return 0, nil
	case "":
		return 0, fmt.Errorf("minimum age is empty: give an age such as \"7d\", or \"0\" for no age rule")
	}
	if strings.HasPrefix(strings.TrimSpace(s), "-") {
		return 0, fmt.Errorf("minimum age %q is negative: give an age such as \"7d\", or \"0\" for no age rule", s)
	}
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if i == 0 || err != nil || i == len(rest) || ageUnits[rest[i]] == 0 {
			return 0, fmt.Errorf("minimum age %q is not an age: write decimal numbers each with a unit d, h, m or s, such as \"7d\", \"36h\", \"1d12h\" or \"1.5d\", or \"0\" for no age rule", s)
		}
		total += time.Duration(n * float64(ageUnits[rest[i]]))
		rest = rest[i+1:]
	}
	return total, nil
}
