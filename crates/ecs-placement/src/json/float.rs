//! Floating-point numbers as text, the way Rust's `{}` and `{:e}` write them, from the shortest
//! round-trip digits `serde_json` already computes for its output.
//!
//! Rust's own float formatting (`core::fmt::float`: Grisu with a Dragon fallback, for shortest and
//! for fixed precision) is about 20 KB of the WebAssembly module, while `serde_json` carries its
//! own shortest-digits writer for every number it prints. Both give the shortest digits that
//! read back as the same `f64`; when two candidates are exactly as near, Rust writes the upper
//! one and `serde_json`'s writer may write the lower one, which [`Decimal::of`] corrects. The few
//! places that print a float (serde's "floating point `1.5`" messages, a timestamp out of range,
//! Python's `repr` of a float for `--output text`) lay those digits out themselves. The property
//! tests below check [`display`] against `{}` and [`Decimal`] against `{:e}` (Python's `repr`
//! starts from it).

/// A finite `f64` as its shortest round-trip decimal digits: the value is
/// `±0.DIGITS × 10^(point)`, written `±d.ddd × 10^(point - 1)` in scientific notation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    /// Whether the sign bit is set (also for `-0.0`).
    pub negative: bool,
    /// The significant digits, no leading or trailing zeros; `"0"` for zero.
    pub digits: String,
    /// Where the decimal point goes: the value is `0.DIGITS × 10^point` (`1` for zero).
    pub point: i32,
}

impl Decimal {
    /// The shortest digits of `value`; `None` when it is not finite.
    pub fn of(value: f64) -> Option<Decimal> {
        let number = serde_json::Number::from_f64(value)?;
        let decimal = Decimal::parse(&number.to_string(), value.is_sign_negative());
        Some(decimal.rounded_half_up(value.abs()))
    }

    /// When `magnitude` lies exactly halfway between two shortest candidates, Rust writes the
    /// upper one (`253090516139713.125` is `253090516139713.13`) where `serde_json`'s writer
    /// may give the lower one.
    fn rounded_half_up(mut self, magnitude: f64) -> Decimal {
        if self.digits == "0" {
            return self;
        }
        // The digits followed by a 5: at most 18 digits, which fit a `u64`.
        let halfway = format!("{}5", self.digits);
        let Ok(significand) = halfway.parse::<u64>() else {
            return self;
        };
        let count = i32::try_from(halfway.len()).unwrap_or(i32::MAX);
        if !equals_exactly(significand, self.point - count, magnitude) {
            return self;
        }
        let mut digits = self.digits.into_bytes();
        let mut carry = true;
        for digit in digits.iter_mut().rev() {
            if !carry {
                break;
            }
            carry = *digit == b'9';
            *digit = if carry { b'0' } else { *digit + 1 };
        }
        if carry {
            digits.insert(0, b'1');
            self.point += 1;
        }
        let text = String::from_utf8(digits).unwrap_or_default();
        self.digits = text.trim_end_matches('0').to_string();
        self
    }

    /// Reads a number as `serde_json` writes it (`1.5`, `-0.0`, `1e20`, `1.5e-7`).
    fn parse(text: &str, negative: bool) -> Decimal {
        let unsigned = text.trim_start_matches('-');
        let (mantissa, exponent) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
        let exponent: i32 = exponent.trim_start_matches('+').parse().unwrap_or(0);
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all: String = whole.chars().chain(fraction.chars()).collect();
        let leading = all.len() - all.trim_start_matches('0').len();
        let digits = all.trim_matches('0');
        if digits.is_empty() {
            return Decimal {
                negative,
                digits: "0".to_string(),
                point: 1,
            };
        }
        let whole_len = i32::try_from(whole.len()).unwrap_or(i32::MAX);
        let leading = i32::try_from(leading).unwrap_or(i32::MAX);
        Decimal {
            negative,
            digits: digits.to_string(),
            point: whole_len - leading + exponent,
        }
    }

    /// `-` for a negative value (and `-0.0`), else nothing.
    pub fn sign(&self) -> &'static str {
        if self.negative { "-" } else { "" }
    }

    /// The power of ten of the first digit, as scientific notation writes it (`0` for zero).
    pub fn exponent(&self) -> i32 {
        if self.digits == "0" { 0 } else { self.point - 1 }
    }
}

/// `value` as Rust's `{}` writes it: positional notation, never an exponent (`1e20` is
/// `100000000000000000000`, `1e-7` is `0.0000001`); `NaN`, `inf`, `-inf`.
pub fn display(value: f64) -> String {
    let Some(decimal) = Decimal::of(value) else {
        return non_finite(value);
    };
    let sign = decimal.sign();
    let digits = decimal.digits.as_str();
    if decimal.digits == "0" {
        return format!("{sign}0");
    }
    let point = decimal.point;
    let count = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if point <= 0 {
        let zeros = "0".repeat(point.unsigned_abs() as usize);
        format!("{sign}0.{zeros}{digits}")
    } else if point >= count {
        let zeros = "0".repeat((point - count).unsigned_abs() as usize);
        format!("{sign}{digits}{zeros}")
    } else {
        let (whole, fraction) = digits.split_at(point.unsigned_abs() as usize);
        format!("{sign}{whole}.{fraction}")
    }
}

/// Whether `significand × 10^exponent` is exactly the positive finite `magnitude`: both sides
/// as an odd number times a power of two, the power of five moved to the side it divides.
fn equals_exactly(significand: u64, exponent: i32, magnitude: f64) -> bool {
    let bits = magnitude.to_bits();
    let fraction = bits & ((1 << 52) - 1);
    let biased = i32::try_from(bits >> 52).unwrap_or(0);
    let (mantissa, binary) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if mantissa == 0 || significand == 0 {
        return false;
    }
    let (odd_decimal, twos_decimal) = odd_part(significand);
    let (odd_binary, twos_binary) = odd_part(mantissa);
    let Some(fives) = 5_u128.checked_pow(exponent.unsigned_abs()) else {
        return false;
    };
    if exponent >= 0 {
        u128::from(odd_decimal).checked_mul(fives) == Some(u128::from(odd_binary))
            && twos_decimal + exponent == twos_binary + binary
    } else {
        u128::from(odd_binary).checked_mul(fives) == Some(u128::from(odd_decimal))
            && twos_decimal == twos_binary + binary - exponent
    }
}

/// `n` as an odd number and the power of two it was multiplied by.
fn odd_part(n: u64) -> (u64, i32) {
    let twos = n.trailing_zeros();
    (n >> twos, i32::try_from(twos).unwrap_or(0))
}

fn non_finite(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value > 0.0 {
        "inf".to_string()
    } else {
        "-inf".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `value` as Rust's `{:e}` writes it: `1e0`, `1.5e-7`, `-1.2345e3`; `NaN`, `inf`, `-inf`.
    fn lower_exp(value: f64) -> String {
        let Some(decimal) = Decimal::of(value) else {
            return non_finite(value);
        };
        let sign = decimal.sign();
        let (first, rest) = decimal.digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{sign}{first}{dot}{rest}e{}", decimal.exponent())
    }

    fn assert_like_rust(value: f64) {
        assert_eq!(display(value), format!("{value}"), "{{}} of {value:e}");
        assert_eq!(lower_exp(value), format!("{value:e}"), "{{:e}} of {value:e}");
    }

    #[test]
    fn writes_what_rust_writes() {
        for value in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1.5,
            0.1,
            0.3,
            1e-7,
            1.5e-7,
            1e15,
            1e16,
            1e20,
            1e21,
            1e22,
            123_456_789.0,
            1_234.567_8,
            -62_167_219_201.0,
            1e13,
            9_007_199_254_740_993.0,
            // Exactly halfway between ...713.12 and ...713.13.
            253_090_516_139_713.13,
            -253_090_516_139_713.13,
            0.125,
            2.5,
            1e23,
            0.300_000_000_000_000_04,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            -5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_like_rust(value);
        }
    }

    proptest! {
        #[test]
        fn any_bit_pattern_is_written_as_rust_writes_it(bits in any::<u64>()) {
            assert_like_rust(f64::from_bits(bits));
        }

        /// Where two shortest candidates can be equally near: 16 and 17 digits, binary steps of
        /// a few hundredths up to a few tens.
        #[test]
        fn halfway_values_are_written_as_rust_writes_them(n in 1_u64 << 50..1 << 53, power in -8_i32..12) {
            assert_like_rust(n as f64 * 2_f64.powi(power));
        }

        #[test]
        fn short_decimals_are_written_as_rust_writes_them(mantissa in -1_000_000_i64..1_000_000, exponent in -30_i32..30) {
            let value: f64 = format!("{mantissa}e{exponent}").parse().unwrap_or_default();
            assert_like_rust(value);
        }
    }
}
