//! Decimal text read as an `f64`: what `str::parse::<f64>` accepts and the double it gives (the
//! nearest one, ties to even), without the standard library's reader. That reader brings a table
//! of 651 powers of five as 128-bit numbers (10.4 KB of data that gzip barely shrinks) into the
//! WebAssembly module; this one computes with big integers instead, after a fast path for short
//! numbers.

use std::cmp::Ordering;

/// Significant digits kept exactly: a value halfway between two doubles has at most 767, so a
/// longer number is rounded the same once the digits after these are replaced by a single `1`
/// (when any of them is not zero).
const KEPT_DIGITS: usize = 800;

/// `text.parse::<f64>().ok()`: an optional sign, then `inf`, `infinity` or `nan` (any case), or
/// digits with an optional decimal point (at least one digit) and an optional exponent (`e` or
/// `E`, an optional sign, digits). `None` for anything else.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        let (whole, fraction, exponent) = read_number(body)?;
        short(whole, fraction, exponent).unwrap_or_else(|| {
            let (digits, exponent) = significant_digits(whole, fraction, exponent);
            nearest(&digits, exponent)
        })
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The digits of `body` before and after its decimal point, and the power of ten they are
/// multiplied by (its exponent less the digits after the point); `None` when `body` is not a
/// number.
fn read_number(body: &str) -> Option<(&str, &str, i64)> {
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, read_exponent(exponent)?),
        None => (body, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let exponent = exponent.saturating_sub(i64::try_from(fraction.len()).unwrap_or(i64::MAX));
    Some((whole, fraction, exponent))
}

/// A number of at most 15 significant digits and a power of ten within 10^±22, without
/// allocating: both are exact doubles, so one multiplication or division rounds as the exact
/// value does. `None` for any other number.
fn short(whole: &str, fraction: &str, exponent: i64) -> Option<f64> {
    let mut significant = 0;
    let mut value = 0.0;
    for digit in whole.bytes().chain(fraction.bytes()).map(|b| b - b'0') {
        if significant == 0 && digit == 0 {
            continue;
        }
        significant += 1;
        if significant > 15 {
            return None;
        }
        value = value * 10.0 + f64::from(digit);
    }
    if significant == 0 {
        return Some(0.0);
    }
    if !(-22..=22).contains(&exponent) {
        return None;
    }
    let scale = (0..exponent.abs()).fold(1.0, |scale, _| scale * 10.0);
    Some(if exponent < 0 { value / scale } else { value * scale })
}

/// The significant digits of a number (leading zeros left out; past [`KEPT_DIGITS`], a `1` for
/// whatever is not zero) and the power of ten they are multiplied by.
fn significant_digits(whole: &str, fraction: &str, exponent: i64) -> (Vec<u8>, i64) {
    let mut digits = Vec::new();
    let mut exponent = exponent;
    let mut dropped_non_zero = false;
    for digit in whole.bytes().chain(fraction.bytes()).map(|b| b - b'0') {
        if digits.len() < KEPT_DIGITS {
            if digit != 0 || !digits.is_empty() {
                digits.push(digit);
            }
        } else {
            exponent = exponent.saturating_add(1);
            dropped_non_zero |= digit != 0;
        }
    }
    if dropped_non_zero {
        digits.push(1);
        exponent = exponent.saturating_sub(1);
    }
    (digits, exponent)
}

/// An exponent's value (`-12`, `+3`, `007`), saturating far beyond any double's range.
fn read_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = digits
        .bytes()
        .fold(0_i64, |value, b| (value * 10 + i64::from(b - b'0')).min(1 << 40));
    Some(if negative { -value } else { value })
}

/// The double nearest to `digits` × 10^`exponent` (ties to even).
fn nearest(digits: &[u8], exponent: i64) -> f64 {
    let Ok(count) = i64::try_from(digits.len()) else {
        return f64::INFINITY;
    };
    if digits.is_empty() || count + exponent < -326 {
        // Below 10^-327: nearer to zero than to the smallest subnormal (4.9e-324).
        return 0.0;
    }
    if count + exponent > 310 {
        // At least 10^310, beyond the largest double (1.8e308).
        return f64::INFINITY;
    }
    let mut value = vec![0_u32];
    for &digit in digits {
        mul_add(&mut value, 10, u32::from(digit));
    }
    if exponent >= 0 {
        for _ in 0..exponent {
            mul_add(&mut value, 10, 0);
        }
        ratio(value, vec![1])
    } else {
        ratio(value, ten_to(exponent.unsigned_abs()))
    }
}

/// The double nearest to `numerator / denominator` (both above zero).
fn ratio(numerator: Vec<u32>, denominator: Vec<u32>) -> f64 {
    // The power of two at or below the value: 2^binary <= value < 2^(binary + 1).
    let guess = i64::from(bit_length(&numerator)) - i64::from(bit_length(&denominator));
    let reaches_guess = if guess >= 0 {
        compare(&numerator, &shifted(&denominator, guess.unsigned_abs())) != Ordering::Less
    } else {
        compare(&shifted(&numerator, guess.unsigned_abs()), &denominator) != Ordering::Less
    };
    let binary = if reaches_guess { guess } else { guess - 1 };
    if binary > 1023 {
        return f64::INFINITY;
    }
    // The quotient counts units of the result's last place: 53 bits for a normal double, units
    // of 2^-1074 for a subnormal one.
    let subnormal = binary < -1022;
    let scale = if subnormal { 1074 } else { 52 - binary };
    let (mut remainder, divisor) = if scale >= 0 {
        (shifted(&numerator, scale.unsigned_abs()), denominator)
    } else {
        (numerator, shifted(&denominator, scale.unsigned_abs()))
    };
    let mut quotient: u64 = 0;
    for bit in (0..54).rev() {
        let part = shifted(&divisor, bit);
        if compare(&remainder, &part) != Ordering::Less {
            subtract(&mut remainder, &part);
            quotient |= 1 << bit;
        }
    }
    quotient += match compare(&shifted(&remainder, 1), &divisor) {
        Ordering::Greater => 1,
        Ordering::Equal => quotient & 1,
        Ordering::Less => 0,
    };
    if subnormal {
        // A subnormal's bits are its units; rounded up to 2^52 it is the smallest normal double.
        return f64::from_bits(quotient);
    }
    let (quotient, binary) = if quotient == 1 << 53 {
        (quotient >> 1, binary + 1)
    } else {
        (quotient, binary)
    };
    match u64::try_from(binary + 1023) {
        Ok(biased) if biased < 2047 => f64::from_bits(biased << 52 | (quotient & ((1 << 52) - 1))),
        _ => f64::INFINITY,
    }
}

/// 10^`power` as a big integer (32-bit limbs, least significant first).
fn ten_to(power: u64) -> Vec<u32> {
    let mut value = vec![1_u32];
    for _ in 0..power {
        mul_add(&mut value, 10, 0);
    }
    value
}

/// `value` = `value` × `factor` + `add`.
fn mul_add(value: &mut Vec<u32>, factor: u32, add: u32) {
    let mut carry = u64::from(add);
    for limb in value.iter_mut() {
        let product = u64::from(*limb) * u64::from(factor) + carry;
        *limb = product as u32;
        carry = product >> 32;
    }
    if carry > 0 {
        value.push(carry as u32);
    }
    trim(value);
}

/// `value` × 2^`bits`.
fn shifted(value: &[u32], bits: u64) -> Vec<u32> {
    let limbs = usize::try_from(bits / 32).unwrap_or(usize::MAX);
    let within = bits % 32;
    let mut result = vec![0_u32; limbs];
    let mut carry = 0_u32;
    for &limb in value {
        let wide = u64::from(limb) << within;
        result.push(wide as u32 | carry);
        carry = (wide >> 32) as u32;
    }
    result.push(carry);
    trim(&mut result);
    result
}

/// `value` -= `other` (not more than `value`).
fn subtract(value: &mut Vec<u32>, other: &[u32]) {
    let mut borrow = 0_i64;
    for (slot, &limb) in value.iter_mut().zip(other.iter().chain(std::iter::repeat(&0))) {
        let difference = i64::from(*slot) - i64::from(limb) - borrow;
        *slot = difference.rem_euclid(1 << 32) as u32;
        borrow = i64::from(difference < 0);
    }
    trim(value);
}

/// The order of two big integers without leading zero limbs.
fn compare(a: &[u32], b: &[u32]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// How many bits `value` takes (0 for zero).
fn bit_length(value: &[u32]) -> u32 {
    match value.last() {
        Some(&top) => (value.len() as u32 - 1) * 32 + (32 - top.leading_zeros()),
        None => 0,
    }
}

/// Drops leading zero limbs (zero is no limbs).
fn trim(value: &mut Vec<u32>) {
    while value.last() == Some(&0) {
        value.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn assert_like_rust(text: &str) {
        let ours = parse_f64(text).map(f64::to_bits);
        let rust = text.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(ours, rust, "{text}");
    }

    #[test]
    fn reads_what_rust_reads() {
        for text in [
            "0",
            "-0",
            "+0",
            "1",
            "-1.5",
            ".5",
            "5.",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "007",
            "0.000",
            "inf",
            "-Infinity",
            "NaN",
            "-nan",
            "+inf",
            "1e400",
            "-1e400",
            "1e-400",
            "0e999999999999999999999",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "9007199254740993",
            "9007199254740992.5",
            "123456789012345678901234567890",
            "0.1",
            "0.3",
            "1e22",
            "1e23",
            "8.988465674311579e307",
            "",
            ".",
            "+",
            "-",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "1.2.3",
            " 1",
            "1 ",
            "1_0",
            "infinit",
            "infinityy",
            "nan1",
            "0x10",
            "--1",
            "+-1",
            "1e5.5",
            "١",
        ] {
            assert_like_rust(text);
        }
        let long = format!("0.{}1", "0".repeat(400));
        assert_like_rust(&long);
        let halfway = format!("9007199254740993{}", "0".repeat(900));
        assert_like_rust(&halfway);
        assert_like_rust(&format!("{halfway}1"));
        assert_like_rust(&format!("{}e-1000", "1".repeat(1200)));
        // Halfway between zero and the smallest subnormal, and just above it.
        assert_like_rust(&exact_midpoint(0.0, ""));
        assert_like_rust(&exact_midpoint(0.0, "1"));
    }

    proptest! {
        #[test]
        fn short_numbers_are_read_as_rust_reads_them(digits in "[0-9]{1,25}", point in 0_usize..26, exponent in -400_i32..400) {
            let point = point.min(digits.len());
            let text = format!("{}.{}e{exponent}", &digits[..point], &digits[point..]);
            assert_like_rust(&text);
            assert_like_rust(&digits);
        }

        #[test]
        fn doubles_and_their_neighbours_are_read_as_rust_reads_them(bits in 1_u64..0x7ff0_0000_0000_0000) {
            let value = f64::from_bits(bits);
            let next = f64::from_bits(bits + 1);
            assert_like_rust(&format!("{value:e}"));
            assert_like_rust(&format!("{value:.20e}"));
            // Exactly halfway to the next double, and just either side of it.
            let halfway = format!("{:.800e}", (value / 2.0) + (next / 2.0));
            assert_like_rust(&halfway);
            assert_like_rust(&exact_midpoint(value, ""));
            assert_like_rust(&exact_midpoint(value, "1"));
            assert_like_rust(&exact_midpoint(value, "-"));
        }

        #[test]
        fn any_text_of_number_characters_is_read_as_rust_reads_it(text in "[-+0-9.eE]{0,12}|[iInNfFaAtTyY]{0,9}") {
            assert_like_rust(&text);
        }
    }

    /// The exact decimal value halfway between `value` and the next double up, written with
    /// `tail`'s digits after its own (`1`: just above it), or less 1 in its last digit (`-`).
    fn exact_midpoint(value: f64, tail: &str) -> String {
        // m × 2^e with m odd-able: the midpoint is (2m + 1) × 2^(e - 1).
        let bits = value.to_bits();
        let exponent_bits = (bits >> 52) as i64;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exponent) = if exponent_bits == 0 {
            (fraction, -1074)
        } else {
            (fraction | 1 << 52, exponent_bits - 1075)
        };
        let odd = 2 * mantissa + 1;
        let binary = exponent - 1;
        // odd × 2^binary in decimal: for binary < 0, odd × 5^-binary × 10^binary.
        let mut number = vec![0_u32];
        for digit in odd.to_string().bytes() {
            mul_add(&mut number, 10, u32::from(digit - b'0'));
        }
        let exponent = if binary >= 0 {
            number = shifted(&number, binary as u64);
            0
        } else {
            for _ in 0..-binary {
                mul_add(&mut number, 5, 0);
            }
            binary
        };
        if tail == "-" {
            subtract(&mut number, &[1]);
            return format!("{}e{exponent}", to_decimal(&number));
        }
        format!("{}{tail}e{}", to_decimal(&number), exponent - tail.len() as i64)
    }

    fn to_decimal(value: &[u32]) -> String {
        let mut limbs = value.to_vec();
        let mut digits = Vec::new();
        while !limbs.is_empty() {
            let mut remainder = 0_u64;
            for limb in limbs.iter_mut().rev() {
                let current = (remainder << 32) | u64::from(*limb);
                *limb = (current / 10) as u32;
                remainder = current % 10;
            }
            trim(&mut limbs);
            digits.push(b'0' + remainder as u8);
        }
        digits.reverse();
        String::from_utf8(digits).unwrap()
    }
}
