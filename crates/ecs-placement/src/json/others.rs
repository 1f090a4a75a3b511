//! Objects that keep the keys their type does not know, without serde's `flatten`.
//!
//! `#[serde(flatten)]` on a `Map<String, Value>` buffers every unknown entry as serde's private
//! `Content` and reads the map back from it: a second deserializer compiled into the WebAssembly
//! module for the task definition's six structs. [`KeepOthers`] gives the type's derived reader
//! only the keys it names (the `fields` serde passes to `deserialize_struct`) and reads every
//! other entry as a [`Value`] into a map, in the order given, straight from the underlying
//! deserializer: the same values, the same messages and paths for the known fields.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Wraps `inner` so that a derived struct reader sees only its own fields; the others land in
/// `others`.
pub struct KeepOthers<'a, D> {
    inner: D,
    others: &'a mut Map<String, Value>,
}

impl<'a, D> KeepOthers<'a, D> {
    /// Reads from `inner`, keeping the entries the type does not name in `others`.
    pub fn new(inner: D, others: &'a mut Map<String, Value>) -> Self {
        KeepOthers { inner, others }
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeepOthers<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_struct("", &[], visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // A map, as `flatten` reads it (an array is not a struct with unknown keys).
        self.inner.deserialize_map(OthersVisitor {
            visitor,
            fields,
            others: self.others,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// The type's visitor, given the entries of its fields only.
struct OthersVisitor<'a, V> {
    visitor: V,
    fields: &'static [&'static str],
    others: &'a mut Map<String, Value>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for OthersVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(formatter)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Others {
            map,
            fields: self.fields,
            others: self.others,
        })
    }
}

/// The entries of an object: those of the type's fields passed on, the others kept.
struct Others<'a, A> {
    map: A,
    fields: &'static [&'static str],
    others: &'a mut Map<String, Value>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Others<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<String>()? {
            if self.fields.contains(&key.as_str()) {
                let key: de::value::StringDeserializer<A::Error> = key.into_deserializer();
                return seed.deserialize(key).map(Some);
            }
            let value: Value = self.map.next_value()?;
            self.others.insert(key, value);
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::typed::from_value;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    /// Reads as `flatten` does.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Flattened {
        #[serde(default)]
        name: String,
        #[serde(default)]
        host_port: Option<u16>,
        #[serde(flatten)]
        other: Map<String, Value>,
    }

    /// Reads through [`KeepOthers`].
    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase", remote = "Self")]
    struct Kept {
        #[serde(default)]
        name: String,
        #[serde(default)]
        host_port: Option<u16>,
        #[serde(flatten, skip_deserializing)]
        other: Map<String, Value>,
    }

    impl<'de> Deserialize<'de> for Kept {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut other = Map::new();
            let mut read = Kept::deserialize(KeepOthers::new(deserializer, &mut other))?;
            read.other = other;
            Ok(read)
        }
    }

    #[test]
    fn keeps_what_flatten_keeps_and_fails_where_it_fails() {
        for value in [
            json!({"name": "web", "z": 1, "hostPort": 80, "a": {"b": [1.5, null, -2]}, "name2": "x"}),
            json!({}),
            json!({"hostPort": 70000, "z": 1}),
            json!({"hostPort": "80"}),
            json!({"name": 1}),
            json!([]),
            json!("text"),
            json!(null),
        ] {
            let flattened = from_value::<Vec<Flattened>>(json!([value.clone()]));
            let kept = from_value::<Vec<Kept>>(json!([value.clone()]));
            match (flattened, kept) {
                (Ok(flattened), Ok(kept)) => {
                    let (Some(flattened), Some(kept)) = (flattened.first(), kept.first()) else {
                        panic!("one item");
                    };
                    assert_eq!((&flattened.name, flattened.host_port), (&kept.name, kept.host_port));
                    assert_eq!(
                        flattened.other.iter().collect::<Vec<_>>(),
                        kept.other.iter().collect::<Vec<_>>(),
                        "{value}"
                    );
                }
                (Err(flattened), Err(kept)) => {
                    assert_eq!(flattened.path, kept.path, "{value}");
                    assert_eq!(flattened.message.replace("Flattened", "Kept"), kept.message, "{value}");
                }
                (flattened, kept) => panic!("{value}: {flattened:?} against {kept:?}"),
            }
        }
    }
}
