package tagfilter

import "strings"

// A sort key is a byte string whose bytewise order is the full order of the
// specification (steps 1 to 5). Sort and Select build one key per kept tag
// and compare keys with bytes.Compare only.
//
// Layout, for a version text split into numeric part and suffix:
//
//	step 1  number(c1) … number(cn)  keyEnd   components up to the last non-zero one
//	step 2  keyEmptySuffix                    when the suffix is empty, or
//	        keySuffix piece … piece keyEnd    when it is not (step 3)
//	step 4  length(number of components)
//	step 5  the tag, as is
//
// number(d) is length(len(d')) followed by d', where d' is d without leading
// zeros, so numbers of any length compare by value. Trailing zero components
// are left out of step 1, because a missing component counts as 0; keyEnd is
// lower than any length byte, so "the rest is all zeros" is older than any
// rest that holds a non-zero component. A digit piece is keyDigitPiece and
// number(d); any other piece is keyTextPiece, its bytes with 0x00 written as
// 0x00 0xff, and 0x00 0x01, so that a piece that is the start of another is
// older. keyEnd after the pieces makes a shorter piece list older. Every part
// is self-delimiting, so two keys that agree up to step 5 reach it at the same
// offset and the tags decide.
const (
	keyEnd         = 0x01
	keySuffix      = 0x02
	keyEmptySuffix = 0x03
	keyTextPiece   = 0x03
	keyDigitPiece  = 0x04

	// lengths below lenShortMax take one byte, lenShortBase+n; longer ones
	// take lenLongBase+k-1 followed by k big-endian bytes.
	lenShortBase = 0x10
	lenShortMax  = 0xe0
	lenLongBase  = 0xf0
)

// appendLength appends an order-preserving encoding of n >= 0.
func appendLength(dst []byte, n int) []byte {
	if n < lenShortMax {
		return append(dst, byte(lenShortBase+n)) //nolint:gosec // n < lenShortMax, so the sum fits a byte
	}
	k := 1
	for v := uint64(n) >> 8; v > 0; v >>= 8 {
		k++
	}
	dst = append(dst, byte(lenLongBase+k-1))
	for i := k - 1; i >= 0; i-- {
		dst = append(dst, byte(uint64(n)>>(8*i))) //nolint:gosec // one byte of n at a time, truncated on purpose
	}
	return dst
}

// appendNumber appends number(d) for a digit string d.
func appendNumber(dst []byte, d string) []byte {
	d = trimZeros(d)
	if len(d) < lenShortMax {
		dst = append(dst, byte(lenShortBase+len(d))) //nolint:gosec // len(d) < lenShortMax, so the sum fits a byte
	} else {
		dst = appendLength(dst, len(d))
	}
	return append(dst, d...)
}

// appendKey appends the sort key of a kept tag whose version text is text.
// It splits the text the way splitVersion, nextComponent and nextPiece do,
// in one pass.
func appendKey(dst []byte, text, tag string) []byte {
	s := stripV(text)

	// Step 1: the numeric part, up to its last non-zero component.
	end := len(dst)
	count := 0
	i := 0
	for i < len(s) && isDigit(s[i]) {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		count++
		dst = appendNumber(dst, s[i:j])
		if dst[len(dst)-1] != lenShortBase { // not zero
			end = len(dst)
		}
		i = j
		if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
			i++
		} else {
			break
		}
	}
	dst = append(dst[:end], keyEnd)

	// Steps 2 and 3.
	if suffix := s[i:]; suffix == "" {
		dst = append(dst, keyEmptySuffix)
	} else {
		dst = append(dst, keySuffix)
		for {
			var piece string
			var kind pieceKind
			piece, kind, suffix = nextPiece(suffix)
			if kind == 0 {
				break
			}
			if kind == pieceDigits {
				dst = append(dst, keyDigitPiece)
				dst = appendNumber(dst, piece)
				continue
			}
			dst = append(dst, keyTextPiece)
			if strings.IndexByte(piece, 0) < 0 {
				dst = append(dst, piece...)
			} else {
				for k := 0; k < len(piece); k++ {
					if piece[k] == 0 {
						dst = append(dst, 0x00, 0xff)
					} else {
						dst = append(dst, piece[k])
					}
				}
			}
			dst = append(dst, 0x00, 0x01)
		}
		dst = append(dst, keyEnd)
	}

	// Step 4.
	dst = appendLength(dst, count)

	// Step 5.
	return append(dst, tag...)
}
