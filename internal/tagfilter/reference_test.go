package tagfilter_test

import (
	"bufio"
	"iter"
	"os"
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// referencePage is the filter language's reference in the docs. Its tables
// of examples are read here and checked against the code, so that the page
// cannot say what the filters do not do.
const referencePage = "../../templates/guides/filter-language.md.tmpl"

// referenceTable returns the rows of the page's table whose header row is
// header, each cell without its backquotes. The test fails when there is no
// such table or it has no rows.
func referenceTable(t *testing.T, header string) [][]string {
	t.Helper()
	f, err := os.Open(referencePage)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		switch {
		case line == header:
			in = true
		case in && strings.HasPrefix(line, "| ---"):
		case in && strings.HasPrefix(line, "|"):
			var cells []string
			for _, c := range strings.Split(strings.Trim(line, "|"), " | ") {
				cells = append(cells, strings.Trim(strings.TrimSpace(c), "`"))
			}
			rows = append(rows, cells)
		case in:
			in = false
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no table %q", referencePage, header)
	}
	return rows
}

// filterTable is referenceTable for a table whose first column is a filter:
// it yields each row with its filter parsed, and fails the test on a filter
// that does not parse.
func filterTable(t *testing.T, header string) iter.Seq2[*tagfilter.Filter, []string] {
	t.Helper()
	rows := referenceTable(t, header)
	return func(yield func(*tagfilter.Filter, []string) bool) {
		for _, row := range rows {
			f, err := tagfilter.Parse(row[0])
			if err != nil {
				t.Fatalf("%s: %v", row[0], err)
			}
			if !yield(f, row) {
				return
			}
		}
	}
}

// tagList splits a cell such as "`1.27.3`, `v1.27.3`" into its tags.
func tagList(cell string) []string {
	var tags []string
	for _, s := range strings.Split(cell, ", ") {
		tags = append(tags, strings.Trim(s, "`"))
	}
	return tags
}

func TestReferenceKeeps(t *testing.T) {
	t.Parallel()
	for f, row := range filterTable(t, "| filter | keeps | leaves out |") {
		for _, tag := range tagList(row[1]) {
			if !f.Keep(tag) {
				t.Errorf("%s leaves out %q; the page says it keeps it", row[0], tag)
			}
		}
		for _, tag := range tagList(row[2]) {
			if f.Keep(tag) {
				t.Errorf("%s keeps %q; the page says it leaves it out", row[0], tag)
			}
		}
	}
}

func TestReferenceOrder(t *testing.T) {
	t.Parallel()
	for f, row := range filterTable(t, "| filter | newer | older | by step |") {
		if c := f.Compare(row[1], row[2]); c <= 0 {
			t.Errorf("%s: Compare(%q, %q) = %d; the page says the first is newer", row[0], row[1], row[2], c)
		}
		if got := f.Sort([]string{row[2], row[1]}); len(got) != 2 || got[0] != row[1] {
			t.Errorf("%s: Sort puts %q first; the page says %q is newer", row[0], got, row[1])
		}
	}
}

func TestReferenceConstraints(t *testing.T) {
	t.Parallel()
	for _, row := range referenceTable(t, "| constraint | version text | satisfied |") {
		c, err := tagfilter.ParseConstraint(row[0])
		if err != nil {
			t.Fatalf("%s: %v", row[0], err)
		}
		if got, want := c.Check(row[1]), row[2] == "yes"; got != want {
			t.Errorf("constraint %q on %q: %v; the page says %s", row[0], row[1], got, row[2])
		}
	}
}

func TestReferenceShapes(t *testing.T) {
	t.Parallel()
	for _, row := range referenceTable(t, "| tag | shape | same shape as |") {
		if got := tagfilter.Shape(row[0]); got != row[1] {
			t.Errorf("Shape(%q) = %q; the page says %q", row[0], got, row[1])
		}
		if got := tagfilter.Shape(row[2]); got != row[1] {
			t.Errorf("Shape(%q) = %q; the page says it has the shape of %q, %q", row[2], got, row[0], row[1])
		}
	}
}

func TestReferenceUpdateKinds(t *testing.T) {
	t.Parallel()
	for f, row := range filterTable(t, "| filter | current | newest | update_kind |") {
		kind, err := f.Update(row[1], row[2])
		if err != nil {
			t.Fatalf("%s: %v", row[0], err)
		}
		if string(kind) != row[3] {
			t.Errorf("%s: update from %q to %q is %q; the page says %q", row[0], row[1], row[2], kind, row[3])
		}
	}
}

// TestReferenceErrors checks the error messages the page quotes, one per
// line of its last code block that starts with `filter "`.
func TestReferenceErrors(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(referencePage)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(page), "\n") {
		if !strings.HasPrefix(line, `filter "`) {
			continue
		}
		n++
		// The filter is the text between the first `"` and the `"` that
		// ends it: the one before " at column" or before ":".
		rest := strings.TrimPrefix(line, `filter "`)
		end := strings.Index(rest, `" at column`)
		if end < 0 {
			end = strings.Index(rest, `":`)
		}
		if end < 0 {
			t.Fatalf("cannot find the filter in %q", line)
		}
		_, err := tagfilter.Parse(rest[:end])
		if err == nil || err.Error() != line {
			t.Errorf("Parse(%q) = %v; the page says %q", rest[:end], err, line)
		}
	}
	if n == 0 {
		t.Fatalf("%s quotes no error", referencePage)
	}
}
