//! Typed values from JSON with the path of the first problem: `instances[2].registeredResources`.
//!
//! A deserializer over an owned [`Value`] that records where it is and, when a value does not fit
//! its type, where that was. It gives the messages `serde_json::from_value` gives and the paths
//! `serde_path_to_error` gives, in one layer: each type's `Deserialize` is compiled once for it,
//! where wrapping `serde_json`'s deserializer in a path tracker compiled every type's visitors
//! twice (a third of the WebAssembly module was deserialization).

use super::float;
use super::path::{Step, Track};
use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Expected, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Why a value did not fit its type, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedError {
    /// The JSON path of the value (`tasks[3].gpuIds`; `.` for the whole document).
    pub path: String,
    /// What did not fit, in serde's words (`invalid type: string "x", expected u32`).
    pub message: String,
}

impl fmt::Display for TypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What did not fit, as serde words it (`serde::de::value::Error`'s messages). serde's own
/// error types print a float in an "invalid type" message with Rust's float formatting; this one
/// prints it with [`float::display`], the same text without compiling that formatting into the
/// WebAssembly module.
#[derive(Debug)]
pub(crate) struct Error(Box<str>);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string().into_boxed_str())
    }

    #[cold]
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error(format!("invalid type: {}, expected {expected}", describe(unexpected)).into_boxed_str())
    }

    #[cold]
    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error(format!("invalid value: {}, expected {expected}", describe(unexpected)).into_boxed_str())
    }
}

/// What `Unexpected`'s `Display` writes (`floating point `1.5``, `string "x"`, `sequence`).
#[inline(never)]
fn describe(unexpected: Unexpected<'_>) -> String {
    match unexpected {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(i) => format!("integer `{i}`"),
        Unexpected::Signed(i) => format!("integer `{i}`"),
        Unexpected::Float(f) => {
            let text = float::display(f);
            // serde marks a finite float as one: `1.0`, not `1`.
            let point = if f.is_finite() && !text.contains('.') { ".0" } else { "" };
            format!("floating point `{text}{point}`")
        }
        Unexpected::Char(c) => format!("character `{c}`"),
        Unexpected::Str(s) => format!("string {s:?}"),
        Unexpected::Bytes(_) => "byte array".to_string(),
        Unexpected::Unit => "unit value".to_string(),
        Unexpected::Option => "Option value".to_string(),
        Unexpected::NewtypeStruct => "newtype struct".to_string(),
        Unexpected::Seq => "sequence".to_string(),
        Unexpected::Map => "map".to_string(),
        Unexpected::Enum => "enum".to_string(),
        Unexpected::UnitVariant => "unit variant".to_string(),
        Unexpected::NewtypeVariant => "newtype variant".to_string(),
        Unexpected::TupleVariant => "tuple variant".to_string(),
        Unexpected::StructVariant => "struct variant".to_string(),
        Unexpected::Other(other) => other.to_string(),
    }
}

/// Reads a `T` from `value`; on failure, the message and the path of the value that did not fit.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, TypedError> {
    let track = Track::default();
    T::deserialize(ValueDe { value, track: &track }).map_err(|e| typed_error(&track, &e))
}

/// The error of a failed read (not generic: compiled once, not once per type read).
#[inline(never)]
fn typed_error(track: &Track, error: &Error) -> TypedError {
    TypedError {
        path: failed_path(track),
        message: error.to_string(),
    }
}

/// The path of the first failure (`.` for the document itself).
fn failed_path(track: &Track) -> String {
    match track.failed() {
        Some(path) if !path.is_empty() => path,
        _ => ".".to_string(),
    }
}

/// Runs `read` one step further down, recording the path if it fails there first.
fn within<T>(track: &Track, step: Step, read: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    track.enter(step);
    let result = read();
    if result.is_err() {
        track.fail_here();
    }
    track.leave();
    result
}

/// How serde names a JSON value in "invalid type" messages.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => number_unexpected(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn number_unexpected(n: &Number) -> Unexpected<'static> {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => Unexpected::Unsigned(u),
        (None, Some(i)) => Unexpected::Signed(i),
        _ => Unexpected::Float(n.as_f64().unwrap_or_default()),
    }
}

fn invalid_type(value: &Value, expected: &dyn Expected) -> Error {
    de::Error::invalid_type(unexpected(value), expected)
}

/// A value and the reader's track.
struct ValueDe<'t> {
    value: Value,
    track: &'t Track,
}

impl<'t> ValueDe<'t> {
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let n = into_number(self.value, &visitor)?;
        visit_number(&n, visitor)
    }

    fn string<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let s = into_string(self.value, &visitor)?;
        visitor.visit_string(s)
    }

    fn seq<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut seq = enter_array(self.value, &visitor, self.track)?;
        read_seq(&mut seq, visitor)
    }

    fn object<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut map = enter_object(self.value, &visitor, self.track)?;
        read_map(&mut map, visitor)
    }
}

// Taking a value apart is not generic: the functions below are compiled once, and each type
// read costs only the call (its visitor is what the error says was expected).

/// The number `value` is, or the error of a value that is not one.
#[inline(never)]
fn into_number(value: Value, expected: &dyn Expected) -> Result<Number, Error> {
    match value {
        Value::Number(n) => Ok(n),
        other => Err(invalid_type(&other, expected)),
    }
}

/// The string `value` is, or the error of a value that is not one.
#[inline(never)]
fn into_string(value: Value, expected: &dyn Expected) -> Result<String, Error> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(invalid_type(&other, expected)),
    }
}

/// The items of the array `value` is, or the error of a value that is not one.
#[inline(never)]
fn into_array(value: Value, expected: &dyn Expected) -> Result<Vec<Value>, Error> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(invalid_type(&other, expected)),
    }
}

/// The entries of the object `value` is, or the error of a value that is not one.
#[inline(never)]
fn into_object(value: Value, expected: &dyn Expected) -> Result<Map<String, Value>, Error> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(invalid_type(&other, expected)),
    }
}

/// An enum's variant name and, unless it is a unit variant (a string), its content: the one
/// entry of an object.
#[inline(never)]
fn enum_parts(value: Value) -> Result<(String, Option<Value>), Error> {
    match value {
        Value::String(variant) => Ok((variant, None)),
        Value::Object(object) => {
            let mut entries = object.into_iter();
            match (entries.next(), entries.next()) {
                (Some((variant, value)), None) => Ok((variant, Some(value))),
                _ => Err(de::Error::invalid_value(Unexpected::Map, &"map with a single key")),
            }
        }
        other => Err(de::Error::invalid_type(unexpected(&other), &"string or map")),
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => visitor.visit_u64(u),
        (None, Some(i)) => visitor.visit_i64(i),
        _ => visitor.visit_f64(n.as_f64().unwrap_or_default()),
    }
}

// The functions generic over a visitor or a seed are compiled once per type read; what does not
// depend on the type (walking the entries, the path, the leftover check) is in non-generic
// methods, compiled once, so each type costs only its own `Deserialize` code.

fn visit_array<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V, track: &Track) -> Result<V::Value, Error> {
    read_seq(&mut SeqDe::new(items, track), visitor)
}

/// The items of the array `value` is, ready to be read, or the error of a value that is not one.
#[inline(never)]
fn enter_array<'t>(value: Value, expected: &dyn Expected, track: &'t Track) -> Result<SeqDe<'t>, Error> {
    into_array(value, expected).map(|items| SeqDe::new(items, track))
}

fn read_seq<'de, V: Visitor<'de>>(seq: &mut SeqDe<'_>, visitor: V) -> Result<V::Value, Error> {
    let value = visitor.visit_seq(&mut *seq)?;
    seq.finished()?;
    Ok(value)
}

fn visit_object<'de, V: Visitor<'de>>(
    object: Map<String, Value>,
    visitor: V,
    track: &Track,
) -> Result<V::Value, Error> {
    read_map(&mut MapDe::new(object, track), visitor)
}

/// The entries of the object `value` is, ready to be read, or the error of a value that is not
/// one.
#[inline(never)]
fn enter_object<'t>(value: Value, expected: &dyn Expected, track: &'t Track) -> Result<MapDe<'t>, Error> {
    into_object(value, expected).map(|object| MapDe::new(object, track))
}

fn read_map<'de, V: Visitor<'de>>(map: &mut MapDe<'_>, visitor: V) -> Result<V::Value, Error> {
    let value = visitor.visit_map(&mut *map)?;
    map.finished()?;
    Ok(value)
}

impl<'de> Deserializer<'de> for ValueDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => visit_number(&n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visit_array(items, visitor, self.track),
            Value::Object(object) => visit_object(object, visitor, self.track),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(b),
            other => Err(invalid_type(&other, &visitor)),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visit_array(items, visitor, self.track),
            other => Err(invalid_type(&other, &visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            other => Err(invalid_type(&other, &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.seq(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.object(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Only an object is a struct. `serde_json` would also read an array, field by field in
        // order; AWS refuses a list where it expects a structure, and so do we, which also
        // leaves every type's array reader out of the WebAssembly module.
        self.object(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (variant, value) = enum_parts(self.value)?;
        visitor.visit_enum(EnumDe {
            variant,
            value,
            track: self.track,
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The items of an array, each read one step further down (`[index]`).
struct SeqDe<'t> {
    items: std::vec::IntoIter<Value>,
    len: usize,
    index: usize,
    track: &'t Track,
}

impl<'t> SeqDe<'t> {
    #[inline(never)]
    fn new(items: Vec<Value>, track: &'t Track) -> Self {
        Self {
            len: items.len(),
            items: items.into_iter(),
            index: 0,
            track,
        }
    }

    /// The next item, with the reader one step down (`[index]`) to read it.
    #[inline(never)]
    fn enter_item(&mut self) -> Option<ValueDe<'t>> {
        let value = self.items.next()?;
        self.track.enter(Step::Index(self.index));
        self.index += 1;
        Some(ValueDe {
            value,
            track: self.track,
        })
    }

    /// Every item was read: a visitor that stops early leaves too many.
    #[inline(never)]
    fn finished(&self) -> Result<(), Error> {
        if self.items.len() == 0 {
            Ok(())
        } else {
            Err(de::Error::invalid_length(self.len, &"fewer elements in array"))
        }
    }
}

impl<'de> SeqAccess<'de> for SeqDe<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.enter_item() else {
            return Ok(None);
        };
        let read = seed.deserialize(item);
        self.track.leave_after(read.is_err());
        read.map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, each value read one step further down (`.key`).
struct MapDe<'t> {
    entries: <Map<String, Value> as IntoIterator>::IntoIter,
    len: usize,
    pending: Option<(String, Value)>,
    track: &'t Track,
}

impl<'t> MapDe<'t> {
    #[inline(never)]
    fn new(object: Map<String, Value>, track: &'t Track) -> Self {
        Self {
            len: object.len(),
            entries: object.into_iter(),
            pending: None,
            track,
        }
    }

    /// The next entry's key, with the reader one step down (`.key`) to read it; the entry's value
    /// waits for [`MapDe::enter_value`].
    #[inline(never)]
    fn enter_key(&mut self) -> Option<&str> {
        let (key, value) = self.entries.next()?;
        self.track.enter(Step::Key(key.clone()));
        let (key, _) = self.pending.insert((key, value));
        Some(key)
    }

    /// The value of the entry whose key was read, with the reader one step down to read it.
    #[inline(never)]
    fn enter_value(&mut self) -> Result<ValueDe<'t>, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a map value was read before its key"));
        };
        self.track.enter(Step::Key(key));
        Ok(ValueDe {
            value,
            track: self.track,
        })
    }

    /// Every entry was read: a visitor that stops early leaves too many.
    #[inline(never)]
    fn finished(&self) -> Result<(), Error> {
        if self.entries.len() == 0 {
            Ok(())
        } else {
            Err(de::Error::invalid_length(self.len, &"fewer elements in map"))
        }
    }
}

impl<'de> MapAccess<'de> for MapDe<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some(key) = self.enter_key() else {
            return Ok(None);
        };
        // A key that does not fit (an unknown field) is reported at its own path, as
        // `serde_path_to_error` reports it. The key is lent (`visit_str`): a type that keeps it
        // copies it, a struct's field names only compare it.
        let deserializer: StrDeserializer<'_, Error> = key.into_deserializer();
        let read = seed.deserialize(deserializer);
        self.track.leave_after(read.is_err());
        read.map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.enter_value()?;
        let read = seed.deserialize(value);
        self.track.leave_after(read.is_err());
        read
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum: its variant's name and, unless it is a unit variant, its content.
struct EnumDe<'t> {
    variant: String,
    value: Option<Value>,
    track: &'t Track,
}

impl<'de, 't> EnumAccess<'de> for EnumDe<'t> {
    type Error = Error;
    type Variant = VariantDe<'t>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, VariantDe<'t>), Error> {
        let deserializer: StrDeserializer<'_, Error> = self.variant.as_str().into_deserializer();
        let read = seed.deserialize(deserializer);
        if read.is_err() {
            self.track.fail_here();
        }
        let variant = VariantDe {
            name: self.variant,
            value: self.value,
            track: self.track,
        };
        read.map(|v| (v, variant))
    }
}

/// The content of an enum variant, read one step further down (`.Variant`).
struct VariantDe<'t> {
    name: String,
    value: Option<Value>,
    track: &'t Track,
}

impl<'de> VariantAccess<'de> for VariantDe<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let track = self.track;
        match self.value {
            Some(value) => within(track, Step::Key(self.name), || {
                seed.deserialize(ValueDe { value, track })
            }),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let track = self.track;
        match self.value {
            Some(Value::Array(items)) => within(track, Step::Key(self.name), || visit_array(items, visitor, track)),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"tuple variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        let track = self.track;
        match self.value {
            Some(Value::Object(object)) => within(track, Step::Key(self.name), || visit_object(object, visitor, track)),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"struct variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Instance {
        arn: String,
        cpu: u32,
        #[serde(default)]
        ports: Vec<u16>,
        #[serde(default)]
        attributes: BTreeMap<String, Option<String>>,
        #[serde(default)]
        status: Option<Status>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Status {
        Active,
        Draining,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Cluster {
        instances: Vec<Instance>,
    }

    fn read(value: Value) -> Result<Cluster, TypedError> {
        from_value(value)
    }

    /// The message `serde_json::from_value` gives and the path `serde_path_to_error` gives.
    fn assert_like_serde_json(value: Value, path: &str) {
        let ours = read(value.clone()).expect_err("invalid");
        let theirs = serde_json::from_value::<Cluster>(value).expect_err("invalid");
        assert_eq!(ours.message, theirs.to_string());
        assert_eq!(ours.path, path);
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let value = json!({"instances": [{"arn": "a", "cpu": 1024, "ports": [22], "attributes": {"x": null, "y": "1"}, "status": "DRAINING"}]});
        let cluster = read(value.clone()).expect("valid");
        assert_eq!(cluster, serde_json::from_value::<Cluster>(value).expect("valid"));
        assert_eq!(cluster.instances[0].status, Some(Status::Draining));
    }

    #[test]
    fn errors_name_the_value_that_did_not_fit() {
        assert_like_serde_json(json!({"instances": [{"arn": "a", "cpu": "lots"}]}), "instances[0].cpu");
        assert_like_serde_json(json!({"instances": [{"arn": "a", "cpu": -1}]}), "instances[0].cpu");
        assert_like_serde_json(
            json!({"instances": [{"arn": "a", "cpu": 1, "ports": [1, 70000]}]}),
            "instances[0].ports[1]",
        );
        assert_like_serde_json(
            json!({"instances": [{"arn": "a", "cpu": 1, "status": "GONE"}]}),
            "instances[0].status",
        );
        assert_like_serde_json(json!({"instances": [{"arn": "a"}]}), "instances[0]");
        assert_like_serde_json(
            json!({"instances": [{"arn": "a", "cpu": 1, "extra": 2}]}),
            "instances[0].extra",
        );
        assert_like_serde_json(json!({"instances": {}}), "instances");
    }

    /// The messages are `serde::de::value::Error`'s, floats written without Rust's float
    /// formatting.
    #[test]
    fn unexpected_values_are_described_as_serde_describes_them() {
        let floats = [
            1.5,
            1.0,
            -0.0,
            1e20,
            1e-7,
            253_090_516_139_713.13,
            f64::NAN,
            f64::INFINITY,
        ];
        let mut cases: Vec<Unexpected<'_>> = floats.into_iter().map(Unexpected::Float).collect();
        cases.extend([
            Unexpected::Bool(true),
            Unexpected::Unsigned(7),
            Unexpected::Signed(-7),
            Unexpected::Char('x'),
            Unexpected::Str("a \"quoted\"\nline"),
            Unexpected::Bytes(b"x"),
            Unexpected::Unit,
            Unexpected::Option,
            Unexpected::NewtypeStruct,
            Unexpected::Seq,
            Unexpected::Map,
            Unexpected::Enum,
            Unexpected::UnitVariant,
            Unexpected::NewtypeVariant,
            Unexpected::TupleVariant,
            Unexpected::StructVariant,
            Unexpected::Other("something else"),
        ]);
        for unexpected in cases {
            assert_eq!(describe(unexpected), unexpected.to_string());
            let ours: Error = de::Error::invalid_value(unexpected, &"a u32");
            let serdes: serde::de::value::Error = de::Error::invalid_value(unexpected, &"a u32");
            assert_eq!(ours.to_string(), serdes.to_string());
        }
        let error = read(json!({"instances": [{"arn": "a", "cpu": 2.5}]})).expect_err("a float");
        assert_eq!(error.message, "invalid type: floating point `2.5`, expected u32");
        assert_eq!(error.path, "instances[0].cpu");
    }

    /// A struct is read from an object only: `serde_json` would also read an array field by
    /// field, but AWS refuses a list where it expects a structure.
    #[test]
    fn an_array_is_not_a_struct() {
        let error = read(json!([])).expect_err("an array");
        assert_eq!(error.message, "invalid type: sequence, expected struct Cluster");
        assert_eq!(error.path, ".");
        let error = read(json!({"instances": [["a", 1024]]})).expect_err("an array");
        assert_eq!(error.message, "invalid type: sequence, expected struct Instance");
        assert_eq!(error.path, "instances[0]");
        assert!(serde_json::from_value::<Cluster>(json!({"instances": [["a", 1024]]})).is_ok());
    }
}
