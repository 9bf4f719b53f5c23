// Package expr parses and evaluates ARM template expressions.
//
// Evaluation never guesses: a value is either Known (a JSON value) or
// explicitly Unknown, and an Unknown remembers the expression it stands
// for, why it could not be evaluated and, for runtime functions such as
// reference(), which resource and which property path it reads.
//
// # Functions
//
// Function names, parameter names and variable names are
// case-insensitive. The whole static catalogue of ARM JSON templates is
// evaluated, with the outputs of Microsoft's documented examples as table
// tests (docs_<family>_test.go):
//
//   - Array: array, concat, contains, createArray, empty, first, flatten,
//     indexFromEnd, indexOf, intersection, last, lastIndexOf, length, max,
//     min, range, skip, take, tryIndexFromEnd, union
//   - CIDR (IPv4 and IPv6): parseCidr, cidrSubnet, cidrHost
//   - Comparison: coalesce, equals, greater, greaterOrEquals, less,
//     lessOrEquals
//   - Date: dateTimeAdd, dateTimeFromEpoch, dateTimeToEpoch; utcNow is
//     unknown (marked MarkUtcNow, named after the parameter when it is a
//     parameter default)
//   - Deployment: parameters, variables, deployment, environment
//     (placeholder context, see Options); deployer is unknown
//   - Lambda: filter, map, reduce, sort, toObject, groupBy, mapValues,
//     lambda, lambdaVariables
//   - Logical: and, bool, false, if, not, or, true
//   - Numeric: add, copyIndex, div, float, int, max, min, mod, mul, sub
//   - Object: contains, createObject, empty, intersection, items, json,
//     length, null, objectKeys, shallowMerge, tryGet, union
//   - Resource IDs: resourceId, subscriptionResourceId, tenantResourceId,
//     extensionResourceId, managementGroupResourceId
//   - Scope: resourceGroup, subscription, managementGroup, tenant
//     (placeholder context)
//   - String: base64, base64ToJson, base64ToString, concat, contains,
//     dataUri, dataUriToString, empty, endsWith, first, format, guid,
//     indexOf, join, json, last, lastIndexOf, length, padLeft, replace,
//     skip, split, startsWith, string, substring, take, toLower, toUpper,
//     trim, uniqueString, uri, uriComponent, uriComponentToString; newGuid
//     is unknown (marked MarkNewGUID)
//   - Runtime reads, always unknown with a symbolic Ref: reference,
//     references, list*, resourceInfo, pickZones, providers
//
// # Unknown arguments
//
// An unknown argument makes the result unknown, except where the result
// cannot depend on it: if with a known condition evaluates only the
// chosen branch; and/or stop at a known deciding value; coalesce returns
// a known non-null value preceded only by known nulls; createArray,
// createObject, concat of arrays, union of objects, take, skip, first,
// last, length, empty and objectKeys work on containers with unknown
// elements; contains answers true when a known element or key matches
// and false only when nothing unknown could match; tryGet and
// tryIndexFromEnd read known parts of partly unknown values.
//
// # Known deviations from ARM
//
//   - String ordering in less/greater approximates .NET's culture-aware
//     comparison: letters compare case-insensitively first, then lower
//     case sorts before upper case; linguistic weights (ignored hyphens,
//     accents, ...) are not applied.
//   - format() supports the .NET specifiers D, N, F, X, G, E, P and
//     custom 0/#/./, number formats (invariant culture); other specifiers
//     (C, R, dates) make the call unknown rather than wrong.
//   - dateTimeAdd without a format renders the en-US general format of
//     the documented example ("4/7/2023 2:53:14 PM"); custom date formats
//     support yyyy, yy, MM, M, dd, d, HH, H, hh, h, mm, ss, tt, fff and
//     quoted literals, others make the call unknown.
//   - json() accepts what Newtonsoft accepts in practice (single quotes,
//     unquoted names, comments, trailing commas) but not every Newtonsoft
//     extension (NaN, Infinity, new Date(...)); numbers beyond int64
//     become floats.
//   - Lengths and positions count UTF-16 code units as .NET does; case
//     mapping (toLower, toUpper, case-insensitive search) uses Go's
//     Unicode tables, which may differ from .NET's invariant culture for
//     a few scripts.
//   - deployment(), environment(), subscription(), resourceGroup(),
//     managementGroup() and tenant() return placeholder values (§2.4 of
//     the ARM notes) unless Options give real ones; deployment()'s
//     templateLink.uri is unknown.
//   - The documented tryGet example's table says "Red" where its template
//     holds "red"; the evaluator returns "red".
package expr
