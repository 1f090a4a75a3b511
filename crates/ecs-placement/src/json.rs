//! JSON output the way the AWS CLI prints it: 4-space indentation, non-ASCII kept as is.

use serde::Serialize;

/// Serializes `value` with 4-space indentation (the AWS CLI's `--output json` layout).
pub fn to_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    match value.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\": \"{e}\"}}"),
    }
}
