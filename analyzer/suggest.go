package analyzer

import (
	"fmt"
	"strings"
)

// DidYouMean returns `; did you mean "x"?` for the candidate closest to key
// (case-insensitive edit distance within about a quarter of key's length,
// ties to the smaller candidate), or "" when none is close.
func DidYouMean(key string, candidates []string) string {
	best, bestD := "", max(2, len(key)/4)+1
	lk := strings.ToLower(key)
	for _, c := range candidates {
		if d := editDistance(lk, strings.ToLower(c)); d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance returns the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
