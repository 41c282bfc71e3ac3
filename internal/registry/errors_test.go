package registry

import (
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

func TestSmallerPageSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		numbers []int
		n, want int
	}{
		{[]int{1000, 100}, 1000, 100},   // Quay: "requested limit 1000 is too high, max is 100"
		{[]int{1000}, 1000, 100},        // distribution: only the n refused
		{[]int{300}, 1000, 300},         // ECR: "less than or equal to 300"
		{nil, 10000, 100},               // nothing said
		{[]int{5, 50, 20000}, 1000, 50}, // the largest below
		{nil, 100, 0},                   // 100 refused: nothing smaller to ask
		{[]int{100}, 100, 0},
	} {
		if got := smallerPageSize(&transport.StatusError{Numbers: tt.numbers}, tt.n); got != tt.want {
			t.Errorf("smallerPageSize(%v, %d) = %d, want %d", tt.numbers, tt.n, got, tt.want)
		}
	}
}
