//! [`Name`]: an identifier many records share (an instance's ARN, a task group, a task
//! definition's ARN), kept once and shared by reference count.
//!
//! A placed task records its instance's ARN, its group and its task definition, and the
//! placement and the per-task frame record the task's ARN and the instance's names again. As
//! `String`s every one of them was a copy; as `Name`s a copy is a reference-count increment,
//! so placing a task allocates only its own ARN. Reads as a `&str` (`Deref`), compares with
//! `str` and `String`, and is written to JSON as a plain string.
//!
//! A `Name` is one pointer (`arcstr::ArcStr`: the length is kept beside the text and the
//! count, not in the reference), half of an `Arc<str>`: an instance holds three names and a
//! task five, so the records are 24 and 40 bytes smaller (see `docs/performance.md`, "Memory").

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// A shared, immutable string (see the module documentation).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(arcstr::ArcStr);

impl Name {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Where the text lives: equal for the copies of one name (a key for what is worth
    /// computing once per name; valid while the name is held).
    pub(crate) fn address(&self) -> usize {
        self.0.as_ptr() as usize
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Self {
        Name(text.into())
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Self {
        Name(text.into())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Name::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn reads_compares_and_writes_as_a_string() {
        let name = Name::from("arn:aws:ecs:us-east-1:123456789012:task/default/1");
        let copy = name.clone();
        assert!(std::ptr::eq(name.as_str(), copy.as_str()), "a copy shares the text");
        assert_eq!(name, "arn:aws:ecs:us-east-1:123456789012:task/default/1");
        assert_eq!(name, "arn:aws:ecs:us-east-1:123456789012:task/default/1".to_string());
        assert!(name.starts_with("arn:"));
        assert_eq!(
            format!("{name}|{name:?}"),
            format!("{}|{:?}", name.as_str(), name.as_str())
        );
        let json = serde_json::to_string(&name).expect("a string");
        assert_eq!(json, "\"arn:aws:ecs:us-east-1:123456789012:task/default/1\"");
        let back: Name = serde_json::from_str(&json).expect("a string");
        assert_eq!(back, name);
        assert_eq!(Name::default(), "");
    }
}
