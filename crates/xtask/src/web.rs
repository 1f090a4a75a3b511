//! `cargo xtask build-web`: compiles crates/ecs-placement-wasm and generates `web/pkg/`.

use std::path::Path;

use crate::ctx::{self, Ctx, Error, Result};
use crate::tools::WASM_TARGET;

/// The cargo profile of the browser build (size-optimised; defined in the root Cargo.toml).
const PROFILE: &str = "wasm-release";

/// What cargo produces, relative to the workspace root.
const CARGO_OUTPUT: &str = "target/wasm32-unknown-unknown/wasm-release/ecs_placement_wasm.wasm";

/// Where the page loads the bindings from (generated, git-ignored).
pub const PKG_DIR: &str = "web/pkg";

/// The module wasm-bindgen writes into [`PKG_DIR`].
const PKG_WASM: &str = "web/pkg/ecs_placement_wasm_bg.wasm";

/// wasm-opt features matching what rustc emits for the wasm target.
const WASM_OPT_ARGS: [&str; 5] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
];

/// Builds the web bundle: cargo build, wasm-bindgen, wasm-opt; then prints the module size.
/// Assumes the tools are present (see [`crate::tools::ensure`]).
pub fn build(ctx: &Ctx) -> Result {
    ctx::header("build-web: cargo build (wasm32, wasm-release)");
    ctx::run(&mut ctx.cargo([
        "build",
        "-p",
        "ecs-placement-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        PROFILE,
    ]))?;

    ctx::header("build-web: wasm-bindgen");
    let pkg = ctx.path(PKG_DIR);
    if pkg.exists() {
        // Generated and git-ignored: start clean so no stale file survives.
        std::fs::remove_dir_all(&pkg).map_err(|e| Error::new(format!("cannot remove {}: {e}", pkg.display())))?;
    }
    ctx::run(ctx.command("wasm-bindgen").args([
        "--target",
        "web",
        "--no-typescript",
        "--out-dir",
        PKG_DIR,
        CARGO_OUTPUT,
    ]))
    .map_err(|e| e.or_hint("run `cargo xtask tools` to install wasm-bindgen-cli at the Cargo.lock version"))?;

    optimize(ctx)?;
    report_size(ctx, &ctx.path(PKG_WASM));
    Ok(())
}

/// Runs wasm-opt, if installed, and keeps its output only when it is smaller once gzipped (what
/// a browser downloads): Debian's binaryen makes this module smaller raw but larger gzipped.
fn optimize(ctx: &Ctx) -> Result {
    ctx::header("build-web: wasm-opt");
    if ctx.which("wasm-opt").is_none() {
        eprintln!("    note: wasm-opt is not on PATH; skipping the size optimisation (install binaryen)");
        return Ok(());
    }
    let tmp = format!("{PKG_WASM}.opt");
    ctx::run(ctx.command("wasm-opt").args(WASM_OPT_ARGS).args([PKG_WASM, "-o", &tmp])).map_err(|e| {
        e.hint("wasm-opt rejected the module; a newer binaryen may be needed for the features rustc emits")
    })?;
    // Without gzip to compare with, wasm-opt's output is trusted.
    if let (Some(before), Some(after)) = (gzip_size(ctx, &ctx.path(PKG_WASM)), gzip_size(ctx, &ctx.path(&tmp)))
        && after >= before
    {
        eprintln!(
            "    kept the module as wasm-bindgen wrote it: wasm-opt's output is larger gzipped ({} vs {})",
            ctx::format_size(after),
            ctx::format_size(before)
        );
        return std::fs::remove_file(ctx.path(&tmp)).map_err(|e| Error::new(format!("cannot remove {tmp}: {e}")));
    }
    std::fs::rename(ctx.path(&tmp), ctx.path(PKG_WASM))
        .map_err(|e| Error::new(format!("cannot replace {PKG_WASM} with the optimised module: {e}")))
}

/// Prints the raw size of the module, and its `gzip -9` size when gzip is installed.
fn report_size(ctx: &Ctx, wasm: &Path) {
    let Ok(raw) = wasm.metadata().map(|m| m.len()) else {
        eprintln!("    note: cannot read {}", wasm.display());
        return;
    };
    let shown = wasm.strip_prefix(&ctx.root).unwrap_or(wasm).display();
    match gzip_size(ctx, wasm) {
        Some(gz) => eprintln!(
            "    {shown}: {} raw, {} gzip -9",
            ctx::format_size(raw),
            ctx::format_size(gz)
        ),
        None => eprintln!("    {shown}: {} raw (gzip not available)", ctx::format_size(raw)),
    }
}

/// The size of `gzip -9 -c file`, if gzip runs.
fn gzip_size(ctx: &Ctx, file: &Path) -> Option<u64> {
    ctx.which("gzip")?;
    let output = ctx.command("gzip").arg("-9").arg("-c").arg(file).output().ok()?;
    output.status.success().then_some(output.stdout.len() as u64)
}
