// Package template reads Azure Resource Manager (ARM) JSON files and builds
// the model the rest of armlint works on.
//
// Reading is lenient in exactly the ways ARM is: UTF-8 with or without BOM
// and UTF-16 with BOM are decoded to UTF-8; // and /* */ comments, trailing
// commas before } and ], and raw control characters (line breaks) inside
// strings are accepted. Everything else must be strict JSON (RFC 8259).
// One pass validates the text and builds the tree; every byte offset of the
// tree is an offset of File.Src, and File maps offsets to line and column
// (columns count code points). Clean gives the same text with comments and
// trailing commas blanked, for strict JSON readers.
//
// The pipeline is:
//
//	Load / ReadFile  bytes → *File (Src, comments, *Value tree, Kind; the line
//	                 table is built on first use)
//	Parse            *File → *Template (parameters, sections, flattened resources,
//	                 inline nested deployments)
//	ParseParameters  *File → parameter values of a deploymentParameters file
//
// Errors are *SyntaxError values that carry a byte offset and its position.
// Files are immutable once loaded and safe for concurrent readers.
package template
