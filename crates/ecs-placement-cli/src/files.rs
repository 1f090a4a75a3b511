//! Reading and writing files with limits: reads are capped (a scenario named `/dev/zero` is an
//! error, not an exhausted memory), and `--save` writes a temporary file in the target's folder
//! and renames it over the target, so the target is either the old file or the whole new one.

use ecs_placement::Error;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Scenario files, scripts and imported AWS output: at most 64 MiB (the playground's limit; a
/// scenario of 10,000 instances and 10,000 tasks is about 25 MiB).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// `file://` arguments of `aws ecs` commands: at most 1 MiB (the playground's limit; a task
/// definition is at most 64 KiB at AWS).
pub const MAX_PARAMETER_FILE_BYTES: u64 = 1 << 20;

/// Reads a text file of at most `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "it is larger than {} (the playground's limit for this kind of file)",
            size(limit)
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads a scenario, script or AWS output file ([`MAX_INPUT_BYTES`]).
pub fn read_input(path: &Path) -> Result<String, Error> {
    read_capped(path, MAX_INPUT_BYTES).map_err(|e| Error::invalid_input(format!("cannot read {}: {e}", path.display())))
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// Writes `text` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over `path`. On an error the temporary file is removed and `path` is untouched.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    let failed = |what: &str, e: std::io::Error| {
        Error::invalid_input(format!(
            "cannot write {}: {what}: {e}; the file was left as it was",
            path.display()
        ))
    };
    let temporary = temporary_path(path);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            if let Ok(existing) = std::fs::metadata(path) {
                file.set_permissions(existing.permissions())?;
            }
            file.sync_all()
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed("writing a temporary copy beside it failed", e));
    }
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        failed("replacing it failed", e)
    })
}

/// `.NAME.placement-PID.tmp` in the folder of `path`.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "scenario".into(), |n| n.to_string_lossy().into_owned());
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    folder.join(format!(".{name}.placement-{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_capped() {
        let err = read_capped(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.contains("larger than 1 KiB"), "{err}");
    }

    #[test]
    fn writes_replace_the_whole_file_or_nothing() {
        let dir = std::env::temp_dir().join(format!("placement-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.json");
        std::fs::write(&target, "old").unwrap();
        write_atomically(&target, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let missing = dir.join("no-such-folder").join("out.json");
        let err = write_atomically(&missing, "x").unwrap_err();
        assert!(err.message.contains("the file was left as it was"), "{}", err.message);
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(Result::ok).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
