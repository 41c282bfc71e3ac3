// Package tagfilter implements the filter language of registry_latest_tag:
// it decides which image tags count as versions, orders them, applies a
// version constraint to them and tells what kind of update one tag is over
// another.
//
// A filter is a single call:
//
//	semver()                              tags like 1.2.3 or v1.2.3, in loose version order
//	semver(allow_no_nums=true)            every tag, in loose version order
//	number()                              tags made of digits only, by numeric value
//	prefix('master-', suffix=number())    tags that start with a literal text, ordered by the rest
//	regex('(?P<version>\d+\.\d+)-alpine') tags the whole pattern matches, ordered by the version group
//
// Strings take single or double quotes and have no escapes. Arguments may be
// given by position or by name; positional ones come first.
//
// The loose version order compares the numeric parts (by value, missing
// components as zero), then prefers an empty suffix, then compares the
// suffixes piece by piece (digit runs by value and above every other piece),
// then prefers more numeric components and finally the greater tag byte by
// byte, so that the order is total and does not depend on the order of the
// input. Signature, attestation and SBOM tags written by cosign are never
// kept. The language, the order and the errors are the ones the provider
// documents for its filter argument; the table tests hold every example of
// that documentation.
//
// Sort and Select encode each kept tag once into a byte string whose
// bytewise order is the specified order, so that large tag lists are sorted
// with plain byte comparisons; Compare implements the same order directly
// from the specification and the tests hold the two to agreement.
//
// The package does no I/O and knows nothing of Terraform.
package tagfilter
