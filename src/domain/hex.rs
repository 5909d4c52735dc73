//! Hexadecimal digits, the crate's one copy: webhook signatures (`sha256=<hex>`), content
//! hashes, percent-encoding and decoding, JSON `\u` escapes.

/// The value of one hex digit (either case), or `None`.
pub(crate) fn value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The lowercase hex digit of the low 4 bits of `n`.
pub(crate) fn digit(n: u8) -> char {
    char::from(
        b"0123456789abcdef"
            .get(usize::from(n & 0x0f))
            .copied()
            .unwrap_or(b'0'),
    )
}

/// Appends `b` as two lowercase hex digits.
pub(crate) fn push_byte(out: &mut String, b: u8) {
    out.push(digit(b >> 4));
    out.push(digit(b));
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_byte_round_trips() {
        for b in 0..=255u8 {
            let mut s = String::new();
            super::push_byte(&mut s, b);
            assert_eq!(s, format!("{b:02x}"));
            let [hi, lo] = s.as_bytes() else { panic!() };
            assert_eq!(
                super::value(*hi).zip(super::value(*lo)),
                Some((b >> 4, b & 0x0f))
            );
            assert_eq!(super::value(hi.to_ascii_uppercase()), Some(b >> 4));
        }
        assert_eq!(super::value(b'g'), None);
    }
}
