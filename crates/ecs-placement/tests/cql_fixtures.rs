//! Snapshot tests per CQL stage over the fixture files in `tests/fixtures/cql/`:
//! `lex/` (tokens), `parse/` (trees and canonical printing), `diagnostics/` (`err_*` files must
//! fail, `warn_*` files must pass with warnings), `eval/` (matches on `docs-cluster.json`).

use ecs_placement::cql::ast::Typed;
use ecs_placement::cql::{self, Expr, ExprKind, Operand};
use ecs_placement::diagnostic::{has_errors, render_plain};
use ecs_placement::query::{explain_instances, instance_views};
use ecs_placement::{Scenario, model::short_id};
use std::fmt::Write as _;
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty())
}

fn docs_cluster() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs-cluster.json");
    Scenario::from_json(&read(&path)).unwrap()
}

#[test]
fn lexer_fixtures() {
    insta::glob!("fixtures/cql/lex/*.cql", |path| {
        let source = read(path);
        let mut out = String::new();
        for lexeme in cql::lexer::lex(source.trim_end()) {
            let text = &source[lexeme.span.clone()];
            writeln!(
                out,
                "{:>3}..{:<3} {:?} {text:?}",
                lexeme.span.start, lexeme.span.end, lexeme.token
            )
            .unwrap();
        }
        insta::assert_snapshot!(out);
    });
}

fn dump(expr: &Expr, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let span = format!("{}..{}", expr.span.start, expr.span.end);
    match &expr.kind {
        ExprKind::Or(items) | ExprKind::And(items) => {
            let name = if matches!(expr.kind, ExprKind::Or(_)) {
                "Or"
            } else {
                "And"
            };
            writeln!(out, "{indent}{name} {span}").unwrap();
            items.iter().for_each(|e| dump(e, depth + 1, out));
        }
        ExprKind::Not(inner) => {
            writeln!(out, "{indent}Not {span}").unwrap();
            dump(inner, depth + 1, out);
        }
        ExprKind::Compare(c) => {
            let operand = match &c.operand {
                Operand::None => String::new(),
                Operand::Scalar(l) => format!(" {}", literal(l)),
                Operand::List(items) => format!(" [{}]", items.iter().map(literal).collect::<Vec<_>>().join(", ")),
            };
            writeln!(out, "{indent}Compare {span} {:?} {:?}{operand}", c.subject, c.op).unwrap();
        }
    }
}

fn literal(l: &cql::Literal) -> String {
    let typed = match &l.typed {
        Typed::Text => "text".to_string(),
        Typed::Number(n) => format!("number {n}"),
        Typed::Integer(n) => format!("integer {n}"),
        Typed::Version(v) => format!("version {v:?}"),
        Typed::Instant(t) => format!("instant {t}"),
        Typed::Pattern(p) => format!("pattern {:?}", p.source()),
    };
    format!("{:?}({typed})", l.text)
}

#[test]
fn parser_fixtures() {
    insta::glob!("fixtures/cql/parse/*.cql", |path| {
        let source = read(path);
        let mut out = String::new();
        for line in lines(&source) {
            let parsed = cql::parse(line);
            let expr = parsed
                .expr
                .unwrap_or_else(|| panic!("{line}\n{}", render_plain(line, &parsed.diagnostics)));
            writeln!(out, "> {line}").unwrap();
            dump(&expr, 1, &mut out);
            writeln!(out, "  canonical: {expr}").unwrap();
            for d in parsed.diagnostics {
                writeln!(out, "  {:?}: {}", d.severity, d.message).unwrap();
            }
        }
        insta::assert_snapshot!(out);
    });
}

#[test]
fn diagnostic_fixtures() {
    insta::glob!("fixtures/cql/diagnostics/*.cql", |path| {
        let source = read(path);
        let source = source.strip_suffix('\n').unwrap_or(&source);
        let name = path.file_name().unwrap().to_string_lossy();
        let parsed = cql::parse(source);
        if name.starts_with("err_") {
            assert!(has_errors(&parsed.diagnostics), "{name} should have errors");
            assert!(parsed.expr.is_none(), "{name}: no tree when there are errors");
        } else {
            assert!(
                !has_errors(&parsed.diagnostics),
                "{name} should only warn:\n{}",
                render_plain(source, &parsed.diagnostics)
            );
            assert!(!parsed.diagnostics.is_empty(), "{name} should warn");
        }
        let mut out = render_plain(source, &parsed.diagnostics);
        for d in &parsed.diagnostics {
            if let Some(fix) = &d.suggestion {
                let mut fixed = source.to_string();
                fixed.replace_range(fix.span.clone(), &fix.replacement);
                writeln!(out, "after fix [{}]: {fixed}", d.code).unwrap();
            }
        }
        insta::assert_snapshot!(out);
    });
}

#[test]
fn eval_fixtures() {
    let cluster = docs_cluster();
    insta::glob!("fixtures/cql/eval/*.cql", |path| {
        let source = read(path);
        let mut out = String::new();
        for line in lines(&source) {
            let (expr, _) = ecs_placement::query::parse_expression(line).unwrap();
            let matched: Vec<String> = explain_instances(&cluster, &expr)
                .iter()
                .filter(|m| m.matched)
                .map(|m| short_id(&m.container_instance_arn).to_string())
                .collect();
            writeln!(out, "{line}\n  -> [{}]", matched.join(", ")).unwrap();
        }
        insta::assert_snapshot!(out);
    });
}

#[test]
fn fast_and_explained_evaluation_agree() {
    let cluster = docs_cluster();
    let views = instance_views(&cluster);
    for file in ["aws-doc-examples", "missing-attributes", "typed-comparisons"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/cql/eval/{file}.cql"));
        for line in lines(&read(&path)) {
            let expr = cql::parse(line).expr.unwrap();
            for view in &views {
                let rows = cql::explain(&expr, view);
                assert_eq!(
                    cql::evaluate(&expr, view),
                    rows[0].value,
                    "{line} on {}",
                    view.instance.short_id()
                );
            }
        }
    }
}

#[test]
fn truth_table_of_one_instance() {
    let cluster = docs_cluster();
    let source = "attribute:ecs.instance-type =~ g2.* and (attribute:stack != prod or not(task:group == database))";
    let (expr, _) = ecs_placement::query::parse_expression(source).unwrap();
    let explained = explain_instances(&cluster, &expr);
    insta::assert_snapshot!(ecs_placement::query::render_explanations(source, &explained));
}
