//! The CQL parser, highlighter and evaluator on arbitrary text: no panics, spans in bounds, and
//! every expression that parses prints to text that parses to the same tree.
#![no_main]

use ecs_placement::cql;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let parsed = cql::parse(source);
    for d in &parsed.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= source.len());
    }
    let _ = cql::highlight(source);
    if let Some(mut expr) = parsed.expr {
        let printed = expr.to_string();
        let mut again = cql::parse(&printed).expr.expect("the printed form parses");
        expr.strip_spans();
        again.strip_spans();
        assert_eq!(expr, again);
        if let Ok(scenario) = ecs_placement::presets::sample() {
            for view in ecs_placement::query::instance_views(&scenario) {
                let rows = cql::explain(&expr, &view);
                assert_eq!(rows.first().map(|r| r.value), Some(cql::evaluate(&expr, &view)));
            }
        }
    }
});
