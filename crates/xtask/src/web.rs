//! `cargo xtask build-web`: compiles crates/ecs-placement-wasm and generates `web/pkg/`: the
//! page's first module (without the wasm crate's `full` feature) and its bindings, the full
//! module (everything, fetched when a command first asks for `--query`, `--output text|table` or
//! an import), the same engine optimised for speed for large clusters, and the preset files the
//! page fetches (`web/pkg/presets/`). Prints the modules' raw and gzip sizes; `cargo xtask test`
//! says how far the page's first module's gzip is from [`GZIP_BUDGET`] and fails when it exceeds
//! [`GZIP_CEILING`].

use std::path::{Path, PathBuf};

use crate::ctx::{self, Ctx, Error, Result};
use crate::order;
use crate::tools::WASM_TARGET;

/// Which module `build-web` makes: the same code, optimised for size or for speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Module {
    /// Optimised for size (the default, and what the budget counts): cargo's `wasm-release`
    /// profile (`opt-level = "z"`), then wasm-opt and the function sort when they make the gzip
    /// smaller; without the wasm crate's `full` feature, which the full module
    /// ([`PKG_FULL_WASM`]) adds.
    #[default]
    Small,
    /// Optimised for speed: cargo's `wasm-speed` profile (`opt-level = 3`), as rustc and
    /// wasm-bindgen write it. About 1.7 times the gzip of the small module; long runs in the
    /// browser take 0.6-0.7 times as long (see "In the browser" in
    /// crates/ecs-placement/docs/performance.md). Always built beside the page's module, for
    /// large clusters; the page's own module too with `--speed` (simulations of large clusters on
    /// your own machine, where the download does not matter).
    Fast,
}

impl Module {
    /// The cargo profile (defined in the root Cargo.toml).
    pub fn profile(self) -> &'static str {
        match self {
            Module::Small => "wasm-release",
            Module::Fast => "wasm-speed",
        }
    }

    /// The features of `ecs-placement-wasm` the module is built with: the fast one has the
    /// chooser's narrow trees (faster, more code), the small one not.
    pub fn features(self) -> &'static [&'static str] {
        match self {
            Module::Small => &[],
            Module::Fast => &["narrow-trees"],
        }
    }

    /// The build of this module as the page's first one.
    fn as_page(self) -> Build {
        match self {
            Module::Small => Build::Page,
            Module::Fast => Build::Fast,
        }
    }
}

/// One of the modules `build-web` compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Build {
    /// The page's first module: [`Module::Small`] without the wasm crate's `full` feature.
    Page,
    /// [`Module::Small`] with every feature, in cargo's `wasm-full` profile (the same settings as
    /// `wasm-release`, a build of its own).
    Full,
    /// [`Module::Fast`], with every feature.
    Fast,
}

impl Build {
    /// The cargo profile (defined in the root Cargo.toml).
    fn profile(self) -> &'static str {
        match self {
            Build::Page => Module::Small.profile(),
            Build::Full => "wasm-full",
            Build::Fast => Module::Fast.profile(),
        }
    }

    /// The features passed to cargo, and whether the default ones (`full`) are on.
    fn features(self) -> (&'static [&'static str], bool) {
        match self {
            Build::Page => (Module::Small.features(), false),
            Build::Full => (Module::Small.features(), true),
            Build::Fast => (Module::Fast.features(), true),
        }
    }

    /// What cargo produces (under `$CARGO_TARGET_DIR` when set).
    fn cargo_output(self, ctx: &Ctx) -> PathBuf {
        ctx.target_dir()
            .join(WASM_TARGET)
            .join(self.profile())
            .join("ecs_placement_wasm.wasm")
    }
}

/// Where the page loads the bindings from (generated, git-ignored).
pub const PKG_DIR: &str = "web/pkg";

/// The module wasm-bindgen writes into [`PKG_DIR`].
const PKG_WASM: &str = "web/pkg/ecs_placement_wasm_bg.wasm";

/// The bindings wasm-bindgen writes into [`PKG_DIR`] (the same for both modules).
const PKG_BINDINGS: &str = "web/pkg/ecs_placement_wasm.js";

/// The page's second module: the same code optimised for speed, with the same bindings. The page
/// fetches it only for large clusters and runs their long work on it in its worker (see
/// `web/js/engine.js`); the budget counts [`PKG_WASM`], what every visitor downloads.
const PKG_FAST_WASM: &str = "web/pkg/ecs_placement_wasm_fast_bg.wasm";

/// Where wasm-bindgen writes the fast module's output before it joins [`PKG_DIR`].
const FAST_BINDGEN_DIR: &str = "target/wasm-fast-bindgen";

/// The page's full module: the first module's code with what it leaves out (`--query`,
/// `--output text|table`, importing AWS output), optimised for size, with the same bindings.
/// The page fetches it when a command or an import first needs it (see `web/js/engine.js`).
pub const PKG_FULL_WASM: &str = "web/pkg/ecs_placement_wasm_full_bg.wasm";

/// Where wasm-bindgen writes the full module's output before it joins [`PKG_DIR`].
const FULL_BINDGEN_DIR: &str = "target/wasm-full-bindgen";

/// Where the page fetches the preset files from (generated, git-ignored).
const PKG_PRESETS: &str = "web/pkg/presets";

/// The folders of the preset files (the built-in scenarios and the use cases' scripts and files;
/// `ecs_placement::presets` names them): copied into [`PKG_PRESETS`], not compiled into the module.
const PRESET_FOLDERS: [&str; 2] = ["crates/ecs-placement/presets", "tests/scenarios"];

/// What the module should weigh at most gzipped (`gzip -9`, what a server sends): 300 KB,
/// counted as 300,000 bytes (issue #10's budget).
pub const GZIP_BUDGET: u64 = 300_000;

/// The most the page's first module may weigh gzipped: [`GZIP_BUDGET`] since the tenth round,
/// when the module first fit it (297,103 bytes: `--query`, `--output text|table`, importing AWS
/// output, the commands no use case, builder or button runs, and the generated fleets left to the
/// full module, [`PKG_FULL_WASM`]). Until then it was the module's size after the last round of
/// cuts plus about 0.5 %, lowered with every cut: 351,700 after the ninth round, 367,100 after
/// the seventh, 367,500 after the sixth, 386,100 after the fifth, 392,200 after the fourth,
/// 416,000 after the third, 425,000 after the second, 443,000 when the gate was added.
/// `cargo xtask test` fails above it.
pub const GZIP_CEILING: u64 = GZIP_BUDGET;

/// wasm-opt features matching what rustc emits for the wasm target.
const WASM_OPT_FEATURES: [&str; 4] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
];

/// The wasm-opt passes tried on the module; the build keeps whichever output (or the module as
/// wasm-bindgen wrote it) is the smallest gzipped, not the smallest raw. With Debian's binaryen
/// (version 108), `-O1 -s 1` wins (about 1 % smaller gzipped than the input) while `-Oz`, `-Os`,
/// `-O2` and `-O3` make the module smaller raw but 15-20 % larger gzipped (their inlining and
/// function reordering undo what gzip finds); `-Oz` stays a candidate for newer binaryens.
const WASM_OPT_CANDIDATES: [&[&str]; 2] = [&["-O1", "-s", "1"], &["-Oz"]];

/// The module's sizes: raw and `gzip -9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes once gzipped at level 9.
    pub gzip: u64,
}

/// The `web` step of `cargo xtask test`: builds the web bundle and the deployable site in `site`
/// (also when the module is too big, so the site can still be looked at), says how the module
/// compares with [`GZIP_BUDGET`], then fails when it is over [`GZIP_CEILING`] gzipped.
pub fn build_site_within_budget(ctx: &Ctx, site: &Path) -> Result {
    let sizes = build_sizes(ctx, Module::Small)?;
    crate::bundle::write(ctx, site)?;
    ctx::header("build-web: size budget");
    let verdict = budget_verdict(sizes, GZIP_BUDGET, GZIP_CEILING);
    match &verdict {
        Ok(line) => eprintln!("    {line}"),
        Err(line) => eprintln!("    error: {line}"),
    }
    verdict.map(|_| ()).map_err(|line| {
        Error::new(line).hint(
            "measure where the bytes go with `twiggy top` on a build with symbols (see the Bundle section of \
             crates/ecs-placement/docs/performance.md), then cut",
        )
    })
}

/// How `sizes` compares with `budget` and `ceiling` (gzip bytes): the line to print, as an error
/// when the module is over the ceiling. Over the budget but within the ceiling is a warning.
pub fn budget_verdict(sizes: Sizes, budget: u64, ceiling: u64) -> std::result::Result<String, String> {
    let line = format!(
        "the module is {} gzipped (budget {}; {} raw)",
        ctx::format_size(sizes.gzip),
        ctx::format_size(budget),
        ctx::format_size(sizes.raw)
    );
    if sizes.gzip <= budget {
        Ok(format!(
            "ok: {line}, {} to spare",
            ctx::format_size(budget - sizes.gzip)
        ))
    } else if sizes.gzip <= ceiling {
        Ok(format!(
            "warning: {line}, {} over the budget; the test fails above {} (the ceiling until the \
             module fits the budget), {} from here",
            ctx::format_size(sizes.gzip - budget),
            ctx::format_size(ceiling),
            ctx::format_size(ceiling - sizes.gzip)
        ))
    } else if ceiling == budget {
        Err(format!(
            "too big: {line}, {} over the budget",
            ctx::format_size(sizes.gzip - budget)
        ))
    } else {
        Err(format!(
            "too big: {line}, {} over the budget and {} over the ceiling of {}",
            ctx::format_size(sizes.gzip - budget),
            ctx::format_size(sizes.gzip - ceiling),
            ctx::format_size(ceiling)
        ))
    }
}

/// Builds the web bundle with `module` as the page's module: cargo build, wasm-bindgen,
/// wasm-opt (for the small module), the preset files, then the fast module for large clusters;
/// prints the modules' sizes. Assumes the tools are present (see [`crate::tools::ensure`]).
pub fn build(ctx: &Ctx, module: Module) -> Result {
    build_sizes(ctx, module).map(|_| ())
}

/// [`build`] without the module for large clusters (`build-web --page-only`): the page's module,
/// its bindings and the preset files, sooner, to measure its size. With the small module the
/// page then lacks (or has a stale) [`PKG_FAST_WASM`].
pub fn build_page_only(ctx: &Ctx, module: Module) -> Result {
    build_page_module(ctx, module).map(|_| ())
}

/// [`build`], returning the page's module's sizes.
fn build_sizes(ctx: &Ctx, module: Module) -> Result<Sizes> {
    let sizes = build_page_module(ctx, module)?;
    match module {
        Module::Small => {
            build_other_module(ctx, Build::Full)?;
            build_other_module(ctx, Build::Fast)?;
        }
        // The page's module is already the fast one, with every feature: the page finds it
        // under all three names.
        Module::Fast => {
            copy_file(&ctx.path(PKG_WASM), &ctx.path(PKG_FULL_WASM))?;
            copy_file(&ctx.path(PKG_WASM), &ctx.path(PKG_FAST_WASM))?;
        }
    }
    Ok(sizes)
}

/// cargo build of `build` for wasm32.
fn cargo_build(ctx: &Ctx, build: Build) -> Result {
    let profile = build.profile();
    let (features, default_features) = build.features();
    ctx::header(&format!("build-web: cargo build (wasm32, {profile})"));
    let mut command = ctx.cargo([
        "build",
        "-p",
        "ecs-placement-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        profile,
    ]);
    if !default_features {
        command.arg("--no-default-features");
    }
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    ctx::run(&mut command)
}

/// Writes [`PKG_FULL_WASM`] (optimised for size like the page's first module) or
/// [`PKG_FAST_WASM`] (optimised for speed): run through wasm-bindgen apart; its bindings must be
/// the page's (the same exports and imports), since the page loads every module with them.
fn build_other_module(ctx: &Ctx, build: Build) -> Result {
    let (dir, target, what) = match build {
        Build::Full => (
            FULL_BINDGEN_DIR,
            PKG_FULL_WASM,
            "the full module, for what the first one leaves out",
        ),
        Build::Page | Build::Fast => (
            FAST_BINDGEN_DIR,
            PKG_FAST_WASM,
            "the module for large clusters, optimised for speed",
        ),
    };
    cargo_build(ctx, build)?;
    ctx::header(&format!("build-web: wasm-bindgen ({what})"));
    bindgen(ctx, build, dir)?;
    let out = ctx.path(dir);
    let bindings = read_text(&out.join("ecs_placement_wasm.js"))?;
    if bindings != read_text(&ctx.path(PKG_BINDINGS))? {
        return Err(Error::new(format!(
            "the bindings of {what} ({dir}/ecs_placement_wasm.js) differ from the page's \
             ({PKG_BINDINGS}); the page loads every module with one set of bindings"
        ))
        .hint("build them from the same source: `cargo xtask build-web` again; a feature-gated export needs a stub in the first module"));
    }
    let wasm = out.join("ecs_placement_wasm_bg.wasm");
    match build {
        Build::Full => optimize(ctx, &wasm)?,
        Build::Page | Build::Fast => {
            eprintln!("    the module optimised for speed: no wasm-opt size passes, no function sort")
        }
    }
    copy_file(&wasm, &ctx.path(target))?;
    report_size(ctx, &ctx.path(target)).map(|_| ())
}

/// wasm-bindgen of `module` into `out_dir` (relative to the workspace root), emptied first: the
/// output is generated and git-ignored, so no stale file survives.
fn bindgen(ctx: &Ctx, build: Build, out_dir: &str) -> Result {
    let out = ctx.path(out_dir);
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| Error::new(format!("cannot remove {}: {e}", out.display())))?;
    }
    ctx::run(
        ctx.command("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-dir", out_dir])
            .arg(build.cargo_output(ctx)),
    )
    .map_err(|e| e.or_hint("run `cargo xtask tools` to install wasm-bindgen-cli at the Cargo.lock version"))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))
}

fn copy_file(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::new(format!("cannot copy {} to {}: {e}", from.display(), to.display())))
}

/// Writes the page's module into [`PKG_DIR`] with its bindings and the preset files; returns its
/// sizes.
fn build_page_module(ctx: &Ctx, module: Module) -> Result<Sizes> {
    cargo_build(ctx, module.as_page())?;

    ctx::header("build-web: wasm-bindgen");
    bindgen(ctx, module.as_page(), PKG_DIR)?;

    copy_presets(ctx)?;
    match module {
        Module::Small => optimize(ctx, &ctx.path(PKG_WASM))?,
        Module::Fast => eprintln!("    the module optimised for speed: no wasm-opt size passes, no function sort"),
    }
    report_size(ctx, &ctx.path(PKG_WASM))
}

/// Copies the preset files (`*.json`, `*.sh` of [`PRESET_FOLDERS`]) into [`PKG_PRESETS`].
fn copy_presets(ctx: &Ctx) -> Result {
    let out = ctx.path(PKG_PRESETS);
    std::fs::create_dir_all(&out).map_err(|e| Error::new(format!("cannot create {}: {e}", out.display())))?;
    let mut count = 0;
    for folder in PRESET_FOLDERS {
        let dir = ctx.path(folder);
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::new(format!("cannot read {}: {e}", dir.display())))?;
        for path in entries.flatten().map(|entry| entry.path()) {
            if !is_preset_file(&path) {
                continue;
            }
            let Some(name) = path.file_name() else { continue };
            std::fs::copy(&path, out.join(name))
                .map_err(|e| Error::new(format!("cannot copy {}: {e}", path.display())))?;
            count += 1;
        }
    }
    eprintln!("    {count} preset files in {PKG_PRESETS}/");
    Ok(())
}

/// A scenario, script or file a script reads (`.json`, `.sh`).
fn is_preset_file(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|ext| ext == "json" || ext == "sh")
}

/// Runs wasm-opt, if installed, with each of [`WASM_OPT_CANDIDATES`], and keeps the smallest of
/// their outputs and the input once gzipped (what a browser downloads), not the smallest raw.
fn optimize(ctx: &Ctx, input: &Path) -> Result {
    ctx::header("build-web: wasm-opt");
    if ctx.which("wasm-opt").is_none() {
        eprintln!("    note: wasm-opt is not on PATH; skipping the size optimisation (install binaryen)");
        return Ok(());
    }
    let mut best: Option<(usize, u64)> = None;
    let mut best_gzip = gzip_size(ctx, input)?;
    eprintln!("    as wasm-bindgen wrote it: {} gzip -9", ctx::format_size(best_gzip));
    for (index, flags) in WASM_OPT_CANDIDATES.iter().enumerate() {
        let out = with_suffix(input, &format!("opt{index}"));
        ctx::run(
            ctx.command("wasm-opt")
                .args(WASM_OPT_FEATURES)
                .args(*flags)
                .arg(input)
                .arg("-o")
                .arg(&out),
        )
        .map_err(|e| {
            e.hint("wasm-opt rejected the module; a newer binaryen may be needed for the features rustc emits")
        })?;
        let gzip = gzip_size(ctx, &out)?;
        eprintln!("    wasm-opt {}: {} gzip -9", flags.join(" "), ctx::format_size(gzip));
        if gzip < best_gzip {
            best_gzip = gzip;
            best = Some((index, gzip));
        }
    }
    let kept = best.map(|(index, _)| index);
    for index in 0..WASM_OPT_CANDIDATES.len() {
        let out = with_suffix(input, &format!("opt{index}"));
        if Some(index) == kept {
            std::fs::rename(&out, input).map_err(|e| {
                Error::new(format!(
                    "cannot replace {} with the optimised module: {e}",
                    input.display()
                ))
            })?;
        } else {
            std::fs::remove_file(&out).map_err(|e| Error::new(format!("cannot remove {}: {e}", out.display())))?;
        }
    }
    match kept.and_then(|index| WASM_OPT_CANDIDATES.get(index)) {
        Some(flags) => eprintln!("    kept wasm-opt {}'s output (the smallest gzipped)", flags.join(" ")),
        None => eprintln!("    kept the module as wasm-bindgen wrote it: every wasm-opt output is larger gzipped"),
    }
    sort_functions(ctx, input, best_gzip)
}

/// The module's functions sorted so that alike ones lie side by side ([`order::sort_functions`]):
/// `wasm-dis`, the sort, then wasm-opt `-O1 -s 1` on the text (`wasm-as` alone would leave out
/// what wasm-opt's writer saves). Kept when smaller gzipped than the module (`gzip`): with
/// Debian's binaryen 108 it is about 5 % smaller. Skipped, with a note, without `wasm-dis`
/// (binaryen installs it with wasm-opt) or when binaryen cannot print or read the module back
/// (the module is then kept as it is).
fn sort_functions(ctx: &Ctx, input: &Path, gzip: u64) -> Result {
    if ctx.which("wasm-dis").is_none() {
        eprintln!("    note: wasm-dis is not on PATH; the functions keep their order (install binaryen)");
        return Ok(());
    }
    let text = with_suffix(input, "opt-text.wat");
    let sorted = with_suffix(input, "opt-sorted.wat");
    let out = with_suffix(input, "opt-sorted");
    let result = sorted_module(ctx, input, [&text, &sorted, &out]);
    let outcome = match result {
        Ok(()) => {
            let sorted_gzip = gzip_size(ctx, &out)?;
            eprintln!(
                "    functions sorted, then wasm-opt -O1 -s 1: {} gzip -9",
                ctx::format_size(sorted_gzip)
            );
            if sorted_gzip < gzip {
                eprintln!("    kept the module with its functions sorted (the smallest gzipped)");
                std::fs::rename(&out, input).map_err(|e| {
                    Error::new(format!(
                        "cannot replace {} with the sorted module: {e}",
                        input.display()
                    ))
                })
            } else {
                eprintln!("    kept the functions' order: sorting them does not make the module smaller gzipped");
                Ok(())
            }
        }
        Err(e) => {
            eprintln!("    note: the functions keep their order ({e})");
            Ok(())
        }
    };
    for leftover in [&text, &sorted, &out] {
        if leftover.exists() {
            std::fs::remove_file(leftover)
                .map_err(|e| Error::new(format!("cannot remove {}: {e}", leftover.display())))?;
        }
    }
    outcome
}

/// Writes `out`: the module `input` printed as `text`, its functions sorted into `sorted`, read
/// back and optimised by wasm-opt.
fn sorted_module(ctx: &Ctx, input: &Path, [text, sorted, out]: [&Path; 3]) -> Result {
    ctx::run(ctx.command("wasm-dis").arg(input).arg("-o").arg(text))?;
    let wat = std::fs::read_to_string(text).map_err(|e| Error::new(format!("cannot read {}: {e}", text.display())))?;
    let wat =
        order::sort_functions(&wat).ok_or_else(|| Error::new("wasm-dis printed the module in an unexpected layout"))?;
    std::fs::write(sorted, wat).map_err(|e| Error::new(format!("cannot write {}: {e}", sorted.display())))?;
    ctx::run(
        ctx.command("wasm-opt")
            .args(WASM_OPT_FEATURES)
            .arg("--enable-reference-types")
            .args(["-O1", "-s", "1"])
            .arg(sorted)
            .arg("-o")
            .arg(out),
    )
}

/// Where wasm-opt writes candidate `index` (`*.wasm.opt*` files are left out of a site).
/// `file` with `.suffix` added to its name (the intermediate files of [`optimize`]).
fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Prints the raw and the `gzip -9` size of the module, and returns them.
fn report_size(ctx: &Ctx, wasm: &Path) -> Result<Sizes> {
    let raw = wasm
        .metadata()
        .map(|m| m.len())
        .map_err(|e| Error::new(format!("cannot read {}: {e}", wasm.display())))?;
    let gzip = gzip_size(ctx, wasm)?;
    let shown = wasm.strip_prefix(&ctx.root).unwrap_or(wasm).display();
    eprintln!(
        "    {shown}: {} raw, {} gzip -9",
        ctx::format_size(raw),
        ctx::format_size(gzip)
    );
    Ok(Sizes { raw, gzip })
}

/// The size of `gzip -9 -n -c file`: what a server sends (`-n`: without the file name and time
/// gzip would otherwise store in its header). gzip is in every Debian install; without it the
/// budget could not be checked.
fn gzip_size(ctx: &Ctx, file: &Path) -> Result<u64> {
    if ctx.which("gzip").is_none() {
        return Err(Error::new("gzip is not on PATH: the module's gzip size cannot be measured").hint("install gzip"));
    }
    let output = ctx
        .command("gzip")
        .arg("-9")
        .arg("-n")
        .arg("-c")
        .arg(file)
        .output()
        .map_err(|e| Error::new(format!("cannot run gzip: {e}")))?;
    if !output.status.success() {
        return Err(Error::new(format!("gzip -9 failed on {}", file.display())));
    }
    Ok(output.stdout.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_within_the_budget_passes_and_says_how_much_is_left() {
        let verdict = budget_verdict(
            Sizes {
                raw: 900_000,
                gzip: 280_000,
            },
            300_000,
            443_000,
        );
        assert_eq!(
            verdict,
            Ok(
                "ok: the module is 280000 bytes (273.4 KiB) gzipped (budget 300000 bytes (293.0 KiB); \
                900000 bytes (878.9 KiB) raw), 20000 bytes (19.5 KiB) to spare"
                    .to_string()
            )
        );
        assert!(
            budget_verdict(Sizes { raw: 1, gzip: 300_000 }, 300_000, 443_000).is_ok(),
            "the budget itself fits"
        );
    }

    #[test]
    fn a_module_over_the_budget_but_within_the_ceiling_passes_with_a_warning() {
        let verdict = budget_verdict(
            Sizes {
                raw: 1_325_532,
                gzip: 300_001,
            },
            300_000,
            443_000,
        );
        let line = verdict.expect("within the ceiling");
        assert!(line.starts_with("warning: the module is 300001 bytes"), "{line}");
        assert!(line.contains("1325532 bytes (1294.5 KiB) raw"), "{line}");
        assert!(line.contains("1 bytes (0.0 KiB) over the budget"), "{line}");
        assert!(
            budget_verdict(Sizes { raw: 1, gzip: 443_000 }, 300_000, 443_000).is_ok(),
            "the ceiling itself passes"
        );
    }

    #[test]
    fn a_module_over_the_ceiling_fails_with_both_sizes() {
        let verdict = budget_verdict(
            Sizes {
                raw: 1_325_532,
                gzip: 443_001,
            },
            300_000,
            443_000,
        );
        let line = verdict.expect_err("over the ceiling");
        assert!(line.starts_with("too big: the module is 443001 bytes"), "{line}");
        assert!(line.contains("1325532 bytes (1294.5 KiB) raw"), "{line}");
        assert!(
            line.ends_with("1 bytes (0.0 KiB) over the ceiling of 443000 bytes (432.6 KiB)"),
            "{line}"
        );
    }

    #[test]
    fn once_the_module_fits_the_budget_is_the_ceiling() {
        let sizes = |gzip| Sizes { raw: 882_193, gzip };
        let line = budget_verdict(sizes(297_103), 300_000, 300_000).expect("within the budget");
        assert!(line.starts_with("ok: the module is 297103 bytes"), "{line}");
        assert!(line.ends_with("2897 bytes (2.8 KiB) to spare"), "{line}");
        let line = budget_verdict(sizes(300_001), 300_000, 300_000).expect_err("over the budget");
        assert!(line.ends_with("), 1 bytes (0.0 KiB) over the budget"), "{line}");
    }

    #[test]
    fn the_budget_is_300_kb_and_the_ceiling_is_the_budget() {
        assert_eq!(GZIP_BUDGET, 300_000);
        assert_eq!(GZIP_CEILING, GZIP_BUDGET);
    }

    #[test]
    fn preset_files_are_scenarios_scripts_and_their_files() {
        let ctx = Ctx::new().expect("ctx");
        let mut names = Vec::new();
        for folder in PRESET_FOLDERS {
            for entry in std::fs::read_dir(ctx.path(folder)).expect("preset folder").flatten() {
                if is_preset_file(&entry.path()) {
                    names.push(entry.file_name().to_string_lossy().to_string());
                }
            }
        }
        for name in ["sample.json", "blog-cluster.json", "jake.sh", "mysql-taskdef.json"] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            names.len(),
            "one folder on the page: names must not collide"
        );
    }
}
