//! The one seeded random number generator (decision D18): xoshiro256** seeded through SplitMix64.
//! Implemented here, not taken from a crate, so that the same seed gives the same placements on
//! every platform (native and wasm) and in every future version of the playground.

/// A deterministic random number generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: [u64; 4],
}

/// One step of SplitMix64, also used to derive IDs from a seed and a counter.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        let mut s = seed;
        Rng {
            state: [
                splitmix64(&mut s),
                splitmix64(&mut s),
                splitmix64(&mut s),
                splitmix64(&mut s),
            ],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// A uniform integer in `0..n` (Lemire's method, unbiased); 0 when `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(n);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }
}

/// 32 lowercase hex characters derived from a seed and a sequence number (task IDs).
pub fn hex_id(seed: u64, sequence: u64) -> String {
    let mut id = String::with_capacity(32);
    push_hex(&mut id, id_bits(seed, sequence));
    id
}

/// Appends `bits` as 32 lowercase hex digits (what `format!("{bits:032x}")` writes, without the
/// formatting machinery: a service's scale-out writes an ID per task in its events). The 16
/// pairs are copied into a buffer checked once and appended at once: about 190 instructions,
/// where 16 appends of two digits took about 400 (callgrind, the C1M-like bench's events).
pub fn push_hex(out: &mut String, bits: u128) {
    let mut digits = [b'0'; 32];
    for (pair, byte) in digits.chunks_exact_mut(2).zip(bits.to_be_bytes()) {
        let at = 2 * usize::from(byte);
        if let Some(hex) = HEX_PAIRS.as_bytes().get(at..at + 2) {
            pair.copy_from_slice(hex);
        }
    }
    out.push_str(std::str::from_utf8(&digits).unwrap_or_default());
}

/// "000102...feff": the two hex digits of every byte, at twice the byte. Computed by the
/// compiler: an index out of range would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
const HEX_PAIRS: &str = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    const BYTES: [u8; 512] = {
        let mut bytes = [0u8; 512];
        let mut byte = 0;
        while byte < 256 {
            bytes[2 * byte] = DIGITS[byte >> 4];
            bytes[2 * byte + 1] = DIGITS[byte & 0xf];
            byte += 1;
        }
        bytes
    };
    match std::str::from_utf8(&BYTES) {
        Ok(pairs) => pairs,
        Err(_) => "",
    }
};

/// The odd multiplier that spreads sequence numbers over the ID space.
const SEQUENCE_MULTIPLIER: u64 = 0xD6E8_FEB8_6659_FD93;
/// SplitMix64's increment.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The 128 bits [`hex_id`] writes in hex.
pub fn id_bits(seed: u64, sequence: u64) -> u128 {
    let mut state = seed ^ sequence.wrapping_mul(SEQUENCE_MULTIPLIER);
    let high = splitmix64(&mut state);
    let low = splitmix64(&mut state);
    (u128::from(high) << 64) | u128::from(low)
}

/// The sequence number whose ID is `bits` under `seed` (`id_bits(seed, n) == bits`), if any.
/// [`id_bits`] is one-to-one in the sequence number and can be undone: its high half is
/// SplitMix64's output, whose mixing is a bijection, for a state made of the sequence number by
/// an odd multiplication and an exclusive or; the low half is then checked.
pub fn sequence_of(seed: u64, bits: u128) -> Option<u64> {
    let high = (bits >> 64) as u64;
    let state = unmix(high).wrapping_sub(GOLDEN_GAMMA);
    let sequence = (state ^ seed).wrapping_mul(inverse_of_odd(SEQUENCE_MULTIPLIER));
    (id_bits(seed, sequence) == bits).then_some(sequence)
}

/// The inverse of SplitMix64's output mixing (what [`splitmix64`] does after the addition).
fn unmix(mut z: u64) -> u64 {
    z = undo_shift_xor(z, 31);
    z = z.wrapping_mul(inverse_of_odd(0x94D0_49BB_1331_11EB));
    z = undo_shift_xor(z, 27);
    z = z.wrapping_mul(inverse_of_odd(0xBF58_476D_1CE4_E5B9));
    undo_shift_xor(z, 30)
}

/// `x` from `x ^ (x >> shift)` (`shift` > 0).
fn undo_shift_xor(y: u64, shift: u32) -> u64 {
    let mut x = y;
    let mut done = shift;
    while done < 64 {
        x = y ^ (x >> shift);
        done += shift;
    }
    x
}

/// The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration: each step
/// doubles the correct low bits; an odd number is its own inverse to 3 bits).
const fn inverse_of_odd(odd: u64) -> u64 {
    let mut inverse = odd;
    let mut step = 0;
    while step < 5 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(odd.wrapping_mul(inverse)));
        step += 1;
    }
    inverse
}

/// The bits of an ID [`hex_id`] could have written (32 lowercase hex characters), else `None`.
/// Read as two halves of 16 digits: two independent 64-bit chains instead of one through
/// 128-bit shifts (every call's setup reads the ID of every task of the scenario).
pub fn parse_hex_id(id: &str) -> Option<u128> {
    if id.len() != 32 {
        return None;
    }
    let (high, low) = id.as_bytes().split_at(16);
    Some(u128::from(parse_hex_u64(high)?) << 64 | u128::from(parse_hex_u64(low)?))
}

/// Up to 16 lowercase hex digits as a number.
fn parse_hex_u64(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |bits, &b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        Some(bits << 4 | u64::from(digit))
    })
}

/// An EC2 instance ID (`i-` and 17 hex characters) derived from a seed and a sequence number,
/// for instances the playground creates.
pub fn ec2_instance_id(seed: u64, sequence: u64) -> String {
    let digits: String = hex_id(seed, sequence).chars().take(17).collect();
    format!("i-{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_hex_writes_what_format_writes() {
        for bits in [0u128, 1, 0xabc, u128::MAX, id_bits(42, 7), id_bits(0, u64::MAX)] {
            let mut out = String::from("prefix/");
            push_hex(&mut out, bits);
            assert_eq!(out, format!("prefix/{bits:032x}"));
        }
    }

    #[test]
    fn an_id_gives_back_its_sequence_number_under_its_seed_only() {
        for seed in [0, 1, 42, 0xDEAD_BEEF, u64::MAX] {
            for sequence in [0, 1, 2, 999, 1 << 40, u64::MAX - 1, u64::MAX] {
                let bits = id_bits(seed, sequence);
                assert_eq!(
                    sequence_of(seed, bits),
                    Some(sequence),
                    "seed {seed}, sequence {sequence}"
                );
                assert_ne!(
                    sequence_of(seed ^ 1, bits),
                    Some(sequence),
                    "another seed, another number"
                );
                assert_eq!(sequence_of(seed, bits ^ 1), None, "another low half");
            }
        }
        assert_eq!(sequence_of(7, 0), None);
        assert_eq!(inverse_of_odd(SEQUENCE_MULTIPLIER).wrapping_mul(SEQUENCE_MULTIPLIER), 1);
        let mut state = 12345;
        let out = splitmix64(&mut state);
        assert_eq!(unmix(out), state, "the mixing undone");
    }

    #[test]
    fn hex_ids_read_back_as_their_bits() {
        for sequence in [0, 1, 41, u64::MAX] {
            let id = hex_id(7, sequence);
            assert_eq!(id.len(), 32);
            assert_eq!(parse_hex_id(&id), Some(id_bits(7, sequence)));
        }
        assert_eq!(
            parse_hex_id("ABCDEF0123456789abcdef0123456789"),
            None,
            "upper case is not ours"
        );
        assert_eq!(parse_hex_id("abc"), None);
        let one = format!("{:032x}", 1u128);
        assert_eq!(parse_hex_id(&one), Some(1));
        let halves = "0123456789abcdef00000000000000ff";
        assert_eq!(parse_hex_id(halves), Some(0x0123_4567_89ab_cdef_u128 << 64 | 0xff));
        assert_eq!(
            parse_hex_id("0123456789abcdef000000000000000g"),
            None,
            "a bad digit at the end"
        );
        assert_eq!(
            parse_hex_id("0123456789abcdé00000000000000ff"),
            None,
            "32 bytes, not digits"
        );
    }

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(43).next_u64(), xs[0]);
    }

    #[test]
    fn known_values_pin_the_algorithm() {
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 11_091_344_671_253_066_420);
        assert_eq!(hex_id(42, 0), hex_id(42, 0));
        assert_ne!(hex_id(42, 0), hex_id(42, 1));
        assert_eq!(hex_id(42, 7).len(), 32);
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut rng = Rng::new(7);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[rng.below(3) as usize] += 1;
        }
        assert!(counts.iter().all(|c| (9_000..11_000).contains(c)), "{counts:?}");
        assert_eq!(rng.below(0), 0);
    }
}
