//! [`TaskArn`]: a task's ARN, written out the first time something reads it.
//!
//! A task the engine places is numbered (see `engine/task_ids.rs`): its ARN is the cluster's
//! task ARN prefix followed by the 32 hex digits of its ID. Writing that text for every placed
//! task was a tenth of the engine's instructions on a million tasks, and an allocation per
//! task, though a run reads few of them (a response, a frame on show, an event). A numbered
//! `TaskArn` keeps the shared prefix and the ID's bits and writes the text when it is first
//! read, then keeps it. A task read from a scenario or a request keeps the text it was given.
//!
//! Reads as a `&str` (`Deref`), compares and hashes as its text, and is written to JSON as a
//! plain string: the same ARN whichever way it is kept.

use crate::Name;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::OnceLock;

/// A task's ARN (see the module documentation).
#[derive(Clone, Default)]
pub struct TaskArn {
    /// The text, once written (at once for an ARN given as text).
    text: OnceLock<Name>,
    /// For a numbered ARN: the prefix and the ID's bits the text is written from.
    numbered: Option<Numbered>,
}

/// The parts of a numbered ARN.
#[derive(Clone)]
struct Numbered {
    /// The cluster's task ARN prefix (`arn:…:task/CLUSTER/`), shared by the cluster's tasks.
    prefix: Name,
    /// The ID's high and low 64 bits (two words: 8-byte alignment keeps the ARN 40 bytes).
    bits: [u64; 2],
}

impl TaskArn {
    /// The ARN `prefix` followed by `bits` as 32 lowercase hex digits, written when first read.
    pub fn numbered(prefix: &Name, bits: u128) -> TaskArn {
        TaskArn {
            text: OnceLock::new(),
            numbered: Some(Numbered {
                prefix: prefix.clone(),
                bits: [(bits >> 64) as u64, bits as u64],
            }),
        }
    }

    /// For a numbered ARN: its shared prefix and its ID's bits (what [`TaskArn::numbered`] made
    /// it from), whether or not its text was written since.
    pub(crate) fn numbered_parts(&self) -> Option<(&Name, u128)> {
        self.numbered
            .as_ref()
            .map(|numbered| (&numbered.prefix, numbered.bits()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.text.get_or_init(|| self.write()).as_str()
    }

    /// The text as a shared name (written once, then shared).
    pub fn to_name(&self) -> Name {
        self.text.get_or_init(|| self.write()).clone()
    }

    /// The ID's bits, when the ARN is `prefix` followed by 32 lowercase hex digits (read
    /// without writing the text when the ARN is numbered under the same prefix).
    pub fn id_bits(&self, prefix: &str) -> Option<u128> {
        match &self.numbered {
            Some(numbered) if numbered.prefix == prefix => Some(numbered.bits()),
            _ => self.as_str().strip_prefix(prefix).and_then(crate::rng::parse_hex_id),
        }
    }

    /// Appends the task's ID, the ARN's last `/`-separated segment (without writing the whole
    /// ARN when it is numbered: an event lists up to a thousand IDs).
    pub fn push_id(&self, out: &mut String) {
        match (&self.numbered, self.text.get()) {
            (Some(numbered), None) => crate::rng::push_hex(out, numbered.bits()),
            _ => out.push_str(crate::model::short_id(self.as_str())),
        }
    }

    /// Writes the text of a numbered ARN (empty for the default ARN).
    fn write(&self) -> Name {
        let Some(numbered) = &self.numbered else {
            return Name::default();
        };
        let mut text = String::with_capacity(numbered.prefix.len() + 32);
        text.push_str(&numbered.prefix);
        crate::rng::push_hex(&mut text, numbered.bits());
        Name::from(text)
    }
}

impl Numbered {
    fn bits(&self) -> u128 {
        let [high, low] = self.bits;
        (u128::from(high) << 64) | u128::from(low)
    }
}

impl From<Name> for TaskArn {
    fn from(text: Name) -> Self {
        TaskArn {
            text: OnceLock::from(text),
            numbered: None,
        }
    }
}

impl From<String> for TaskArn {
    fn from(text: String) -> Self {
        TaskArn::from(Name::from(text))
    }
}

impl From<&str> for TaskArn {
    fn from(text: &str) -> Self {
        TaskArn::from(Name::from(text))
    }
}

impl Deref for TaskArn {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for TaskArn {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for TaskArn {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for TaskArn {
    fn eq(&self, other: &Self) -> bool {
        match (&self.numbered, &other.numbered) {
            (Some(a), Some(b)) if a.prefix == b.prefix => a.bits == b.bits,
            _ => self.as_str() == other.as_str(),
        }
    }
}

impl Eq for TaskArn {}

impl PartialEq<str> for TaskArn {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TaskArn {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for TaskArn {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Hash for TaskArn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for TaskArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for TaskArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TaskArn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskArn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Name::deserialize(deserializer).map(TaskArn::from)
    }
}

#[cfg(test)]
mod tests {
    use super::TaskArn;
    use crate::Name;

    const PREFIX: &str = "arn:aws:ecs:us-east-1:123456789012:task/default/";

    #[test]
    fn a_numbered_arn_reads_as_the_text_it_stands_for() {
        let prefix = Name::from(PREFIX);
        let bits = crate::rng::id_bits(2016, 3);
        let numbered = TaskArn::numbered(&prefix, bits);
        let text = TaskArn::from(format!("{PREFIX}{bits:032x}"));
        assert_eq!(numbered.id_bits(PREFIX), Some(bits), "read without the text");
        assert_eq!(numbered.as_str(), text.as_str());
        assert_eq!(numbered, text);
        assert_eq!(text, numbered);
        assert_eq!(numbered.to_name(), text.to_name());
        assert_eq!(text.id_bits(PREFIX), Some(bits));
        assert_eq!(text.id_bits("arn:other/"), None);
        let (mut id, mut id_of_text) = (String::new(), String::new());
        TaskArn::numbered(&prefix, bits).push_id(&mut id);
        text.push_id(&mut id_of_text);
        assert_eq!(id, format!("{bits:032x}"));
        assert_eq!(id_of_text, id);
        assert_eq!(format!("{numbered}|{numbered:?}"), format!("{text}|{text:?}"));
        let json = serde_json::to_string(&numbered).expect("a string");
        assert_eq!(json, format!("\"{PREFIX}{bits:032x}\""));
        let back: TaskArn = serde_json::from_str(&json).expect("a string");
        assert_eq!(back, numbered);
        assert_ne!(TaskArn::numbered(&prefix, bits + 1), numbered);
        assert_eq!(TaskArn::default(), "");
    }

    /// A scenario (and so a task ARN) may be shared between threads, as in a `static`.
    #[test]
    fn a_scenario_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<TaskArn>();
        shareable::<crate::Scenario>();
    }

    #[test]
    fn equal_arns_hash_alike_however_kept() {
        use std::hash::BuildHasher;
        let hasher = std::collections::hash_map::RandomState::new();
        let bits = crate::rng::id_bits(7, 0);
        let numbered = TaskArn::numbered(&Name::from(PREFIX), bits);
        let text = TaskArn::from(format!("{PREFIX}{bits:032x}"));
        assert_eq!(hasher.hash_one(&numbered), hasher.hash_one(&text));
        assert_eq!(hasher.hash_one(&numbered), hasher.hash_one(text.as_str()));
    }
}
