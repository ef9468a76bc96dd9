package api

import "testing"

// TestUncleanJSONText: the path of the first string, key or value, with a NUL, an
// invalid UTF-8 byte or a lone surrogate, however deep; proper escapes and surrogate
// pairs are clean.
func TestUncleanJSONText(t *testing.T) {
	for _, tc := range []struct {
		body, path string
		bad        bool
	}{
		{`{"a": "x", "b": 1}`, "", false},
		{`{"a": "\ud83d\ude00 \u00f1 ñ"}`, "", false},
		{`{"a": "\\u0000 \\ud800"}`, "", false},
		{`{"a": "\u0000"}`, "a", true},
		{`{"a": [1, {"b": "x"}, {"c": "y\u0000"}]}`, "a[2].c", true},
		{`{"a": {"b": [[], ["ok", "\ud800"]]}}`, "a.b[1][1]", true},
		{`{"a": "\udc00"}`, "a", true},
		{`{"a": "\ud83d\u0041"}`, "a", true},
		{`{"a": "\ud83d"}`, "a", true},
		{"{\"a\": \"x\xffy\"}", "a", true},
		{"{\"k\xff\": 1}", "k\uFFFD", true}, // named as decoded
		{`{"x": {"y": 1}, "z": [true, null, "\u0000"]}`, "z[2]", true},
	} {
		path, bad := uncleanJSONText([]byte(tc.body))
		if bad != tc.bad || path != tc.path {
			t.Errorf("%s: %q %v, want %q %v", tc.body, path, bad, tc.path, tc.bad)
		}
	}
}
