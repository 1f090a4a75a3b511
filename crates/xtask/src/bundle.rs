//! `cargo xtask build-web --out DIR`: a self-contained static site of the playground (the page,
//! the embeds, the docs page, the WebAssembly module) that can be copied to any static host.
//!
//! Every asset goes under `DIR/v-<hash>/`, the hash taken over the assets' bytes, so a new build
//! never mixes with cached files of an old one. The pages at the top (`index.html`, `embed.html`,
//! `docs.html`) point their stylesheets and scripts into that folder, and `DIR/embed.js` imports the
//! versioned one, so the snippet docs writers paste keeps one stable address.

use std::path::{Path, PathBuf};

use crate::ctx::{self, Ctx, Error, Result};

/// The pages at the top of the site.
const PAGES: [&str; 3] = ["index.html", "embed.html", "docs.html"];

/// Builds the site into `out` (the web bundle must already be built into `web/`).
pub fn write(ctx: &Ctx, out: &Path) -> Result {
    ctx::header(&format!("build-web: site in {}", out.display()));
    let (count, version) = write_site(&ctx.path("web"), out)?;
    eprintln!(
        "    {count} files under {version}/ (open {}/index.html through a web server)",
        out.display()
    );
    Ok(())
}

/// Writes the site of the files in `web` into `out`; returns how many assets it copied and the
/// name of their versioned folder.
fn write_site(web: &Path, out: &Path) -> Result<(usize, String)> {
    let files = site_files(web)?;
    let version = format!("v-{:016x}", hash_files(web, &files)?);
    let assets = out.join(&version);
    clear(out)?;
    for file in &files {
        copy(&web.join(file), &assets.join(file))?;
    }
    for page in PAGES {
        let text = read(&web.join(page))?;
        write_file(&out.join(page), &versioned_assets(&text, &version))?;
    }
    write_file(
        &out.join("embed.js"),
        &format!("// The embed's stable address: the build it loads is versioned.\nimport './{version}/embed.js';\n"),
    )?;
    Ok((files.len(), version))
}

/// Removes an earlier build from `out`: the pages, `embed.js` and the `v-*` asset folders, and
/// nothing else, so a site kept in a checkout (a `gh-pages` branch's `.git`, a `CNAME`) keeps its
/// other files. `out` must be new, empty or a site this command wrote (its pages and `embed.js` at
/// the top): `--out` naming a folder of other files is an error, not a deleted folder.
fn clear(out: &Path) -> Result {
    if !out.exists() {
        return Ok(());
    }
    let empty = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none());
    let a_site = PAGES.iter().chain(&["embed.js"]).all(|top| out.join(top).is_file());
    if !empty && !a_site {
        return Err(Error::new(format!(
            "{} is not empty and is not a site written by build-web; it was left as it was",
            out.display()
        ))
        .hint("give --out a new or empty folder"));
    }
    let cannot = |path: &Path, e: std::io::Error| Error::new(format!("cannot clear {}: {e}", path.display()));
    for top in PAGES.iter().chain(&["embed.js"]) {
        let path = out.join(top);
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| cannot(&path, e))?;
        }
    }
    let entries = std::fs::read_dir(out).map_err(|e| cannot(out, e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && is_asset_folder(&entry.file_name().to_string_lossy()) {
            std::fs::remove_dir_all(&path).map_err(|e| cannot(&path, e))?;
        }
    }
    Ok(())
}

/// Whether a folder's name is one `write_site` gives its assets (`v-` and 16 hex digits).
fn is_asset_folder(name: &str) -> bool {
    name.strip_prefix("v-")
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Every file of `web/` the site serves (relative paths, sorted), generated `pkg/` included.
fn site_files(web: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    collect(web, web, &mut files)?;
    files.retain(|f| !f.to_string_lossy().contains(".wasm.opt"));
    files.sort();
    if !files.iter().any(|f| f.ends_with("ecs_placement_wasm_bg.wasm")) {
        return Err(Error::new("web/pkg has no WebAssembly module").hint("run `cargo xtask build-web` first"));
    }
    Ok(files)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::new(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            files.push(relative.to_path_buf());
        }
    }
    Ok(())
}

/// FNV-1a (64 bit) over the files' names and bytes: enough to tell builds apart.
fn hash_files(web: &Path, files: &[PathBuf]) -> Result<u64> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for file in files {
        feed(file.to_string_lossy().as_bytes());
        feed(&std::fs::read(web.join(file)).map_err(|e| Error::new(format!("cannot read {}: {e}", file.display())))?);
    }
    Ok(hash)
}

/// The page with the `src` of its scripts and the `href` of its `<link>`s (stylesheets, icons,
/// preloads) pointed into the versioned folder; links to other pages (`<a href>`) are left alone.
pub fn versioned_assets(html: &str, version: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let (before, tag_and_after) = rest.split_at(start);
        out.push_str(before);
        let end = tag_and_after.find('>').map_or(tag_and_after.len(), |e| e + 1);
        let (tag, after) = tag_and_after.split_at(end);
        let attribute = if tag.starts_with("<link ") {
            Some("href")
        } else if tag.starts_with("<script ") {
            Some("src")
        } else {
            None
        };
        out.push_str(&attribute.map_or_else(|| tag.to_string(), |name| prefix_attribute(tag, name, version)));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `name="relative"` → `name="version/relative"` in one tag (absolute URLs and anchors unchanged).
fn prefix_attribute(tag: &str, name: &str, version: &str) -> String {
    let needle = format!(" {name}=\"");
    let Some(at) = tag.find(&needle) else {
        return tag.to_string();
    };
    let value_start = at + needle.len();
    let value = tag.get(value_start..).unwrap_or_default();
    let local = !(value.starts_with("http:")
        || value.starts_with("https:")
        || value.starts_with("//")
        || value.starts_with('/')
        || value.starts_with('#')
        || value.starts_with("data:"));
    if !local {
        return tag.to_string();
    }
    format!("{}{version}/{}", tag.get(..value_start).unwrap_or_default(), value)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))
}

fn write_file(path: &Path, text: &str) -> Result {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::new(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(path, text).map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))
}

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::new(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::new(format!("cannot copy {}: {e}", from.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_move_into_the_versioned_folder_and_page_links_stay() {
        let html = r#"<link rel="stylesheet" href="style.css"><link rel="preload" href="pkg/a.wasm" as="fetch">
<script type="module" src="app.js"></script><a href="index.html">home</a>
<link rel="icon" href="https://example.com/x.svg"><script src="/abs.js"></script>"#;
        let out = versioned_assets(html, "v-1");
        assert_eq!(
            out,
            r#"<link rel="stylesheet" href="v-1/style.css"><link rel="preload" href="v-1/pkg/a.wasm" as="fetch">
<script type="module" src="v-1/app.js"></script><a href="index.html">home</a>
<link rel="icon" href="https://example.com/x.svg"><script src="/abs.js"></script>"#
        );
    }

    #[test]
    fn the_site_has_every_page_and_a_stable_embed_entry() {
        let ctx = Ctx::new().expect("ctx");
        let web = ctx.path("web");
        if !web.join("pkg/ecs_placement_wasm_bg.wasm").exists() {
            return; // web/pkg is generated by `cargo xtask build-web`; the test below needs no build
        }
        let out = scratch("built");
        write(&ctx, &out).expect("site");
        assert_site(&out);
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_site_is_written_from_any_web_folder() {
        let web = scratch("web");
        let files = [
            "app.js",
            "embed.js",
            "style.css",
            "pkg/ecs_placement_wasm_bg.wasm",
            "pkg/ecs_placement_wasm_bg.wasm.opt",
            "js/engine.js",
        ];
        for file in files.iter().chain(&PAGES) {
            write_file(&web.join(file), r#"<script type="module" src="app.js"></script>"#).expect("web file");
        }
        let out = scratch("site");
        let (_, version) = write_site(&web, &out).expect("site");
        assert_site(&out);
        assert!(!out.join(version).join("pkg/ecs_placement_wasm_bg.wasm.opt").exists());
        write_site(&web, &out).expect("a second build replaces the first");
        let _ = std::fs::remove_dir_all(&web);
        let _ = std::fs::remove_dir_all(&out);
    }

    /// The pages and the stable `embed.js` at the top, the assets in the versioned folder, and
    /// the pages pointing into it.
    fn assert_site(out: &Path) {
        for page in PAGES.iter().chain(&["embed.js"]) {
            assert!(out.join(page).is_file(), "{page}");
        }
        let entry = std::fs::read_to_string(out.join("embed.js")).expect("embed.js");
        let version = entry
            .split("./")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .expect("version")
            .to_string();
        for file in [
            "app.js",
            "embed.js",
            "index.html",
            "style.css",
            "pkg/ecs_placement_wasm_bg.wasm",
            "js/engine.js",
        ] {
            assert!(out.join(&version).join(file).is_file(), "{version}/{file}");
        }
        let index = std::fs::read_to_string(out.join("index.html")).expect("index");
        assert!(index.contains(&format!("src=\"{version}/app.js\"")), "{index}");
    }

    #[test]
    fn a_folder_of_other_files_is_not_cleared() {
        let out = scratch("other");
        write_file(&out.join("notes.txt"), "mine").expect("notes");
        let error = clear(&out).expect_err("not a site");
        assert!(
            error.to_string().contains("is not a site written by build-web"),
            "{error}"
        );
        assert!(out.join("notes.txt").is_file());
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_rebuild_keeps_the_files_build_web_did_not_write() {
        let out = scratch("kept");
        for page in PAGES.iter().chain(&["embed.js"]) {
            write_file(&out.join(page), "old").expect("page");
        }
        write_file(&out.join("v-0123456789abcdef/app.js"), "old").expect("asset");
        write_file(&out.join(".git/HEAD"), "ref: refs/heads/gh-pages").expect("git");
        write_file(&out.join("CNAME"), "placement.example.com").expect("cname");
        write_file(&out.join("v-notes/keep.txt"), "not an asset folder").expect("notes");
        clear(&out).expect("a site is cleared");
        for kept in [".git/HEAD", "CNAME", "v-notes/keep.txt"] {
            assert!(out.join(kept).is_file(), "{kept} kept");
        }
        for gone in [
            "index.html",
            "embed.html",
            "docs.html",
            "embed.js",
            "v-0123456789abcdef",
        ] {
            assert!(!out.join(gone).exists(), "{gone} removed");
        }
        let _ = std::fs::remove_dir_all(&out);
    }

    /// A fresh folder under the temporary directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ecs-site-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }
}
