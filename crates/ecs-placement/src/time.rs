//! Instants in UTC with millisecond precision, parsed from the forms CQL and the AWS CLI/API use.
//!
//! No calendar crate: the civil-date arithmetic is the classic days-from-civil algorithm.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

/// The earliest instant the format writes: 0000-01-01T00:00:00Z.
pub const MIN: Timestamp = Timestamp(-62_167_219_200_000);
/// The latest instant the format writes: 9999-12-31T23:59:59.999Z (years have four digits).
pub const MAX: Timestamp = Timestamp(253_402_300_799_999);

impl Timestamp {
    /// The instant if it lies between [`MIN`] and [`MAX`], the range whose text form
    /// (`YYYY-MM-DDThh:mm:ss[.mmm]Z`) reads back to the same instant.
    pub fn checked(millis: i64) -> Option<Timestamp> {
        (MIN.0..=MAX.0).contains(&millis).then_some(Timestamp(millis))
    }

    /// Parses the CQL `registeredAt` forms (decision D6): `YYYY-MM-DD` (midnight UTC),
    /// `YYYY-MM-DDThh:mm:ss` (UTC), optionally with fractional seconds, and with `Z` or `+hh:mm`.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let (date, rest) = text.split_at_checked(10)?;
        let days = parse_date(date)?;
        if rest.is_empty() {
            return Timestamp::checked(days * MILLIS_PER_DAY);
        }
        let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
        let (clock, offset) = split_offset(rest)?;
        let millis = parse_clock(clock)?;
        Timestamp::checked(days * MILLIS_PER_DAY + millis - offset)
    }

    /// Seconds since the epoch (the AWS API's JSON form, e.g. `1525981339.218`).
    pub fn from_epoch_seconds(seconds: f64) -> Option<Timestamp> {
        let millis = (seconds * 1000.0).round();
        let in_range = millis.is_finite() && (MIN.0 as f64..=MAX.0 as f64).contains(&millis);
        in_range.then_some(Timestamp(millis as i64))
    }
}

const MILLIS_PER_DAY: i64 = 86_400_000;

fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_date(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || parts.next().is_some() {
        return None;
    }
    let (year, month, day) = (digits(y)?, digits(m)?, digits(d)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Splits `hh:mm:ss[.fff](Z|+hh:mm|-hh:mm)?` into the clock part and the offset in millis.
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((clock, 0));
    }
    match rest.rfind(['+', '-']) {
        Some(index) => {
            let (clock, offset) = rest.split_at(index);
            Some((clock, parse_offset(offset)?))
        }
        None => Some((rest, 0)),
    }
}

fn parse_offset(offset: &str) -> Option<i64> {
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let body = offset.get(1..)?;
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if body.len() == 4 => body.split_at(2),
        None => (body, "00"),
    };
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (hours, minutes) = (digits(h)?, digits(m)?);
    (hours <= 23 && minutes <= 59).then_some(sign * (hours * 60 + minutes) * 60_000)
}

fn parse_clock(clock: &str) -> Option<i64> {
    let (whole, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = whole.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if h.len() != 2 || m.len() != 2 || s.len() != 2 || parts.next().is_some() {
        return None;
    }
    let (hours, minutes, seconds) = (digits(h)?, digits(m)?, digits(s)?);
    if hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    let millis = match fraction {
        "" if !clock.contains('.') => 0,
        f => {
            digits(f)?;
            let padded: String = f.chars().chain("000".chars()).take(3).collect();
            digits(&padded)?
        }
    };
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    /// `YYYY-MM-DDThh:mm:ssZ`, with `.mmm` when the instant has milliseconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(MILLIS_PER_DAY);
        let millis_of_day = self.0.rem_euclid(MILLIS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let seconds = millis_of_day / 1000;
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        write!(f, "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}")?;
        match millis_of_day % 1000 {
            0 => f.write_str("Z"),
            ms => write!(f, ".{ms:03}Z"),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    /// Accepts an ISO-8601 string (the AWS CLI's form) or epoch seconds (the API's JSON form).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let invalid = |what: &str| {
            serde::de::Error::custom(format!(
                "invalid timestamp {what}: expected ISO 8601 like 2018-06-18T22:28:28Z or epoch seconds, between the years 0000 and 9999 (UTC)"
            ))
        };
        match deserializer.deserialize_any(RawVisitor)? {
            Raw::Seconds(seconds) => {
                Timestamp::from_epoch_seconds(seconds).ok_or_else(|| invalid(&crate::json::float::display(seconds)))
            }
            Raw::Text(text) => Timestamp::parse(&text).ok_or_else(|| invalid(&format!("`{text}`"))),
        }
    }
}

/// A timestamp as given: epoch seconds or text.
enum Raw {
    Seconds(f64),
    Text(String),
}

/// Reads a [`Raw`] as `#[serde(untagged)]` would (a number, else a string, else "data did not
/// match any variant of untagged enum Raw"), without buffering the value as serde's `Content`.
struct RawVisitor;

impl RawVisitor {
    fn no_variant<T, E: serde::de::Error>(self) -> Result<T, E> {
        Err(E::custom("data did not match any variant of untagged enum Raw"))
    }
}

impl<'de> serde::de::Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("epoch seconds or an ISO 8601 string")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Seconds(v as f64))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Seconds(v as f64))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Seconds(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Text(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Text(v))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Raw, E> {
        self.no_variant()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Raw, E> {
        self.no_variant()
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Raw, E> {
        self.no_variant()
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Raw, A::Error> {
        self.no_variant()
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Raw, A::Error> {
        self.no_variant()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the reader says of a value at `at`: the timestamp's text or the error and its path.
    fn read_at<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, (String, String)> {
        crate::json::typed::from_value(serde_json::json!({ "at": value })).map_err(|e| (e.path, e.message))
    }

    /// The hand-written visitor reads what the `#[serde(untagged)]` enum it replaced read, with
    /// the same message at the same path for what neither variant takes.
    #[test]
    fn reads_what_an_untagged_enum_reads() {
        #[derive(Deserialize)]
        #[serde(untagged)]
        #[allow(dead_code)]
        enum Raw {
            Seconds(f64),
            Text(String),
        }
        #[derive(Deserialize)]
        struct Untagged {
            #[allow(dead_code)]
            at: Raw,
        }
        #[derive(Deserialize)]
        struct Ours {
            #[allow(dead_code)]
            at: Timestamp,
        }
        for value in [
            serde_json::json!(1_529_360_908),
            serde_json::json!(-5),
            serde_json::json!(1.5),
            serde_json::json!(1e13),
            serde_json::json!("2018-06-18"),
            serde_json::json!("yesterday"),
            serde_json::json!(true),
            serde_json::json!(null),
            serde_json::json!([1]),
            serde_json::json!({"seconds": 1}),
        ] {
            let ours = read_at::<Ours>(value.clone());
            match read_at::<Untagged>(value.clone()) {
                Ok(_) => assert!(
                    ours.as_ref()
                        .err()
                        .is_none_or(|(_, message)| message.starts_with("invalid timestamp")),
                    "{value}"
                ),
                Err(untagged) => assert_eq!(ours.err(), Some(untagged), "{value}"),
            }
        }
        let error = read_at::<Ours>(serde_json::json!(1e13)).err();
        assert_eq!(
            error.map(|(path, message)| (path, message.split(':').next().map(str::to_string))),
            Some(("at".to_string(), Some("invalid timestamp 10000000000000".to_string())))
        );
    }

    #[test]
    fn documented_forms_agree() {
        let a = Timestamp::parse("2018-06-18T22:28:28+00:00").unwrap();
        assert_eq!(Timestamp::parse("2018-06-18T22:28:28Z"), Some(a));
        assert_eq!(Timestamp::parse("2018-06-18T22:28:28"), Some(a));
        assert_eq!(a.to_string(), "2018-06-18T22:28:28Z");
        assert_eq!(
            Timestamp::parse("2018-06-18").unwrap().to_string(),
            "2018-06-18T00:00:00Z"
        );
    }

    #[test]
    fn offsets_and_fractions() {
        let t = Timestamp::parse("2018-05-10T12:42:19.218000-07:00").unwrap();
        assert_eq!(t.to_string(), "2018-05-10T19:42:19.218Z");
        assert_eq!(
            Timestamp::from_epoch_seconds(1525981339.218),
            Some(Timestamp(1_525_981_339_218))
        );
        assert_eq!(Timestamp(1_525_981_339_218).to_string(), "2018-05-10T19:42:19.218Z");
    }

    #[test]
    fn rejects_nonsense() {
        for text in [
            "2018-02-30",
            "2018-13-01",
            "18-01-01",
            "2018-01-01T25:00:00",
            "2018-01-01Tnoon",
            "",
            "2018-01-01T10:00:00+5",
        ] {
            assert_eq!(Timestamp::parse(text), None, "{text}");
        }
    }

    #[test]
    fn only_instants_the_format_can_write_are_read() {
        for text in ["9999-12-31T23:59:59-05:00", "0000-01-01T00:00:00+00:01"] {
            assert_eq!(Timestamp::parse(text), None, "{text}");
        }
        assert_eq!(Timestamp::parse("9999-12-31T23:59:59.999Z"), Some(MAX));
        assert_eq!(Timestamp::parse("0000-01-01"), Some(MIN));
        assert_eq!(MIN.to_string(), "0000-01-01T00:00:00Z");
        assert_eq!(MAX.to_string(), "9999-12-31T23:59:59.999Z");
        for seconds in [1e13, -62_167_219_201.0, f64::NAN, f64::INFINITY] {
            assert_eq!(Timestamp::from_epoch_seconds(seconds), None, "{seconds}");
        }
    }

    #[test]
    fn round_trips_through_days() {
        for days in [-800_000, -1, 0, 1, 17_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
