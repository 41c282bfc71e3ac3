package benchmarks

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// table is a Markdown table, printed with its columns aligned so that it
// reads as well in a terminal as rendered.
type table struct {
	header []string
	// right marks the columns aligned right (numbers).
	right []bool
	rows  [][]string
}

func (t *table) add(cells ...string) {
	t.rows = append(t.rows, cells)
}

func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c), 3)
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString("|")
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if t.right[i] {
				fmt.Fprintf(&b, " %s%s |", pad, c)
			} else {
				fmt.Fprintf(&b, " %s%s |", c, pad)
			}
		}
		fmt.Fprintln(w, b.String())
	}
	line(t.header)
	rule := make([]string, len(t.header))
	for i, width := range widths {
		rule[i] = strings.Repeat("-", width)
		if t.right[i] {
			rule[i] = rule[i][1:] + ":"
		}
	}
	line(rule)
	for _, row := range t.rows {
		line(row)
	}
}

// seconds formats d in seconds with two decimals.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// count formats n, or "–" for a cell that does not apply.
func count(n int64) string {
	if n < 0 {
		return "–"
	}
	return fmt.Sprint(n)
}
