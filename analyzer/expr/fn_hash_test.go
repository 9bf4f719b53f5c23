package expr

import "testing"

// TestHashVectors reproduces every test vector of §2.3 of the ARM notes.
func TestHashVectors(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"uniqueString('asd', 'asdf', 'asdf')", `"iizpqit7ih3cc"`},
		{"uniqueString('snap', 'crackle', 'pop')", `"byghxckddilkc"`},
		{"uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000', 'resource-id')", `"cwvxuqg24sifi"`},
		{"uniqueString('test')", `"rbgf3xv4ufgzg"`},
		{"uniqueString('hello', 'world')", `"a7wkljktk6wne"`},
		{"guid('asdf')", `"228d27cc-6fdb-5934-b7ac-1efccebade04"`},
		{"guid('foo', 'bar', 'baz')", `"2ed86837-7c7c-5eaa-9864-dd077fd19b0d"`},
		// Case-sensitive.
		{"equals(guid('A'), guid('a'))", `false`},
	})
}

func TestHashTails(t *testing.T) {
	// Every tail length 0..8 hashes without panicking and gives 13
	// characters of the base32 alphabet; distinct inputs differ.
	seen := map[string]bool{}
	for n := range 18 {
		s := UniqueString(string(make([]byte, n)) + "\xff\xfe\xfd")
		if len(s) != 13 || seen[s] {
			t.Errorf("UniqueString of length %d: %q", n+3, s)
		}
		seen[s] = true
	}
}
