//! Compact JSON text, byte for byte what `serde_json::to_string` writes, with less code per type;
//! and indented text, byte for byte what `serde_json`'s `PrettyFormatter` writes (one writer for
//! both: `serde_json`'s pretty writer stays out of the WebAssembly module).
//!
//! `serde_json`'s writer compiles a struct field's or an array item's whole framing (the comma,
//! the escaped key, the colon) once per value type; here the framing is in non-generic
//! functions, compiled once, and each type costs only the call of its own `Serialize` code. The
//! scalars (strings, floats, integers) are still written by `serde_json`, so their text (escapes,
//! shortest float digits, `null` for a non-finite float) is its own.

use serde::Serialize;
use serde::ser;
use std::fmt::Display;

/// Writes `value` as compact JSON text: what `serde_json::to_string(value)` returns.
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    to_text_indented(value, "")
}

/// Writes `value` as JSON text indented by `indent` for each level: what `serde_json` writes
/// with `PrettyFormatter::with_indent(indent)`; compact (as [`to_text`]) when `indent` is empty.
pub fn to_text_indented<T: Serialize + ?Sized>(value: &T, indent: &'static str) -> Result<String, serde_json::Error> {
    let mut writer = Writer {
        out: Vec::new(),
        first: true,
        indent,
        depth: 0,
    };
    value.serialize(&mut writer)?;
    into_string(writer.out)
}

/// `value` as compact JSON text: what its `Display` (`value.to_string()`) writes. Through this
/// writer, `serde_json`'s compact and pretty `Display` of a `Value` stay out of the WebAssembly
/// module.
pub fn compact(value: &serde_json::Value) -> String {
    // A `Value`'s keys are strings and its text UTF-8: writing it cannot fail.
    to_text(value).unwrap_or_default()
}

/// The text written: it is UTF-8, every piece written is (the error is never seen; its message
/// is fixed, to leave the standard library's UTF-8 error messages out of the module).
#[inline(never)]
fn into_string(out: Vec<u8>) -> Result<String, serde_json::Error> {
    String::from_utf8(out).map_err(|_| ser::Error::custom("the JSON text written is not UTF-8"))
}

/// The text written so far, and whether the object or array being written has no entry or item
/// yet (one flag is enough: closing a nested value leaves its parent with at least one); the
/// indentation of one level (empty: compact text) and how many levels are open.
struct Writer {
    out: Vec<u8>,
    first: bool,
    indent: &'static str,
    depth: usize,
}

/// The escape of each byte in a string, as `serde_json`'s table has it: 0 for none, `u` for
/// `\u00xx`, otherwise the letter after the backslash. One lookup per byte, as `serde_json`
/// writes strings.
static ESCAPE: [u8; 256] = {
    const UU: u8 = b'u';
    const BB: u8 = b'b';
    const TT: u8 = b't';
    const NN: u8 = b'n';
    const FF: u8 = b'f';
    const RR: u8 = b'r';
    const QU: u8 = b'"';
    const BS: u8 = b'\\';
    const __: u8 = 0;
    [
        //   1   2   3   4   5   6   7   8   9   A   B   C   D   E   F
        UU, UU, UU, UU, UU, UU, UU, UU, BB, TT, NN, UU, FF, RR, UU, UU, // 0
        UU, UU, UU, UU, UU, UU, UU, UU, UU, UU, UU, UU, UU, UU, UU, UU, // 1
        __, __, QU, __, __, __, __, __, __, __, __, __, __, __, __, __, // 2
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // 3
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // 4
        __, __, __, __, __, __, __, __, __, __, __, __, BS, __, __, __, // 5
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // 6
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // 7
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // 8
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // 9
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // A
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // B
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // C
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // D
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // E
        __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, // F
    ]
};

/// The digits of a `\u00xx` escape.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

// Writing into a `Vec<u8>` cannot fail, so the scalars' writers return nothing: `serde_json`
// fails only when its writer does (a non-finite float is written as `null`, not refused).
impl Writer {
    /// A scalar as `serde_json` writes it (floats, 128-bit integers, bytes: rare enough for the
    /// text to be written apart first; `serde_json` is built without `std`, so without its
    /// writer into an `io::Write`).
    #[inline(never)]
    fn scalar<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Ok(text) = serde_json::to_vec(value) {
            self.out.extend_from_slice(&text);
        }
    }

    /// A string as `serde_json` escapes it: `"` and `\` with a backslash, the control
    /// characters as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`, everything else as it is; the
    /// runs between escapes copied whole, as `serde_json` copies them.
    #[inline(never)]
    fn str(&mut self, value: &str) {
        self.out.push(b'"');
        let bytes = value.as_bytes();
        let mut start = 0;
        for (index, &byte) in bytes.iter().enumerate() {
            let escape = ESCAPE.get(usize::from(byte)).copied().unwrap_or(0);
            if escape == 0 {
                continue;
            }
            self.out.extend_from_slice(bytes.get(start..index).unwrap_or_default());
            start = index + 1;
            self.out.extend_from_slice(&[b'\\', escape]);
            if escape == b'u' {
                let digit = |d: u8| HEX_DIGITS.get(usize::from(d)).copied().unwrap_or(b'0');
                self.out
                    .extend_from_slice(&[b'0', b'0', digit(byte >> 4), digit(byte & 0xf)]);
            }
        }
        self.out.extend_from_slice(bytes.get(start..).unwrap_or_default());
        self.out.push(b'"');
    }

    #[inline(never)]
    fn u64(&mut self, value: u64) {
        self.out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    #[inline(never)]
    fn i64(&mut self, value: i64) {
        self.out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// Inlined: called for every comma, colon and bracket (not inlined, writing a 4 MB scenario
    /// took about 1.4 times as long as `serde_json`'s writer; inlined about as long, on a busy
    /// machine; 76 bytes more gzipped).
    #[inline]
    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Opens an object or an array (`open`: `{` or `[`).
    #[inline(never)]
    fn open(&mut self, open: &str) {
        self.raw(open);
        self.first = true;
        if self.indented() {
            self.depth += 1;
        }
    }

    /// Opens `{"variant":` and then `open`.
    #[inline(never)]
    fn open_variant(&mut self, variant: &str, open: &str) {
        self.open("{");
        self.field(variant);
        self.open(open);
    }

    /// Closes what [`Writer::open`] opened; indented text puts a closing bracket after entries
    /// or items on a line of its own.
    #[inline(never)]
    fn close(&mut self, close: &str) -> Result0 {
        if self.indented() {
            self.depth = self.depth.saturating_sub(1);
            if !self.first {
                self.indentation();
            }
        }
        self.raw(close);
        self.first = false;
        Ok(())
    }

    /// Closes what [`Writer::open_variant`] opened (`close`: `]` or `}`, then the variant's `}`).
    #[inline(never)]
    fn close_variant(&mut self, close: &str) -> Result0 {
        self.close(close)?;
        self.close("}")
    }

    /// Whether the text is indented. Tested inline where a comma, colon or bracket is written:
    /// compact text (every result the page reads) pays a test there, not a call.
    #[inline]
    fn indented(&self) -> bool {
        !self.indent.is_empty()
    }

    /// In indented text, a line break and the indentation of the open levels.
    #[inline]
    fn new_line(&mut self) {
        if self.indented() {
            self.indentation();
        }
    }

    /// A line break and the indentation of the open levels.
    #[inline(never)]
    fn indentation(&mut self) {
        self.raw("\n");
        for _ in 0..self.depth {
            self.raw(self.indent);
        }
    }

    /// The comma before every entry or item but the first (and in indented text, its line).
    #[inline(never)]
    fn next(&mut self) -> &mut Self {
        if !std::mem::replace(&mut self.first, false) {
            self.raw(",");
        }
        self.new_line();
        self
    }

    /// The colon after a key (and in indented text, a space). Inlined, as [`Writer::raw`] is.
    #[inline]
    fn colon(&mut self) {
        self.raw(":");
        if self.indented() {
            self.raw(" ");
        }
    }

    /// A struct field's key and its colon.
    #[inline(never)]
    fn field(&mut self, key: &str) -> &mut Self {
        self.next().str(key);
        self.colon();
        self
    }

    /// An item of an array.
    #[inline(never)]
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result0 {
        value.serialize(self.next())
    }

    /// A field of a struct.
    #[inline(never)]
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result0 {
        value.serialize(self.field(key))
    }

    /// After a map key written at `start`: a string stays, a number or a boolean is quoted (as
    /// `serde_json` quotes them), anything else is refused with `serde_json`'s message.
    #[inline(never)]
    fn check_key(&mut self, start: usize) -> Result0 {
        match self.out.get(start) {
            Some(b'"') => Ok(()),
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => {
                self.out.insert(start, b'"');
                self.out.push(b'"');
                Ok(())
            }
            _ => Err(ser::Error::custom("key must be a string")),
        }
    }
}

type Result0 = Result<(), serde_json::Error>;

/// The items of an array (also a tuple's).
struct Items<'w>(&'w mut Writer);

/// The entries of an object (a map's or a struct's).
struct Entries<'w>(&'w mut Writer);

/// The items of a tuple variant: `{"variant":[...]}`.
struct VariantItems<'w>(&'w mut Writer);

/// The fields of a struct variant: `{"variant":{...}}`.
struct VariantEntries<'w>(&'w mut Writer);

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Items<'w>;
    type SerializeTuple = Items<'w>;
    type SerializeTupleStruct = Items<'w>;
    type SerializeTupleVariant = VariantItems<'w>;
    type SerializeMap = Entries<'w>;
    type SerializeStruct = Entries<'w>;
    type SerializeStructVariant = VariantEntries<'w>;

    #[inline]
    fn serialize_bool(self, value: bool) -> Result0 {
        self.raw(if value { "true" } else { "false" });
        Ok(())
    }

    #[inline]
    fn serialize_i8(self, value: i8) -> Result0 {
        self.serialize_i64(value.into())
    }

    #[inline]
    fn serialize_i16(self, value: i16) -> Result0 {
        self.serialize_i64(value.into())
    }

    #[inline]
    fn serialize_i32(self, value: i32) -> Result0 {
        self.serialize_i64(value.into())
    }

    #[inline]
    fn serialize_i64(self, value: i64) -> Result0 {
        self.i64(value);
        Ok(())
    }

    #[inline]
    fn serialize_i128(self, value: i128) -> Result0 {
        self.scalar(&value);
        Ok(())
    }

    #[inline]
    fn serialize_u8(self, value: u8) -> Result0 {
        self.serialize_u64(value.into())
    }

    #[inline]
    fn serialize_u16(self, value: u16) -> Result0 {
        self.serialize_u64(value.into())
    }

    #[inline]
    fn serialize_u32(self, value: u32) -> Result0 {
        self.serialize_u64(value.into())
    }

    #[inline]
    fn serialize_u64(self, value: u64) -> Result0 {
        self.u64(value);
        Ok(())
    }

    #[inline]
    fn serialize_u128(self, value: u128) -> Result0 {
        self.scalar(&value);
        Ok(())
    }

    #[inline]
    fn serialize_f32(self, value: f32) -> Result0 {
        self.scalar(&value);
        Ok(())
    }

    #[inline]
    fn serialize_f64(self, value: f64) -> Result0 {
        self.scalar(&value);
        Ok(())
    }

    #[inline]
    fn serialize_char(self, value: char) -> Result0 {
        self.serialize_str(value.encode_utf8(&mut [0; 4]))
    }

    #[inline]
    fn serialize_str(self, value: &str) -> Result0 {
        self.str(value);
        Ok(())
    }

    #[inline]
    fn serialize_bytes(self, value: &[u8]) -> Result0 {
        self.scalar(value);
        Ok(())
    }

    #[inline]
    fn serialize_none(self) -> Result0 {
        self.serialize_unit()
    }

    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result0 {
        value.serialize(self)
    }

    #[inline]
    fn serialize_unit(self) -> Result0 {
        self.raw("null");
        Ok(())
    }

    #[inline]
    fn serialize_unit_struct(self, _name: &'static str) -> Result0 {
        self.serialize_unit()
    }

    #[inline]
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result0 {
        self.serialize_str(variant)
    }

    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result0 {
        value.serialize(self)
    }

    #[inline]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result0 {
        self.open("{");
        self.entry(variant, value)?;
        self.close("}")
    }

    #[inline]
    fn serialize_seq(self, _len: Option<usize>) -> Result<Items<'w>, serde_json::Error> {
        self.open("[");
        Ok(Items(self))
    }

    #[inline]
    fn serialize_tuple(self, len: usize) -> Result<Items<'w>, serde_json::Error> {
        self.serialize_seq(Some(len))
    }

    #[inline]
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Items<'w>, serde_json::Error> {
        self.serialize_seq(Some(len))
    }

    #[inline]
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantItems<'w>, serde_json::Error> {
        self.open_variant(variant, "[");
        Ok(VariantItems(self))
    }

    #[inline]
    fn serialize_map(self, _len: Option<usize>) -> Result<Entries<'w>, serde_json::Error> {
        self.open("{");
        Ok(Entries(self))
    }

    #[inline]
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Entries<'w>, serde_json::Error> {
        self.serialize_map(Some(len))
    }

    #[inline]
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantEntries<'w>, serde_json::Error> {
        self.open_variant(variant, "{");
        Ok(VariantEntries(self))
    }

    #[inline]
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result0 {
        self.serialize_str(&value.to_string())
    }
}

impl ser::SerializeSeq for Items<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result0 {
        self.0.item(value)
    }

    #[inline]
    fn end(self) -> Result0 {
        self.0.close("]")
    }
}

impl ser::SerializeTuple for Items<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result0 {
        self.0.item(value)
    }

    #[inline]
    fn end(self) -> Result0 {
        self.0.close("]")
    }
}

impl ser::SerializeTupleStruct for Items<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result0 {
        self.0.item(value)
    }

    #[inline]
    fn end(self) -> Result0 {
        self.0.close("]")
    }
}

impl ser::SerializeTupleVariant for VariantItems<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result0 {
        self.0.item(value)
    }

    #[inline]
    fn end(self) -> Result0 {
        self.0.close_variant("]")
    }
}

impl ser::SerializeMap for Entries<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    #[inline]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result0 {
        let writer = self.0.next();
        let start = writer.out.len();
        key.serialize(&mut *writer)?;
        writer.check_key(start)
    }

    #[inline]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result0 {
        self.0.colon();
        value.serialize(&mut *self.0)
    }

    #[inline]
    fn end(self) -> Result0 {
        self.0.close("}")
    }
}

impl ser::SerializeStruct for Entries<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result0 {
        self.0.entry(key, value)
    }

    #[inline]
    fn end(self) -> Result0 {
        self.0.close("}")
    }
}

impl ser::SerializeStructVariant for VariantEntries<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result0 {
        self.0.entry(key, value)
    }

    #[inline]
    fn end(self) -> Result0 {
        self.0.close_variant("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Record {
        name: String,
        count: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        maybe: Option<i64>,
        ratio: f64,
        small: f32,
        flags: Vec<bool>,
        by_number: BTreeMap<u16, String>,
        by_flag: BTreeMap<bool, u8>,
        kinds: Vec<Kind>,
        tagged: Tagged,
        pair: (char, i8),
        unit: (),
        wrapped: Wrapped,
        #[serde(flatten)]
        extra: BTreeMap<String, Value>,
    }

    #[derive(Serialize)]
    enum Kind {
        Unit,
        Newtype(u64),
        Tuple(i32, String),
        Struct { a: u8, b: Vec<String> },
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "lowercase")]
    enum Tagged {
        Plain { x: i16 },
        Inner(Inner),
    }

    #[derive(Serialize)]
    struct Inner {
        y: bool,
    }

    #[derive(Serialize)]
    struct Wrapped(Vec<u128>);

    fn record(name: String, ratio: f64) -> Record {
        Record {
            name,
            count: 7,
            note: None,
            maybe: Some(-3),
            ratio,
            small: 0.1,
            flags: vec![true, false],
            by_number: BTreeMap::from([(1, "one".to_string()), (20, "twenty".to_string())]),
            by_flag: BTreeMap::from([(false, 0), (true, 1)]),
            kinds: vec![
                Kind::Unit,
                Kind::Newtype(u64::MAX),
                Kind::Tuple(-1, "t".into()),
                Kind::Struct { a: 1, b: vec![] },
            ],
            tagged: Tagged::Inner(Inner { y: true }),
            pair: ('"', -8),
            unit: (),
            wrapped: Wrapped(vec![u128::MAX]),
            extra: BTreeMap::from([("z".to_string(), json!({"deep": [1.5, null, "\u{1}"], "e": {}}))]),
        }
    }

    /// Writes `value` both ways, compact and indented: both must succeed and agree.
    fn assert_same_text<T: Serialize>(value: &T) {
        let ours = to_text(value).expect("written");
        assert_eq!(ours, serde_json::to_string(value).expect("written"));
        for indent in ["    ", "  ", "\t"] {
            let ours = to_text_indented(value, indent).expect("written");
            assert_eq!(ours, pretty(value, indent), "indent {indent:?}");
        }
    }

    /// What `serde_json` writes with `PrettyFormatter::with_indent(indent)`.
    fn pretty<T: Serialize + ?Sized>(value: &T, indent: &str) -> String {
        let mut out = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
        value
            .serialize(&mut serde_json::Serializer::with_formatter(&mut out, formatter))
            .expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn writes_what_serde_json_writes() {
        assert_same_text(&record("a \"quoted\"\n\u{7f} é 😀 \\ line".to_string(), 1e300));
        for ratio in [f64::NAN, f64::INFINITY, -0.0, 0.1 + 0.2, 5e-324] {
            assert_same_text(&record(String::new(), ratio));
        }
        assert_same_text(&Tagged::Plain { x: -2 });
        let empty: Vec<Vec<Value>> = vec![vec![], vec![json!([])]];
        assert_same_text(&empty);
    }

    #[test]
    fn refuses_the_keys_serde_json_refuses() {
        let keyed_by_unit = BTreeMap::from([((), 1)]);
        let ours = to_text(&keyed_by_unit).expect_err("not a string key");
        let theirs = serde_json::to_string(&keyed_by_unit).expect_err("not a string key");
        assert_eq!(ours.to_string(), theirs.to_string());
        let keyed_by_option = BTreeMap::from([(None::<String>, 1)]);
        assert!(to_text(&keyed_by_option).is_err());
        assert_same_text(&BTreeMap::from([(Some("k".to_string()), 1)]));
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((".*", inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_value_is_written_as_serde_json_writes_it(value in any_value()) {
            prop_assert_eq!(to_text(&value).expect("written"), serde_json::to_string(&value).expect("written"));
        }

        #[test]
        fn any_json_value_is_indented_as_serde_json_indents_it(value in any_value()) {
            prop_assert_eq!(to_text_indented(&value, "    ").expect("written"), pretty(&value, "    "));
        }

        #[test]
        fn compact_is_what_a_values_display_writes(value in any_value()) {
            prop_assert_eq!(compact(&value), value.to_string());
        }

        #[test]
        fn control_characters_and_integers_are_written_as_serde_json_writes_them(
            text in "[\\x00-\\x7f]{0,40}",
            unsigned in any::<u64>(),
            signed in any::<i64>(),
        ) {
            let value = (text, unsigned, signed, u64::MAX, i64::MIN, 0_u8, -1_i32);
            prop_assert_eq!(to_text(&value).expect("written"), serde_json::to_string(&value).expect("written"));
        }

        #[test]
        fn any_string_and_float_are_written_as_serde_json_writes_them(text in ".*", float in any::<f64>()) {
            let value = record(text, float);
            prop_assert_eq!(to_text(&value).expect("written"), serde_json::to_string(&value).expect("written"));
        }
    }
}
