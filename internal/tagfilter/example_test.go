package tagfilter_test

import (
	"fmt"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

func ExampleParse() {
	f, err := tagfilter.Parse(`prefix("master-", number())`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f)
	fmt.Println(f.Sort([]string{"master-9", "master-10", "main-100"}))

	_, err = tagfilter.Parse("semver() x")
	fmt.Println(err)
	// Output:
	// prefix('master-', suffix=number())
	// [master-10 master-9]
	// filter "semver() x" at column 10: unexpected text after the closing ")"
}

func ExampleFilter_Select() {
	stable, err := tagfilter.ParseConstraint(">= 0")
	if err != nil {
		fmt.Println(err)
		return
	}
	tags := []string{"1.27.3", "1.27.4-alpine", "1.28.0-rc.1", "latest", "1.27.4"}
	s := tagfilter.Default().Select(tags, stable, 2)
	fmt.Println(s.Tag, s.Candidates, s.Kept, s.RejectedByFilter, s.RejectedByConstraint)
	// Output:
	// 1.27.4 [1.27.4 1.27.3] 2 1 2
}

func ExampleFilter_Update() {
	f := tagfilter.Default()
	for _, newest := range []string{"v1.30.0", "v1.29.1", "v1.29.0"} {
		kind, err := f.Update("v1.29.0", newest)
		fmt.Println(newest, kind, err)
	}
	// Output:
	// v1.30.0 minor <nil>
	// v1.29.1 patch <nil>
	// v1.29.0 none <nil>
}
