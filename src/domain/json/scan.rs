//! Byte scanning 8 bytes at a time.
//!
//! At opt-level "z" a byte loop is a compare and a bounds check per byte; reading 8 bytes as one
//! `u64` and testing them together skips plain runs several times faster (wasm has 64-bit
//! integers). Callers skip whole words that cannot hold what they look for, then finish byte by
//! byte, so results are exactly those of the plain byte loop.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The 8 bytes of `b` at `i` as a little-endian word (`None` when fewer are left).
#[inline(always)]
pub(crate) fn word_at(b: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = b.get(i..i.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each byte of `w` below `n` (`n` ≤ 128). Exact for the lowest such byte (the
/// first in memory); bytes above it may be flagged too, so only the lowest flag is to be read
/// ([`first_flagged`]).
#[inline(always)]
pub(crate) fn bytes_below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS
}

/// The high bit of each byte of `w` equal to `c` (same caveat as [`bytes_below`]).
#[inline(always)]
pub(crate) fn bytes_equal(w: u64, c: u8) -> u64 {
    bytes_below(w ^ (ONES * u64::from(c)), 1)
}

/// The position (0–7) of the first byte flagged in a non-zero mask of [`bytes_below`] /
/// [`bytes_equal`] (or of several, or-ed).
#[inline(always)]
pub(crate) fn first_flagged(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The offset of the first `c` in `b` at or after `i`.
#[inline]
pub(crate) fn find_byte(b: &[u8], mut i: usize, c: u8) -> Option<usize> {
    while let Some(w) = word_at(b, i) {
        let m = bytes_equal(w, c);
        if m != 0 {
            return Some(i + first_flagged(m));
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&x| x == c).map(|p| i + p)
}

/// `a == b` for short byte strings (keys, keywords): a plain loop, where `==` on slices is three
/// nested calls ending in `memcmp` at opt-level "z".
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod word_tests {
    use super::{bytes_below, bytes_equal, find_byte, first_flagged, word_at};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn word_tests_agree_with_bytes(b in prop::collection::vec(any::<u8>(), 0..40), c in any::<u8>(), n in 0u8..=128, i in 0usize..40) {
            if let Some(w) = word_at(&b, i) {
                let bytes = &b[i..i + 8];
                prop_assert_eq!(bytes_equal(w, c) != 0, bytes.contains(&c));
                prop_assert_eq!(bytes_below(w, n) != 0, bytes.iter().any(|&x| x < n));
            } else {
                prop_assert!(i + 8 > b.len());
            }
            let first = b.iter().skip(i.min(b.len())).position(|&x| x == c).map(|p| p + i.min(b.len()));
            prop_assert_eq!(find_byte(&b, i.min(b.len()), c), first);
            prop_assert_eq!(super::same_bytes(&b, &b[i.min(b.len())..]), i.min(b.len()) == 0);
            if let Some(w) = word_at(&b, i) {
                let bytes = &b[i..i + 8];
                let m = bytes_below(w, n) | bytes_equal(w, c);
                let want = bytes.iter().position(|&x| x < n || x == c);
                prop_assert_eq!((m != 0).then(|| first_flagged(m)), want);
            }
        }
    }
}
